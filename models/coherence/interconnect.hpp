// The shared resources that coherence transactions pass through, and the
// route each transaction takes over them (issue 19):
//   - a home agent per die (memory node): the directory / probe filter that
//     orders requests for the lines it homes, `home_requests_in_flight`
//     requests at once, each holding it for its kind's occupancy;
//   - a link per direction between neighbouring dies (die-to-die inside a
//     package, socket-to-socket), carrying packets at its bandwidth: a data
//     packet (a line plus its header) or a control packet (request, forward,
//     probe, acknowledgement);
//   - a last-level cache per die that serves reads of lines a cache of that
//     die holds (machines whose LLC is inclusive or keeps shadow tags);
//   - a memory controller per node, moving lines at the node's bandwidth.
// A miss goes requester -> home -> owner or sharers -> requester and reserves
// each resource on its way, at the time it gets there (resource.hpp). The
// latency a miss sees is its latency-table cell plus the queueing at the
// resources it crossed: an idle machine's costs are exactly the table's.
// A parameter of 0 leaves its resource out (a machine without these
// parameters behaves as before: only the line's home FIFO queues).
#pragma once
#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "engine/trace.hpp"
#include "models/coherence/resource.hpp"
#include "models/machine/machine.hpp"

namespace smpsim {

// What a request asks of the home agent (each kind has its occupancy).
enum class HomeRequest { Read, Rfo, Upgrade, Writeback, Probe };

// The queueing one transaction met, for --explain and the counters.
struct ResourceWait {
  double delay_ns = 0;  // what the requester waited: queueing on the transaction's critical path
  int worst = -1;       // the resource it waited at longest (an index into Interconnect::resources())
  double worst_ns = 0;
  void note(int resource, double wait_ns) {
    if (wait_ns > worst_ns) worst_ns = wait_ns, worst = resource;
  }
};

// One coherence transaction, as the directory decided it.
struct Transaction {
  int requester_die = 0;
  int home_die = 0;
  HomeRequest kind = HomeRequest::Read;
  bool from_memory = false;       // the home reads the line from its memory
  int responder_die = -1;         // a cache that sends the data (-1: none)
  bool data = true;               // the requester receives the line (not an upgrade)
  bool writeback = false;         // the responder also writes the dirty line back to the home
  const std::vector<int>* probed_dies = nullptr;  // dies that get an invalidation probe and acknowledge
};

class Interconnect {
 public:
  explicit Interconnect(const Machine& m);

  // No request still to come arrives before now_ns - kDisorderNs (accesses are
  // made at their CPU's true time, in engine order): older busy intervals go.
  void advance(double now_ns) { floor_ns_ = std::max(floor_ns_, now_ns - kDisorderNs); }
  // Reserves the resources of `t`, requested at request_ns, whose turn at the
  // line's home comes at start_ns, and which takes idle_ns unloaded: the
  // queueing it met.
  ResourceWait transact(const Transaction& t, double request_ns, double start_ns, double idle_ns);
  // A read served by the requester's own die's last-level cache.
  bool llc_serves_reads() const { return llc_.size() > 0; }
  ResourceWait llc_read(int die, double start_ns);
  // An interrupt message (an IPI) from die `from` to die `to`, sent at send_ns: one control packet over
  // each link of the route, store and forward. Returns the queueing it met (0 on an idle machine).
  double interrupt_message(int from_die, int to_die, double send_ns);
  long long interrupt_messages() const { return interrupt_messages_; }
  double interrupt_wait_ns() const { return interrupt_wait_ns_; }
  // A dirty line leaves a cache (evicted) for its home: data to the home,
  // the home's writeback, the memory write. Nobody waits for it.
  void writeback(int from_die, int home_die, double start_ns);
  // `bytes` through die `die`'s memory controller from start_ns (a page zeroed or copied by a CPU of the
  // die): how long until they are through, queueing included. 0 if memory is not modelled.
  double memory_stream(int die, double start_ns, double bytes);

