#include "models/coherence/memory_system.hpp"

#include <cmath>

#include <deque>

#include <algorithm>
#include <utility>

namespace smpsim {

MemorySystem::MemorySystem(const Machine& m, int cores, Clock& clock, uint64_t seed)
    : dir_(m, cores), clock_(clock), cores_(cores), order_rng_(Rng::stream(seed, 0xD1EC7)) {
  for (int i = 0; i < cores; ++i) {
    cores_[i].id = i;
    cores_[i].rng = Rng::stream(seed, uint64_t(i));
    cores_[i].wait_point = clock.make_wait_point();
    cores_[i].tlb = Tlb(m.tlb_entries);
  }
  irqs_ = std::make_unique<InterruptController>(clock, cores_);
}

LineId MemorySystem::named_line(const std::string& name, int home_die) {
  auto [it, added] = named_lines_.try_emplace(name, -1);
  if (added) it->second = add_line(name, home_die);
  return it->second;
}

void MemorySystem::compute(Core& c, double cycles, CpuState st) {
  const double ns = machine().ns(cycles);
  // User-mode work (a workload's think time) is a slice of its own in a trace.
  if (trace_ && st == CpuState::User && ns > 0) trace_->complete(c.id, "user", "user", now_ns(c), now_ns(c) + ns);
  c.pending_ns += ns;
  c.time[st] += ns;
}

MemorySystem::StreamCost MemorySystem::stream(Core& c, double bytes, bool copy) {
  StreamCost out;
  if (bytes <= 0) return out;
  const Machine& m = machine();
  constexpr double kPage = 4096;
  double cached = 0;
  if (!copy)  // a zeroing: the pages the CPU freed last are still in its cache
    while (c.hot_free_pages > 0 && cached < bytes) {
      --c.hot_free_pages;
      cached += std::min(kPage, bytes - cached);
      ++c.counters.pages_zeroed_cached;
    }
  const double cached_ns = m.ns(std::ceil(cached / 64) * m.l1_cycles);
  bytes -= cached;
  out.cached_bytes = cached;
  double ns = cached_ns;
  if (bytes > 0) {
    if (!copy) c.counters.pages_zeroed_from_memory += (long long)std::ceil(bytes / kPage);
    const double lines = std::ceil(bytes / 64);
    const Distance local = Distance::SameDie;
    const double rfo_ns = m.ns(dir_.miss_cycles(Op::Store, LineState::I, local));
    const double read_ns = m.ns(dir_.miss_cycles(Op::Load, LineState::I, local));
    const double in_flight = std::max(1, m.line_fill_buffers);
    // Little's law: line_fill_buffers misses at a time, each taking its latency.
    const double cpu_ns = std::ceil(lines / in_flight) * (rfo_ns + (copy ? read_ns : 0));
    // At the controller: the destination's reads for ownership and, later, its write-back; the source's reads.
    const double controller_bytes = bytes * (copy ? 3 : 2);
    const double start = now_ns(c) + cached_ns;
    dir_.interconnect().advance(clock_.now_ns());
    const double controller_ns = dir_.interconnect().memory_stream(m.topo.die_of(c.id), start, controller_bytes);
    const double stream_ns = std::max(cpu_ns, controller_ns);
    out.queued_ns = stream_ns - cpu_ns;
    ns += stream_ns;
  }
  c.pending_ns += ns;
  c.time[CpuState::Kernel] += ns;
  return out;
}

void MemorySystem::page_freed_hot(Core& c) {
  const int cap = int(machine().private_cache_bytes / 4096);
  c.hot_free_pages = std::min(c.hot_free_pages + 1, cap);
}

void MemorySystem::full_barrier(Core& c) {
  if (trace_) trace_->instant(c.id, "smp_mb", now_ns(c), "barrier");  // explicit ones (atomics imply theirs)
  // The fence's own cost overlaps the store buffer's drain: it ends at the later of the two.
  const double ns = std::max(machine().ns(machine().barrier_cycles), c.store_drain_ns() - now_ns(c));
  c.pending_ns += ns;
  c.time[CpuState::Barrier] += ns;
  ++c.counters.full_barriers;
}

void MemorySystem::wait_store_drain(Core& c) {
  const double ns = c.store_drain_ns() - now_ns(c);
  if (ns <= 0) return;
  c.pending_ns += ns;  // private: the drain's end is already known
  c.time[CpuState::Barrier] += ns;
}

void MemorySystem::retire_drained(Core& c, double now) {
  while (!c.store_buffer.empty() && c.store_buffer.front().done_ns <= now) c.store_buffer.pop_front();
}

bool MemorySystem::pending_store(const Core& c, LineId l) const {
  // Nothing is retired here: the CPU's true time may be ahead of the engine's, and an interrupt
  // taken before it catches up must still see these stores pending.
  const double now = now_ns(c);
  for (const Core::PendingStore& p : c.store_buffer)
    if (p.line == l && p.done_ns > now) return true;
  return false;
}

void MemorySystem::store_barrier(Core& c) {
  const double ns = machine().ns(machine().store_barrier_cycles);
  c.pending_ns += ns;
  c.time[CpuState::Barrier] += ns;
  ++c.counters.store_barriers;
}

// Private time becomes simulated time here. With interrupts enabled the wait
// is interruptible: an IPI that arrives in the middle runs its handler, and
// the rest of the work resumes afterwards.
void MemorySystem::flush(Core& c) { flush(c, true); }

void MemorySystem::flush(Core& c, bool take_irqs) {
  while (c.pending_ns > 0) {
    const double target = clock_.now_ns() + c.pending_ns;
    c.pending_ns = 0;
    if (!take_irqs || !can_take_irq(c)) {
      clock_.sleep_until_ns(target);
      break;
    }
    c.interruptible = true;
    const bool signalled = c.wait_point->wait_until_ns(target);
    c.interruptible = false;
    if (signalled) {
      const double remaining = target - clock_.now_ns();
      handle_irqs(c);
      if (remaining > 0) c.pending_ns += remaining;
    }
  }
  if (take_irqs && !c.pending_irqs.empty() && can_take_irq(c)) handle_irqs(c);
}

template <class F>
uint64_t MemorySystem::access(Core& c, Op op, LineId l, F&& apply) {
  // A load of a line this CPU has a pending store to is forwarded from the
  // store buffer (a hit; nothing goes to the cache).
  if (op == Op::Load && pending_store(c, l)) return forward_load(c, l, apply);
  // A locked instruction drains the store buffer first (x86: atomics are full fences).
  if (op == Op::Atomic) wait_store_drain(c);
  // Shared state may only be touched at the core's true time: catch up first,
  // or a core running ahead would reserve the line out of order.
  flush(c);
  if (op == Op::Atomic && c.store_drain_ns() > clock_.now_ns()) {  // an interrupt handler stored meanwhile
    c.time[CpuState::Barrier] += c.store_drain_ns() - clock_.now_ns();
    clock_.sleep_until_ns(c.store_drain_ns());
  }
  const double now = clock_.now_ns();
  AccessResult r = dir_.access(c.id, op, l, now);
  uint64_t version;
  auto [result, wrote] = [&] {  // no reference to the line survives a sleep (lines may be added meanwhile)
    CacheLine& line = dir_.line(l);
    auto out = apply(line.words);
    if (out.second) ++line.version;
    version = line.version;
    return out;
  }();
  c.last = r;
  c.last_version = version;
  // An atomic implies a full barrier: counted; on a hit its cost is the
  // barrier's, on a miss the table's atomic cell already includes it.
  double barrier_ns = 0;
  if (op == Op::Atomic) {
    ++c.counters.full_barriers;
    if (r.hit) barrier_ns = machine().ns(machine().barrier_cycles);
  }
  c.time[CpuState::Barrier] += barrier_ns;
  c.time[c.stall_state] += r.done_ns - now - barrier_ns;
  if (r.hit) {
    c.pending_ns += r.done_ns - now;  // private: no event
  } else {
    clock_.sleep_until_ns(r.done_ns);  // a miss is not interrupted; interrupts wait for its end
  }
  if (wrote && l < int(watchers_.size()) && !watchers_[l].empty()) {
    flush(c, false);  // no interrupt between a write's completion and its notification
    notify(l, version);
  }
  // Interrupts that arrived during a miss are taken at the next flush (every
  // access starts with one), not here: a caller such as spin_until must be
  // able to act on what it read before anything else runs.
  return result;
}

uint64_t MemorySystem::load(Core& c, LineId l, int word) {
  return access(c, Op::Load, l, [&](std::vector<uint64_t>& w) { return std::pair{w[word], false}; });
}

// (A streaming loop's stores are RFOs bounded by the fill buffers: they do not go through the store buffer.)
void MemorySystem::access_batch(Core& c, Op op, const std::vector<LineId>& lines) {
  flush(c);
  const double now = clock_.now_ns();
  double done = now;
  for (LineId l : lines) {
    c.last = dir_.access(c.id, op, l, now);
    if (op != Op::Load) ++dir_.line(l).version;
    done = std::max(done, c.last.done_ns);
  }
  c.time[c.stall_state] += done - now;
  if (done > now) clock_.sleep_until_ns(done);
}

template <class F>
uint64_t MemorySystem::forward_load(Core& c, LineId l, F&& apply) {
  flush(c);  // the line's contents as of the CPU's true time
  CacheLine& line = dir_.line(l);
  const uint64_t result = apply(line.words).first;  // a load writes nothing
  AccessResult r;
  r.hit = true;
  r.prev = LineState::M;
  r.forwarded = true;
  r.latency_cycles = machine().l1_cycles;
  const double ns = machine().ns(machine().l1_cycles);
  r.request_ns = r.start_ns = now_ns(c);
  r.done_ns = r.start_ns + ns;
  c.last = r;
  c.last_version = line.version;
  ++c.counters.store_forwards;
  c.time[c.stall_state] += ns;
  c.pending_ns += ns;  // private: no event
  return result;
}

// A store into the store buffer; the CPU pays only the issue. The store's
// coherence transaction (priced and queued as any store) starts at the issue,
// as cores fetch the lines of buffered stores ahead of their turn (RFO
// prefetch, so a stream of store misses overlaps, as many at once as the
// CPU has line fill buffers); the store commits, and
// becomes visible, when its line is there and every earlier store has
// committed (TSO: in program order). The line's home serves nobody else
// before the commit: readers ordered after the store (spinners' re-reads)
// see the new value then.
template <class F>
void MemorySystem::buffered_store(Core& c, LineId l, F&& apply, double issue_ns) {
  flush(c);
  double now = clock_.now_ns();
  retire_drained(c, now);
  if (int(c.store_buffer.size()) >= machine().store_buffer_entries) {
    // Full: the CPU stalls until the oldest store has drained (not interrupted, as a miss).
    const double free_ns = c.store_buffer.front().done_ns;
    ++c.counters.store_buffer_full_stalls;
    c.time[c.stall_state] += free_ns - now;
    clock_.sleep_until_ns(free_ns);
    now = clock_.now_ns();
    retire_drained(c, now);
  }
  // At most line_fill_buffers of the buffered stores' lines are fetched at once:
  // this one's fetch waits for the commit of the store that many places back.
  double fetch_ns = now;
  const size_t fill_buffers = size_t(std::max(1, machine().line_fill_buffers));
  if (c.store_buffer.size() >= fill_buffers)
    fetch_ns = std::max(now, c.store_buffer[c.store_buffer.size() - fill_buffers].done_ns);
  AccessResult r = dir_.access(c.id, Op::Store, l, fetch_ns);
  r.buffered = true;
  r.done_ns = std::max(r.done_ns, c.store_drain_ns());  // the commit
  c.store_buffer.push_back({l, r.done_ns});
  uint64_t version;
  {
    CacheLine& line = dir_.line(l);
    line.busy_until_ns = std::max(line.busy_until_ns, r.done_ns);
    apply(line.words);
    version = ++line.version;
  }
  c.last = r;
  c.last_version = version;
  c.time[c.stall_state] += issue_ns;
  c.pending_ns += issue_ns;  // private: no event
  if (l < int(watchers_.size()) && !watchers_[l].empty()) {
    // Spinners re-read when the store commits (their copies are invalidated then), not at its issue:
    // requests reaching the home in between go first. One engine timer, at the commit.
    clock_.at(r.done_ns, [this, l, version] {
      CacheLine& line = dir_.line(l);
      line.posted_version = std::max(line.posted_version, version);
      notify(l, version);
    });
  } else {
    // Nobody spins yet: one who registers after a read that preceded this store re-reads at once
    // (spin_impl), queued behind the commit at the line's home.
    CacheLine& line = dir_.line(l);
    line.posted_version = std::max(line.posted_version, version);
  }
}

template <class F>
void MemorySystem::store_impl(Core& c, LineId l, F&& apply) {
  if (machine().store_buffer_entries > 0) {
    // A store that hits in the CPU's cache costs the same when buffered: the issue is the hit.
    buffered_store(c, l, apply, machine().ns(machine().l1_cycles));
  } else {
    access(c, Op::Store, l, apply);
  }
}

void MemorySystem::store(Core& c, LineId l, int word, uint64_t v) {
  store_impl(c, l, [&](std::vector<uint64_t>& w) {
    w[word] = v;
    return std::pair{uint64_t(0), true};
  });
}

void MemorySystem::post_store(Core& c, LineId l, int word, uint64_t v, double issue_cycles) {
  // The payload is written first (issue_cycles of marshalling); the store that publishes it follows, so a
  // receiver polling the line cannot see the message before the sender has finished writing it.
  compute(c, issue_cycles, c.stall_state);
  auto apply = [&](std::vector<uint64_t>& w) {
    w[word] = v;
    return std::pair{uint64_t(0), true};
  };
  if (machine().store_buffer_entries > 0) buffered_store(c, l, apply, 0.0);
  else access(c, Op::Store, l, apply);  // no store buffer: the sender waits for its line
}

uint64_t MemorySystem::fetch_add(Core& c, LineId l, int word, uint64_t delta) {
  return access(c, Op::Atomic, l, [&](std::vector<uint64_t>& w) {
    uint64_t old = w[word];
    w[word] = old + delta;
    return std::pair{old, true};
  });
}

uint64_t MemorySystem::swap(Core& c, LineId l, int word, uint64_t v) {
  return access(c, Op::Atomic, l, [&](std::vector<uint64_t>& w) {
    uint64_t old = w[word];
    w[word] = v;
    return std::pair{old, true};
  });
}

bool MemorySystem::cas(Core& c, LineId l, int word, uint64_t expected, uint64_t desired) {
  // A failed CAS still takes the line exclusive (it is priced as an atomic)
  // but writes nothing, so spinners are not woken.
  return access(c, Op::Atomic, l, [&](std::vector<uint64_t>& w) {
           if (w[word] != expected) return std::pair{uint64_t(0), false};
           w[word] = desired;
           return std::pair{uint64_t(1), true};
         }) != 0;
}

bool MemorySystem::cas_loop_add(Core& c, LineId l, int word, uint64_t delta) {
  const uint64_t expected = load(c, l, word);
  bool failed = false;
  access(c, Op::Atomic, l, [&](std::vector<uint64_t>& w) {
    failed = w[word] != expected;  // a failed cmpxchg writes nothing; its retry, on the held line, does
    w[word] += delta;
    return std::pair{uint64_t(0), true};
  });
  // (The count is updated at the first cmpxchg's completion: a failed one's retry lands l1 + barrier cycles
  // later on the machine, a window the model leaves out.)
  if (failed) {  // the retry: an atomic hit (as in access(): l1_cycles, plus a full barrier)
    dir_.count_atomic_hit(c.id);
    ++c.counters.full_barriers;
    const double barrier_ns = machine().ns(machine().barrier_cycles);
    const double hit_ns = machine().ns(machine().l1_cycles);
    c.time[CpuState::Barrier] += barrier_ns;
    c.time[c.stall_state] += hit_ns;
    c.pending_ns += hit_ns + barrier_ns;
  }
  return failed;
}

uint64_t MemorySystem::rmw(Core& c, LineId l, const Rmw& f) { return access(c, Op::Atomic, l, f); }

uint64_t MemorySystem::spin_until(Core& c, LineId l, int word, const Pred& pred, bool* waited) {
  uint64_t v = 0;
  const LinePred lp = [&pred, word](const std::vector<uint64_t>& w) { return pred(w[word]); };
  spin_impl(c, l, word, lp, -1, &v, waited);
  return v;
}

uint64_t MemorySystem::spin_until_owned(Core& c, LineId l, int word, const Pred& pred) {
  uint64_t v = 0;
  const LinePred lp = [&pred, word](const std::vector<uint64_t>& w) { return pred(w[word]); };
  spin_impl(c, l, word, lp, -1, &v, nullptr, Op::Store);
  return v;
}

bool MemorySystem::spin_until_deadline(Core& c, LineId l, int word, const Pred& pred, double deadline_ns,
                                       uint64_t* value) {
  const LinePred lp = [&pred, word](const std::vector<uint64_t>& w) { return pred(w[word]); };
  return spin_impl(c, l, word, lp, deadline_ns, value, nullptr);
}

void MemorySystem::spin_until_line(Core& c, LineId l, const LinePred& pred) {
  uint64_t v = 0;
  spin_impl(c, l, 0, pred, -1, &v, nullptr);
}

void MemorySystem::store_words(Core& c, LineId l, const std::vector<std::pair<int, uint64_t>>& words) {
  store_impl(c, l, [&](std::vector<uint64_t>& w) {
    for (const auto& [i, v] : words) w[i] = v;
    return std::pair{uint64_t(0), true};
  });
}

bool MemorySystem::spin_impl(Core& c, LineId l, int word, const LinePred& pred, double deadline_ns, uint64_t* value,
                             bool* waited, Op poll) {
  // One read of the line (poll: Op::Store reads it for ownership): the whole line is what the condition sees.
  bool holds = false;
  const uint64_t v = access(c, poll, l, [&](std::vector<uint64_t>& w) {
    holds = pred(w);
    return std::pair{w[word], false};
  });
  const uint64_t seen_version = c.last_version;  // the version at the read's place in the home's order
  if (waited) *waited = !holds;
  *value = v;
  if (holds) return true;
  // Register before anything can yield (the flush below, an interrupt), so
  // that no write completing from now on is missed.
  Watcher w{&c, word, &pred, seen_version, poll};
  if (int(watchers_.size()) <= l) watchers_.resize(l + 1);
  watchers_[l].push_back(&w);
  c.blocked_in = "spin";
  c.spinning_on = l;
  // A posted store that came after our read in the home's order notified
  // before we registered: re-read now (the read queues behind it).
  if (dir_.line(l).posted_version > seen_version) reread(l, {&w}, /*signal=*/false);
  flush(c);
  const double t_spin = clock_.now_ns();
  const double irq0 = c.irq_wall_ns;
  // Blocked until notify() finds the condition true (or the deadline); an
  // interrupt may run its handler meanwhile (then the spinning resumes).
  c.interruptible = true;
  bool timed_out = false;
  while (!w.satisfied) {
    if (deadline_ns >= 0) {
      constexpr double kSameTimeNs = 1e-3;  // float rounding of the engine's clock
      if (clock_.now_ns() + kSameTimeNs >= deadline_ns || !c.wait_point->wait_until_ns(deadline_ns)) {
        if (!w.satisfied && clock_.now_ns() + kSameTimeNs >= deadline_ns) {
          timed_out = true;
          break;
        }
      }
    } else {
      c.wait_point->wait();
    }
    take_irqs_while_waiting(c);
  }
  c.interruptible = false;
  c.blocked_in = "";
  if (timed_out) {
    auto& ws = watchers_[l];
    ws.erase(std::find(ws.begin(), ws.end(), &w));
    c.time[CpuState::Spin] += clock_.now_ns() - t_spin - (c.irq_wall_ns - irq0);
    *value = dir_.line(l).words[word];  // the copy in the spinner's cache: the value its last read saw
    return false;
  }
  clock_.sleep_until_ns(w.done_ns);
  c.time[CpuState::Spin] += std::max(w.done_ns, clock_.now_ns()) - t_spin - (c.irq_wall_ns - irq0);
  if (!c.pending_irqs.empty() && can_take_irq(c)) handle_irqs(c);
  *value = w.value;
  return true;
}

void MemorySystem::spin_until_all(Core& c, const std::vector<LineId>& lines, int word, const Pred& pred) {
  flush(c);
  const double t0 = clock_.now_ns();
  const LinePred lp = [&pred, word](const std::vector<uint64_t>& w) { return pred(w[word]); };
  // Every line is read at once; a line whose condition does not hold yet is
  // watched like spin_until's.
  std::deque<Watcher> watching;
  double done_ns = t0;
  for (LineId l : lines) {
    const AccessResult r = dir_.access(c.id, Op::Load, l, t0);
    c.last = r;
    const CacheLine& line = dir_.line(l);
    if (lp(line.words)) {
      done_ns = std::max(done_ns, r.done_ns);
      continue;
    }
    watching.push_back(Watcher{&c, word, &lp, line.version});
    if (int(watchers_.size()) <= l) watchers_.resize(size_t(l) + 1);
    watchers_[size_t(l)].push_back(&watching.back());
  }
  auto all = [&] {
    for (const Watcher& w : watching)
      if (!w.satisfied) return false;
    return true;
  };
  const double irq0 = c.irq_wall_ns;
  if (!all()) {
    c.blocked_in = "spin";
    c.spinning_on = lines.front();
    c.interruptible = true;
    while (!all()) {
      c.wait_point->wait();
      take_irqs_while_waiting(c);
    }
    c.interruptible = false;
    c.blocked_in = "";
  }
  for (const Watcher& w : watching) done_ns = std::max(done_ns, w.done_ns);
  if (done_ns > clock_.now_ns()) clock_.sleep_until_ns(done_ns);
  c.time[CpuState::Spin] += clock_.now_ns() - t0 - (c.irq_wall_ns - irq0);
  if (!c.pending_irqs.empty() && can_take_irq(c)) handle_irqs(c);
}

void MemorySystem::bulk_transfer(Core& c, int from_node, int to_node, double bytes, CpuState st) {
  flush(c);
  const double t0 = clock_.now_ns();
  clock_.bulk_transfer(from_node, to_node, bytes);
  c.time[st] += clock_.now_ns() - t0;
}

void MemorySystem::notify(LineId l, uint64_t version) {
  // Called at the completion of a write: every spinner that has not seen it
  // re-reads the line. The home answers them one at a time in an arbitrary
  // (seeded) order; only a spinner whose condition now holds is woken.
  std::vector<Watcher*>& due = due_scratch_;  // nothing here yields: scratch space is safe
  due.clear();
  for (Watcher* w : watchers_[l])
    if (w->seen_version < version) due.push_back(w);
  if (due.empty()) return;
  order_rng_.shuffle(due);
  reread(l, due);
}

void MemorySystem::reread(LineId l, const std::vector<Watcher*>& due, bool signal) {
  std::vector<Watcher*>& ws = watchers_[l];
  const double now = clock_.now_ns();
  for (Watcher* w : due) {
    AccessResult r = dir_.access(w->core->id, w->poll, l, now);
    const CacheLine& line = dir_.line(l);
    w->core->last = r;
    w->seen_version = line.version;
    const uint64_t v = line.words[w->word];
    if ((*w->pred)(line.words)) {
      w->value = v;
      w->done_ns = r.done_ns;
      w->satisfied = true;
      ws.erase(std::find(ws.begin(), ws.end(), w));
      // A spinner wakes when its re-read completes (one event for it, none
      // for the writer). Signals go through engine timers: nothing runs
      // before the writer blocks.
      if (signal) w->core->wait_point->signal_at(w->done_ns);
    }
  }
}

}  // namespace smpsim
