#include "models/design/parts/cross_calls.hpp"

#include <fmt/format.h>

namespace smpsim {

CrossCalls::CrossCalls(MemorySystem& mem, KernelObjects& objs)
    : mem_(mem), objs_(objs), queued_(size_t(mem.cores())), in_kernel_(size_t(mem.cores()), 0),
      seq_(size_t(mem.cores()), 0), counters_(size_t(mem.cores())), req_field_(objs.field_id("xcall_req")),
      rep_field_(objs.field_id("xcall_rep")) {}

LineId CrossCalls::line(int caller, bool reply, int slot) {
  return objs_.line({ObjectClass::cpu, -1, caller}, reply ? rep_field_ : req_field_, slot,
                    mem_.machine().topo.die_of(caller));
}

// A request or reply written after `software_cycles` of the call path (none: a plain store).
void CrossCalls::publish(Core& c, LineId l, uint64_t seq, double software_cycles) {
  if (software_cycles > 0) mem_.post_store(c, l, 0, seq, software_cycles);
  else mem_.store(c, l, 0, seq);
}

void CrossCalls::call(Core& c, int server, const std::string& op, const OpArgs& args) {
  const double t0 = mem_.now_ns(c);
  const uint64_t seq = start(c, server, op, args, 0);
  wait(c, 0, seq);
  add_wait_ns(c, mem_.now_ns(c) - t0);
}

void CrossCalls::send(Core& c, int server, const std::string& op, const OpArgs& args) {
  int& next = async_next_[c.id];
  const int slot = kAsyncSlot0 + next;
  next = (next + 1) % kAsyncSlots;
  auto it = async_pending_.find({c.id, slot});
  if (it != async_pending_.end()) wait(c, slot, it->second);  // the port's previous reply
  const double t0 = mem_.now_ns(c);
  async_pending_[{c.id, slot}] = start(c, server, op, args, slot);
  add_wait_ns(c, mem_.now_ns(c) - t0);
}

uint64_t CrossCalls::start(Core& c, int server, const std::string& op, const OpArgs& args, int slot, bool lockfree) {
  const uint64_t seq = ++seq_[size_t(c.id)];
  ++counters_[size_t(c.id)].calls;
  publish(c, line(c.id, false, slot), seq, call_cycles_);
  Call d{op, args, c.id, seq, slot, lockfree};
  mem_.send_ipi(c, {server}, [this, d](Core& s) { arrives(s, d); });
  return seq;
}

// Spins on the reply line of `slot`; every kPollCycles, serves calls made to
// this CPU (two instances calling each other would otherwise wait for ever).
// A wait inside a recipe that holds locks serves only lock-free calls (a
// recipe call could need a lock the waiter holds: a deadlock no real kernel
// would have, since there the call runs in another thread).
void CrossCalls::wait(Core& c, int slot, uint64_t seq, bool lockfree_only) {
  constexpr double kPollCycles = 2000;
  const LineId rep = line(c.id, true, slot);
  uint64_t v = 0;
  while (!mem_.spin_until_deadline(c, rep, 0, [seq](uint64_t x) { return x == seq; },
                                   mem_.now_ns(c) + mem_.machine().ns(kPollCycles), &v))
    serve_queued(c, lockfree_only);
}

// In the IPI handler: serve at once if the CPU is outside the kernel (user
// mode or idle), as a doors server thread would be scheduled; else queue the
// call for the CPU's next kernel exit.
void CrossCalls::arrives(Core& s, const Call& d) {
  if (in_kernel_[size_t(s.id)]) {
    queued_[size_t(s.id)].push_back(d);
    return;
  }
  // The call runs in the server's kernel with interrupts enabled (it may
  // sleep, and be woken by an IPI).
  s.in_irq = false;
  const CpuState saved = s.stall_state;
  s.stall_state = CpuState::Stall;
  serve(s, d);
  serve_queued(s);  // calls that arrived meanwhile were queued: this CPU may not enter the kernel again
  s.stall_state = saved;
  s.in_irq = true;
}

void CrossCalls::serve(Core& s, const Call& d) {
  enter(s);
  ++counters_[size_t(s.id)].served;
  mem_.load(s, line(d.caller, false, d.slot), 0);
  server_(s, d);
  publish(s, line(d.caller, true, d.slot), d.seq, return_cycles_);
  leave(s);
}

void CrossCalls::serve_queued(Core& s, bool lockfree_only) {
  auto& q = queued_[size_t(s.id)];
  if (lockfree_only) {
    for (auto it = q.begin(); it != q.end();) {
      if (!it->lockfree) {
        ++it;
        continue;
      }
      const Call d = *it;
      q.erase(it);
      serve(s, d);
      it = q.begin();  // serving may have queued more
    }
    return;
  }
  if (in_kernel_[size_t(s.id)] > 1) return;  // only at the outermost level
  while (!q.empty()) {
    const Call d = q.front();
    q.pop_front();
    serve(s, d);
  }
}

const StatTable<CrossCalls::Counters>& CrossCalls::Counters::table() {
  using T = StatTable<Counters>;
  static const T t({T::count("xcalls", "calls to another CPU (ccCluster cross calls, msgport messages to a remote port)",
                             &Counters::calls),
                    T::count("xcalls_served", "calls this CPU served for another", &Counters::served),
                    T::number("xcall_wait_ns", "ns", "time callers waited for replies", &Counters::wait_ns),
                    T::count("messages_local", "msgport: messages to the CPU's own port", &Counters::messages_local)});
  return t;
}

SMPSIM_REGISTER(StatRegistry, [] {
  return CrossCalls::Counters::table().group("design_events", {"metrics.events", "metrics.cores[]"},
                                             "a design's calls between CPUs, in the events counters");
});

nlohmann::json CrossCalls::cpu_counters(int cpu) const { return Counters::table().to_json(counters_[size_t(cpu)]); }

}  // namespace smpsim