  const std::vector<Resource>& resources() const { return res_; }
  // Link hops between two dies (a step between dies of one package counts as one).
  int hops(int a, int b) const;
  bool modelled() const { return !res_.empty() || links_modelled_; }
  // With a trace: a counter track per resource ("queued at NAME"), the requests waiting there.
  void set_trace(Trace* t) { trace_ = t; }

 private:
  // One reservation (Resource::reserve), drawn on the trace's counter track when it queued.
  double reserve(int id, double t, double occupancy_ns, double bytes) {
    const double wait = res_[size_t(id)].reserve(t, occupancy_ns, bytes, floor_ns_);
    if (trace_ && wait > 0) trace_queue(id, t, wait);
    return wait;
  }
  void trace_queue(int id, double arrive_ns, double wait_ns);
  int add(std::string name, ResourceKind kind, int servers);
  // The directed links from die a to die b, in order (empty if a == b or links are not modelled).
  const std::vector<int>& route(int from_die, int to_die);
  int link(int from_die, int to_die);
  double home_occupancy_ns(HomeRequest k) const;
  int of_die(const std::vector<int>& by_die, int die) const;  // -1 if the family is not modelled
  // A plan is compiled phase by phase: a phase's demands are collected, then merged (compile_phase).
  void demand(int resource, double occupancy_ns, double bytes, int branch);
  void add_route(int from_die, int to_die, bool data, int branch);  // one packet over the route's links

  struct Demand {
    int resource;
    double occupancy_ns;
    double bytes;
    int branch;
  };
  const Machine& m_;
  std::vector<Resource> res_;  // by id; links are added on first use, so nothing keeps a reference across an add
  std::vector<int> home_, memory_, llc_;  // by die (empty: not modelled)
  std::unordered_map<uint64_t, int> links_;                // (from << 32 | to) -> resource
  std::unordered_map<uint64_t, std::vector<int>> routes_;  // (from << 32 | to) -> links
  std::vector<double> link_gb_per_s_;  // by resource id (0 for the other kinds)
  bool links_modelled_ = false;
  double line_ns_at_memory_ = 0;
  static constexpr double kDisorderNs = 1000;  // slack for requests made slightly out of time order
  double floor_ns_ = 0;
  // A phase of a transaction: the resources it holds (merged: one entry per resource), and which of its
  // parallel branches uses which.
  struct Use {
    int resource;
    double occupancy_ns, bytes;
  };
  struct Phase {
    std::vector<Use> merged;
    std::vector<std::pair<int, int>> uses;  // (branch, index into merged)
    int branches = 0;
  };
  struct Plan {
    Phase request, home, fan_out, data;
  };
  void compile_phase(Phase& ph);  // from demands_, into ph
  void compile(const Transaction& t, Plan& p);
  Plan scratch_;  // a plan compiled for one transaction (not kept)
  double run_phase(const Phase& ph, double t, ResourceWait& w);
  std::vector<Demand> demands_;  // the phase being compiled
  int branches_ = 0;
  // Plans by the transaction's shape: an open-addressing table of (key, index into plans_), linear probing.
  std::vector<Plan> plans_;
  std::vector<std::pair<uint64_t, int>> plan_slots_;
  static constexpr size_t kMaxPlans = 1 << 14;
  static constexpr size_t kPlanSlots = 1 << 15;  // twice kMaxPlans: probes stay short
  const Plan* find_plan(uint64_t key) const;
  const Plan* keep_plan(uint64_t key, const Plan& plan);  // keeps a copy if there is room
  std::vector<double> waits_, branch_delay_;  // scratch
  // Routes of machines with few dies in a flat table (the common case), others in routes_.
  static constexpr size_t kFlatRouteDies = 128;
  struct FlatRoute {
    bool known = false;
    std::vector<int> links;
  };
  std::vector<FlatRoute> flat_routes_;
  Trace* trace_ = nullptr;
  long long interrupt_messages_ = 0;
  double interrupt_wait_ns_ = 0;
};

}  // namespace smpsim
