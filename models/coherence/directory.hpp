// The coherence directory: for every modelled cache line, its state (I, S, E,
// O, M), its owner and sharers, and its home (a die whose memory backs it).
// It prices one access analytically from the machine's latency table and
// serializes requests for one line at the line's home: a FIFO server, so N
// simultaneous requesters are answered one after another. What a read miss does
// to a shared line is the machine's protocol's (protocol.hpp).
// No SimGrid here: the caller passes the current time and sleeps until `done_ns`.
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "models/coherence/interconnect.hpp"
#include "models/coherence/protocol.hpp"
#include "models/machine/core_distances.hpp"
#include "models/machine/machine.hpp"
#include "engine/stats.hpp"

namespace smpsim {

using LineId = int;

struct CacheLine {
  std::string name;
  int home_die = 0;
  LineState state = LineState::I;
  int owner = -1;              // holder in E, M or O
  std::vector<int> sharers;    // holders in S (not the owner)
  double busy_until_ns = 0;    // when the home finishes the last queued request
  uint64_t version = 0;        // bumped by every write, in serialization order
  uint64_t posted_version = 0; // the last buffered store's version whose spinners were notified (MemorySystem)
  std::vector<uint64_t> words; // the line's contents, as the algorithm sees them
  long long transfers = 0;     // misses answered by another cache or by memory
  double queue_wait_ns = 0;    // time requests waited for this line's home

  bool held_by(int core) const;
};

struct AccessResult {
  bool hit = false;
  LineState prev = LineState::I;
  Distance dist = Distance::SameCore;  // requester to whoever answered
  bool from_memory = false;
  int from_core = -1;                  // the cache that answered, if any
  int invalidations = 0;               // copies invalidated by this access
  int probes = 0;                      // invalidation messages sent (all other dies if broadcast)
  bool llc = false;                    // served by the requester's die's last-level cache
  double latency_cycles = 0;           // service time, without queueing (the detour included)
  double home_detour_cycles = 0;       // of which: the way through a home on a third die (home_hop_cycles)
  double request_ns = 0;               // when the request reached the home
  double start_ns = 0;                 // service start (>= request time): after the line's earlier requests
  double resource_wait_ns = 0;         // queueing at shared resources (interconnect.hpp) on its way
  int worst_resource = -1;             // where it queued longest (Interconnect::resources())
  double done_ns = 0;                  // start_ns + latency + resource_wait_ns
  // Set by the CPU's store buffer (MemorySystem), not by the directory:
  bool buffered = false;               // a store that retired into the store buffer (done_ns: its drain)
  bool forwarded = false;              // a load served from the CPU's own store buffer (no transaction)
};

// Per-core coherence counters.
struct CoherenceCounters {
  long long loads = 0, stores = 0, atomics = 0, hits = 0, misses = 0;
  long long from_memory = 0, invalidations_sent = 0, probes_sent = 0;
  std::array<long long, kDistanceCount> transfers_by_distance{};
  double queue_wait_ns = 0;  // time a request waited for the line's home
  double resource_wait_ns = 0;  // time requests queued at shared resources (home agents, links, LLCs, memory)
  static const StatTable<CoherenceCounters>& table();  // directory.cpp
};

class Directory {
 public:
  Directory(const Machine& m, int cores);
  LineId add_line(std::string name, int home_die, int words = 8);
  CacheLine& line(LineId id) { return lines_[id]; }
  const CacheLine& line(LineId id) const { return lines_[id]; }
  int line_count() const { return int(lines_.size()); }

  // Prices and performs `op` by `core` on `id`, requested at `now_ns`:
  // updates state, owner and sharers, and reserves the home until done_ns.
  AccessResult access(int core, Op op, LineId id, double now_ns);

  // Puts a line in a state without cost or time: microbenchmark set-up, as
  // ccbench prepares a line with other cores before timing one access.
  // `sharers` in the order they read the line (MESIF: the last one forwards).
  void prepare(LineId id, LineState st, int owner, std::vector<int> sharers);
  // The line leaves every cache (a streaming loop's working set evicts it):
  // a dirty copy is written back to the home at now_ns, loading the links, the
  // home agent and the memory controller; nobody waits for it.
  void evict(LineId id, double now_ns);

  const CoherenceCounters& counters(int core) const { return counters_[core]; }
  // An atomic that hits a line the CPU was just given, without a directory lookup (a CAS loop's retry:
  // MemorySystem::cas_loop_add): counted as an atomic and a hit.
  void count_atomic_hit(int core) {
    ++counters_[core].atomics;
    ++counters_[core].hits;
  }
  // Cache-to-cache transfers from CPU `from` to CPU `to` (the heatmap of who feeds whom).
  long long pair_transfers(int from, int to) const { return pairs_[size_t(from) * counters_.size() + size_t(to)]; }
  const Machine& machine() const { return m_; }
  // The latency table's cell (with its fallbacks) for a miss: op on a line in state st at distance d.
  double miss_cycles(Op op, LineState st, Distance d) const;
  const Interconnect& interconnect() const { return net_; }
  Interconnect& interconnect() { return net_; }

 private:
  // Reserves the shared resources of a miss decided by access(): the queueing it met.
  ResourceWait cross_resources(int core, Op op, const CacheLine& L, const AccessResult& r, bool requester_shared,
                               const std::vector<int>& others, double idle_ns);
  const Machine& m_;
  const CoherenceProtocol& protocol_;
  // A deque: lines are added while the simulation runs (a page's lines at its
  // first fault), and a vector's reallocation would move every line so far.
  std::deque<CacheLine> lines_;
  std::vector<CoherenceCounters> counters_;
  std::vector<long long> pairs_;  // [from * cores + to]
  Interconnect net_;
  std::vector<int> probed_scratch_;
  CoreDistances dist_;
  // The latency table resolved once (LatencyTable::lookup's fallbacks): -1 where it has no entry.
  double miss_cycles_[kOpCount][kStateCount][kDistanceCount];
};

}  // namespace smpsim
