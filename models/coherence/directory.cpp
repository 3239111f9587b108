#include "models/coherence/directory.hpp"

#include <algorithm>
#include <stdexcept>

#include "models/coherence/nearest_sharer.hpp"
#include "models/coherence/protocol.hpp"

namespace smpsim {

bool CacheLine::held_by(int core) const {
  return owner == core || std::find(sharers.begin(), sharers.end(), core) != sharers.end();
}

Directory::Directory(const Machine& m, int cores)
    : m_(m), protocol_(coherence_protocol(m.protocol)), counters_(cores), pairs_(size_t(cores) * size_t(cores), 0),
      net_(m), dist_(m.topo, cores) {
  std::fill_n(&miss_cycles_[0][0][0], kOpCount * kStateCount * kDistanceCount, -1.0);
  for (int op = 0; op < kOpCount; ++op)
    for (int st = 0; st < kStateCount; ++st)
      for (int d = 0; d < kDistanceCount; ++d)
        if (auto v = m.table.lookup(Op(op), LineState(st), Distance(d))) miss_cycles_[op][st][d] = *v;
}

LineId Directory::add_line(std::string name, int home_die, int words) {
  CacheLine l;
  l.name = std::move(name);
  l.home_die = home_die;
  l.words.assign(words, 0);
  lines_.push_back(std::move(l));
  return LineId(lines_.size() - 1);
}

double Directory::miss_cycles(Op op, LineState st, Distance d) const {
  if (const double v = miss_cycles_[int(op)][int(st)][int(d)]; v >= 0) return v;
  // The scenario loader checks that every reachable entry resolves; reaching
  // this is a bug in that check.
  throw std::logic_error(std::string("no coherence latency for ") + op_name(op) + " on " +
                         state_name(st) + " at " + distance_name(d));
}

void Directory::prepare(LineId id, LineState st, int owner, std::vector<int> sharers) {
  CacheLine& L = lines_[id];
  L.state = st;
  L.owner = owner;
  L.sharers = std::move(sharers);
}

void Directory::evict(LineId id, double now_ns) {
  CacheLine& L = lines_[id];
  if (L.owner >= 0 && (L.state == LineState::M || L.state == LineState::O))
    net_.writeback(m_.topo.die_of(L.owner), L.home_die, std::max(now_ns, L.busy_until_ns));
  L.state = LineState::I;
  L.owner = -1;
  L.sharers.clear();
}

AccessResult Directory::access(int core, Op op, LineId id, double now_ns) {
  CacheLine& L = lines_[id];
  CoherenceCounters& cnt = counters_[core];
  const Topology& topo = m_.topo;
  (op == Op::Load ? cnt.loads : op == Op::Store ? cnt.stores : cnt.atomics)++;

  AccessResult r;
  r.prev = L.state;
  r.request_ns = now_ns;
  const bool owns = L.owner == core;
  const bool shares = !owns && L.held_by(core);

  // Hits: the requester's own cache answers; the home is not involved.
  bool hit = (op == Op::Load && (owns || shares)) ||
             (op != Op::Load && owns && (L.state == LineState::M || L.state == LineState::E));
  if (hit) {
    if (op != Op::Load) L.state = LineState::M;  // E -> M is silent
    r.hit = true;
    r.latency_cycles = m_.l1_cycles + (op == Op::Atomic ? m_.barrier_cycles : 0);
    r.start_ns = now_ns;
    r.done_ns = now_ns + m_.ns(r.latency_cycles);
    ++cnt.hits;
    return r;
  }

  ++cnt.misses;
  net_.advance(now_ns);
  // The farthest copy bounds an invalidation; with no other copy (a lone
  // upgrade) the request still goes to the die's directory.
  auto farthest = [&](const std::vector<int>& copies) {
    if (copies.empty()) return Distance::SameDie;
    Distance d = Distance::SameCore;
    for (int o : copies) d = std::max(d, dist_(core, o));
    return d;
  };

  const int my_die = dist_.die_of(core);
  const bool llc = net_.llc_serves_reads();
  std::vector<int> others;  // the copies a store invalidates
  switch (L.state) {
    case LineState::I:
      r.from_memory = true;
      r.dist = topo.die_distance(my_die, L.home_die);
      L.state = op == Op::Load ? LineState::E : LineState::M;
      L.owner = core;
      break;
    case LineState::M:
    case LineState::E: {
      const int o = L.owner;
      r.dist = dist_(core, o);
      r.from_core = o;
      if (op == Op::Load) {
        r.llc = llc && dist_.die_of(o) == my_die;  // the die's LLC snoops its own core
        protocol_.read_owned_line(L, core);
      } else {
        r.invalidations = 1;
        r.probes = 1;  // the owner is known, even to a probe filter
        L.state = LineState::M;
        L.owner = core;
        L.sharers.clear();
      }
      break;
    }
    case LineState::O:
    case LineState::S: {
      if (op == Op::Load) {
        // Answered by the owner (O) or the sharer the protocol names (S).
        int src = L.state == LineState::O ? L.owner : protocol_.shared_line_responder(L, core, dist_);
        // A die's LLC holds what its caches share: it answers a reader of its own die.
        if (llc && L.state == LineState::S) {
          const int near = nearest_sharer(L, core, dist_);
          if (dist_.die_of(near) == my_die) src = near;
        }
        r.llc = llc && dist_.die_of(src) == my_die;
        r.dist = dist_(core, src);
        r.from_core = src;
        L.sharers.push_back(core);
      } else {
        // A store must invalidate every other copy; the farthest one bounds it.
        if (L.owner >= 0 && L.owner != core) others.push_back(L.owner);
        for (int s : L.sharers)
          if (s != core) others.push_back(s);
        r.dist = farthest(others);
        r.from_core = L.owner >= 0 && L.owner != core ? L.owner : -1;
        r.invalidations = int(others.size());
        // A probe filter that does not track sharers broadcasts to every
        // other die; a directory invalidates the sharers only.
        r.probes = m_.invalidation == Invalidation::Broadcast ? topo.dies() - 1 : r.invalidations;
        L.state = LineState::M;
        L.owner = core;
        L.sharers.clear();
      }
      break;
    }
  }

  r.latency_cycles = miss_cycles(op, r.prev, r.dist);
  // A protocol that sends every request to the line's home first (a directory, a probe filter) goes
  // requester -> home -> owner: with the home on a third die that is longer than the table's cells, measured
  // with the home at one of the two ends (SOSP'13, section 5.2), by the extra link hops, each one way.
  if (m_.home_hop_cycles > 0 && r.from_core >= 0 && r.from_core != core && !r.llc) {
    const int owner_die = dist_.die_of(r.from_core);
    if (L.home_die != my_die && L.home_die != owner_die) {
      const int extra = net_.hops(my_die, L.home_die) + net_.hops(L.home_die, owner_die) - net_.hops(my_die, owner_die);
      r.home_detour_cycles = m_.home_hop_cycles * std::max(0, extra);
      r.latency_cycles += r.home_detour_cycles;
    }
  }
  r.start_ns = std::max(now_ns, L.busy_until_ns);
  const double idle_ns = m_.ns(r.latency_cycles);
  const ResourceWait w = r.llc ? net_.llc_read(my_die, r.start_ns)
                               : cross_resources(core, op, L, r, shares, others, idle_ns);
  r.resource_wait_ns = w.delay_ns;
  r.worst_resource = w.worst;
  r.done_ns = r.start_ns + idle_ns + w.delay_ns;
  // The home orders requests for a line: the next waits for this one, except
  // reads of a shared line that a die's LLC serves side by side.
  if (!(r.llc && (r.prev == LineState::S || r.prev == LineState::O))) L.busy_until_ns = r.done_ns;
  cnt.resource_wait_ns += w.delay_ns;
  ++L.transfers;
  L.queue_wait_ns += r.start_ns - now_ns;
  cnt.queue_wait_ns += r.start_ns - now_ns;
  cnt.invalidations_sent += r.invalidations;
  cnt.probes_sent += r.probes;
  if (r.from_memory)
    ++cnt.from_memory;
  else
    ++cnt.transfers_by_distance[int(r.dist)];
  if (r.from_core >= 0 && r.from_core != core) ++pairs_[size_t(r.from_core) * counters_.size() + size_t(core)];
  return r;
}

ResourceWait Directory::cross_resources(int core, Op op, const CacheLine& L, const AccessResult& r,
                                        bool requester_shared, const std::vector<int>& others, double idle_ns) {
  if (!net_.modelled()) return {};
  const Topology& topo = m_.topo;
  Transaction t;
  t.requester_die = dist_.die_of(core);
  t.home_die = L.home_die;
  t.responder_die = r.from_core >= 0 && r.from_core != core ? dist_.die_of(r.from_core) : -1;
  if (op == Op::Load) {
    t.kind = HomeRequest::Read;
    t.from_memory = r.from_memory;
    // MESI and MESIF write a Modified line back when a remote reader shares it.
    t.writeback = r.prev == LineState::M && !protocol_.has_owned_state();
  } else {
    const bool upgrade = requester_shared && (r.prev == LineState::S || r.prev == LineState::O);
    t.kind = upgrade ? HomeRequest::Upgrade : HomeRequest::Rfo;
    t.data = !upgrade;
    // Clean shared data comes from memory when no owner holds the line.
    t.from_memory = r.from_memory || (!upgrade && t.responder_die < 0);
    if (r.prev == LineState::S || r.prev == LineState::O) {
      probed_scratch_.clear();
      if (m_.invalidation == Invalidation::Broadcast) {
        for (int d = 0; d < topo.dies(); ++d)
          if (d != t.home_die) probed_scratch_.push_back(d);
      } else {
        for (int o : others) probed_scratch_.push_back(dist_.die_of(o));
        std::sort(probed_scratch_.begin(), probed_scratch_.end());
        probed_scratch_.erase(std::unique(probed_scratch_.begin(), probed_scratch_.end()), probed_scratch_.end());
      }
      t.probed_dies = &probed_scratch_;
    }
  }
  return net_.transact(t, r.request_ns, r.start_ns, idle_ns);
}

}  // namespace smpsim

namespace smpsim {

const StatTable<CoherenceCounters>& CoherenceCounters::table() {
  using T = StatTable<CoherenceCounters>;
  static const T t = [] {
    std::vector<std::string> keys;
    for (int d = 0; d < kDistanceCount; ++d) keys.push_back(distance_name(Distance(d)));
    return T({T::count("loads", "loads of modelled lines", &CoherenceCounters::loads),
              T::count("stores", "stores to modelled lines", &CoherenceCounters::stores),
              T::count("atomics", "atomic read-modify-writes (lock-prefixed instructions)", &CoherenceCounters::atomics),
              T::count("hits", "accesses served by the CPU's own cache", &CoherenceCounters::hits),
              T::count("misses", "accesses that went to the directory", &CoherenceCounters::misses),
              T::count("from_memory", "misses served by memory (no cache had the line)", &CoherenceCounters::from_memory),
              T::count("invalidations_sent", "targeted invalidations sent to the sharers of a line a store or atomic wanted (a directory's)", &CoherenceCounters::invalidations_sent),
              T::count("probes_sent", "probes broadcast to every other die (a probe filter that does not track sharers: invalidation broadcast)", &CoherenceCounters::probes_sent),
              T::keyed("transfers_by_distance", "misses served by another cache, by distance to it",
                       &CoherenceCounters::transfers_by_distance, keys),
              T::number("queue_wait_ns", "ns", "time requests waited for their line's home (one line's FIFO)",
                        &CoherenceCounters::queue_wait_ns),
              T::number("resource_wait_ns", "ns",
                        "time requests queued at shared resources (home agents, links, LLCs, memory controllers)",
                        &CoherenceCounters::resource_wait_ns)});
  }();
  return t;
}

SMPSIM_REGISTER(StatRegistry, [] {
  return CoherenceCounters::table().group("coherence", {"metrics.coherence", "metrics.cores[].coherence"},
                                          "cache-coherence traffic, per CPU and summed over CPUs");
});

}  // namespace smpsim
