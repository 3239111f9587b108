#include "models/coherence/interconnect.hpp"

#include <algorithm>
#include <string>

namespace smpsim {

const char* resource_kind_name(ResourceKind k) {
  switch (k) {
    case ResourceKind::HomeAgent: return "home_agent";
    case ResourceKind::Link: return "link";
    case ResourceKind::Llc: return "llc";
    case ResourceKind::Memory: return "memory";
  }
  return "?";
}

namespace {
uint64_t pair_key(int a, int b) { return (uint64_t(uint32_t(a)) << 32) | uint32_t(b); }
}  // namespace

Interconnect::Interconnect(const Machine& m) : m_(m) {
  const int dies = m.topo.dies();
  if (m.home_requests_in_flight > 0)
    for (int d = 0; d < dies; ++d)
      home_.push_back(add("home.die" + std::to_string(d), ResourceKind::HomeAgent, m.home_requests_in_flight));
  if (m.memory_gb_per_s > 0) {
    line_ns_at_memory_ = 64.0 / m.memory_gb_per_s;  // 1 GB/s = 1 byte/ns
    for (int d = 0; d < dies; ++d) memory_.push_back(add("memory.die" + std::to_string(d), ResourceKind::Memory, 1));
  }
  if (m.llc_requests_in_flight > 0)
    for (int d = 0; d < dies; ++d)
      llc_.push_back(add("llc.die" + std::to_string(d), ResourceKind::Llc, m.llc_requests_in_flight));
  // Links are created on first use: a 1,024-socket machine has a million die pairs.
  links_modelled_ = m.link_die_gb_per_s > 0 || m.link_socket_gb_per_s > 0;
}

int Interconnect::add(std::string name, ResourceKind kind, int servers) {
  res_.emplace_back(std::move(name), kind, servers);
  return int(res_.size()) - 1;
}

double Interconnect::home_occupancy_ns(HomeRequest k) const {
  switch (k) {
    case HomeRequest::Read: return m_.home_read_ns;
    case HomeRequest::Rfo: return m_.home_rfo_ns;
    case HomeRequest::Upgrade: return m_.home_upgrade_ns;
    case HomeRequest::Writeback: return m_.home_writeback_ns;
    case HomeRequest::Probe: return m_.home_probe_ns;
  }
  return 0;
}

int Interconnect::hops(int a, int b) const { return m_.topo.link_hops(a, b); }

int Interconnect::link(int from, int to) {
  const uint64_t key = pair_key(from, to);
  if (auto it = links_.find(key); it != links_.end()) return it->second;
  const bool same_package = m_.topo.socket_of_die(from) == m_.topo.socket_of_die(to);
  const int id = add("link.die" + std::to_string(from) + "-die" + std::to_string(to), ResourceKind::Link, 1);
  link_gb_per_s_.resize(res_.size(), 0.0);
  link_gb_per_s_[size_t(id)] = same_package ? m_.link_die_gb_per_s : m_.link_socket_gb_per_s;
  links_.emplace(key, id);
  return id;
}

// Greedy shortest routes on the die graph: from each die, the neighbour (a
// die 1 hop away: another die of its package, or one the interconnect puts
// 1 hop off) nearest the destination, the lowest-numbered on a tie, so routes
// are deterministic. A step inside a package counts as a hop.
const std::vector<int>& Interconnect::route(int from, int to) {
  const size_t dies = size_t(m_.topo.dies());
  const bool flat = dies <= kFlatRouteDies;
  if (flat) {
    if (flat_routes_.empty()) flat_routes_.resize(dies * dies);
    const auto& r = flat_routes_[size_t(from) * dies + size_t(to)];
    if (r.known) return r.links;
  }
  const uint64_t key = pair_key(from, to);
  if (!flat)
    if (auto it = routes_.find(key); it != routes_.end()) return it->second;
  std::vector<int> links;
  if (from != to && links_modelled_) {
    const int n_dies = m_.topo.dies();
    int at = from;
    for (int step = 0; at != to && step <= n_dies; ++step) {
      int best = -1, best_left = hops(at, to);
      if (best_left <= 1) {
        best = to;
      } else {
        for (int n = 0; n < n_dies; ++n)
          if (n != at && hops(at, n) == 1 && hops(n, to) < best_left) best = n, best_left = hops(n, to);
      }
      if (best < 0) best = to;  // no neighbour is nearer: a direct link (an inconsistent hop matrix)
      links.push_back(link(at, best));
      at = best;
    }
  }
  if (flat) {
    auto& r = flat_routes_[size_t(from) * dies + size_t(to)];
    r.links = std::move(links);
    r.known = true;
    return r.links;
  }
  return routes_.emplace(key, std::move(links)).first->second;
}

void Interconnect::add_route(int from, int to, bool data, int branch) {
  const double bytes = data ? m_.data_packet_bytes : m_.control_packet_bytes;
  for (int id : route(from, to)) {
    const double gb_per_s = link_gb_per_s_[size_t(id)];
    if (gb_per_s > 0) demand(id, bytes / gb_per_s, bytes, branch);  // 1 GB/s = 1 byte/ns
  }
}

void Interconnect::demand(int resource, double occupancy_ns, double bytes, int branch) {
  if (resource < 0) return;
  demands_.push_back({resource, occupancy_ns, bytes, branch});
  branches_ = std::max(branches_, branch + 1);
}

// A phase's packets and requests, merged by resource: a resource several of
// its branches use (the links a broadcast's probes share) is reserved once for
// all of them, back to back, so a transaction queues behind other
// transactions, never behind itself, and an idle machine costs the table's
// cell. Built once per kind of transaction (plans_), run at each.
void Interconnect::compile_phase(Phase& ph) {
  ph.merged.clear();  // reused: no allocation once its vectors have grown
  ph.uses.clear();
  for (const Demand& d : demands_) {
    auto it = std::find_if(ph.merged.begin(), ph.merged.end(), [&](const Use& u) { return u.resource == d.resource; });
    if (it == ph.merged.end()) {
      ph.merged.push_back({d.resource, 0, 0});
      it = ph.merged.end() - 1;
    }
    it->occupancy_ns += d.occupancy_ns;
    it->bytes += d.bytes;
    ph.uses.push_back({d.branch, int(it - ph.merged.begin())});
  }
  ph.branches = branches_;
  demands_.clear();
  branches_ = 0;
}

// Reserves a phase at time t: its delay is its slowest branch's, a branch's
// the queueing at the resources it uses.
double Interconnect::run_phase(const Phase& ph, double t, ResourceWait& w) {
  if (ph.merged.empty()) return 0;
  if (ph.merged.size() == 1 && ph.branches <= 1) {  // the common case: one link, or the home agent
    const Use& u = ph.merged[0];
    const double x = reserve(u.resource, t, u.occupancy_ns, u.bytes);
    w.note(u.resource, x);
    return x * double(ph.uses.size());
  }
  waits_.resize(ph.merged.size());
  for (size_t i = 0; i < ph.merged.size(); ++i) {
    const Use& u = ph.merged[i];
    waits_[i] = reserve(u.resource, t, u.occupancy_ns, u.bytes);
    w.note(u.resource, waits_[i]);
  }
  if (ph.branches <= 1) {
    double sum = 0;
    for (const auto& [branch, i] : ph.uses) sum += waits_[size_t(i)];
    return sum;
  }
  branch_delay_.assign(size_t(ph.branches), 0.0);
  for (const auto& [branch, i] : ph.uses) branch_delay_[size_t(branch)] += waits_[size_t(i)];
  return *std::max_element(branch_delay_.begin(), branch_delay_.end());
}

int Interconnect::of_die(const std::vector<int>& by_die, int die) const {
  return by_die.empty() ? -1 : by_die[size_t(die)];
}

// What a transaction of this shape reserves, phase by phase.
void Interconnect::compile(const Transaction& t, Plan& p) {
  const int hd = t.home_die;
  add_route(t.requester_die, hd, false, 0);  // the request
  compile_phase(p.request);
  demand(of_die(home_, hd), home_occupancy_ns(t.kind), 0, 0);
  compile_phase(p.home);
  int branch = 0;
  if (t.from_memory) demand(of_die(memory_, hd), line_ns_at_memory_, 64, branch++);
  if (t.responder_die >= 0) add_route(hd, t.responder_die, false, branch++);  // the forward
  if (t.probed_dies)
    for (int d : *t.probed_dies) {  // a probe, the probed agent, its acknowledgement
      add_route(hd, d, false, branch);
      if (d != hd) demand(of_die(home_, d), m_.home_probe_ns, 0, branch);  // the home's own caches: its request
      add_route(d, t.requester_die, false, branch++);
    }
  compile_phase(p.fan_out);
  if (t.data) add_route(t.responder_die >= 0 ? t.responder_die : hd, t.requester_die, true, 0);
  compile_phase(p.data);
}

const Interconnect::Plan* Interconnect::find_plan(uint64_t key) const {
  if (plan_slots_.empty()) return nullptr;
  for (size_t i = size_t(key * 0x9E3779B97F4A7C15ULL >> 49) & (kPlanSlots - 1);; i = (i + 1) & (kPlanSlots - 1)) {
    const auto& [k, index] = plan_slots_[i];
    if (index < 0) return nullptr;
    if (k == key) return &plans_[size_t(index)];
  }
}

const Interconnect::Plan* Interconnect::keep_plan(uint64_t key, const Plan& plan) {
  if (plans_.size() >= kMaxPlans) return &plan;  // large machines: the rest are compiled each time
  if (plan_slots_.empty()) plan_slots_.assign(kPlanSlots, {0, -1});
  size_t i = size_t(key * 0x9E3779B97F4A7C15ULL >> 49) & (kPlanSlots - 1);
  while (plan_slots_[i].second >= 0) i = (i + 1) & (kPlanSlots - 1);
  plan_slots_[i] = {key, int(plans_.size())};
  plans_.push_back(plan);  // a copy: the scratch keeps its capacity
  return &plans_.back();
}

// The transaction's phases are placed at thirds of its unloaded latency. The
// request leaves when it is made and reaches the home a third of the way in,
// where the agent takes it in and holds it until the line's earlier requests
// are done (the line's FIFO, start_ns): queueing on the way in is hidden by that
// wait, and delays the transaction only by what exceeds it. From the home on,
// the phases follow the line's turn: the fan-out (the memory read, the forward
// to the owner, the probes, in parallel: the slowest branch counts) a third of
// the way in, the data two thirds in, each later by the queueing met before it.
ResourceWait Interconnect::transact(const Transaction& t, double request_ns, double start_ns, double idle_ns) {
  ResourceWait w;
  if (!modelled()) return w;
  // A directory's probes depend on where the sharers are: such plans are not kept.
  // Large machines have too many shapes (dies cubed) to keep them all: the first kMaxPlans are kept.
  const bool keep = (!t.probed_dies || m_.invalidation == Invalidation::Broadcast);
  const uint64_t key = (uint64_t(uint32_t(t.requester_die)) << 40) ^ (uint64_t(uint32_t(t.home_die)) << 20) ^
                       uint64_t(uint32_t(t.responder_die + 1)) ^
                       (uint64_t(int(t.kind) | t.from_memory << 3 | t.data << 4 | (t.probed_dies != nullptr) << 5) << 58);
  const Plan* p = keep ? find_plan(key) : nullptr;
  if (!p) {  // large machines and a directory's probes: compiled into reused scratch space
    compile(t, scratch_);
    p = keep ? keep_plan(key, scratch_) : &scratch_;
  }
  const double third = idle_ns / 3;
  double in = run_phase(p->request, request_ns, w);
  in += run_phase(p->home, request_ns + third + in, w);
  double q = std::max(0.0, in - (start_ns - request_ns));
  q += run_phase(p->fan_out, start_ns + third + q, w);
  q += run_phase(p->data, start_ns + 2 * third + q, w);
  if (t.writeback) writeback(t.responder_die, t.home_die, start_ns + 2 * third + q);
  w.delay_ns = q;
  return w;
}

ResourceWait Interconnect::llc_read(int die, double start_ns) {
  ResourceWait w;
  const int id = of_die(llc_, die);
  if (id < 0) return w;
  w.delay_ns = reserve(id, start_ns, m_.llc_read_ns, 64);
  w.note(id, w.delay_ns);
  return w;
}

void Interconnect::writeback(int from_die, int home_die, double start_ns) {
  if (!modelled()) return;
  const uint64_t key = (uint64_t(uint32_t(from_die)) << 40) ^ (uint64_t(uint32_t(home_die)) << 20) ^ (uint64_t(63) << 58);
  const Plan* p = find_plan(key);
  if (!p) {
    add_route(from_die, home_die, true, 0);
    demand(of_die(home_, home_die), m_.home_writeback_ns, 0, 0);
    demand(of_die(memory_, home_die), line_ns_at_memory_, 64, 0);
    scratch_ = Plan{};
    compile_phase(scratch_.data);
    p = keep_plan(key, scratch_);
  }
  ResourceWait w;
  run_phase(p->data, start_ns, w);
}

double Interconnect::interrupt_message(int from_die, int to_die, double send_ns) {
  ++interrupt_messages_;
  double wait = 0;
  for (int id : route(from_die, to_die)) {
    const double gb_per_s = link_gb_per_s_[size_t(id)];
    if (gb_per_s > 0) wait += reserve(id, send_ns + wait, m_.control_packet_bytes / gb_per_s, m_.control_packet_bytes);
  }
  interrupt_wait_ns_ += wait;
  return wait;
}

double Interconnect::memory_stream(int die, double start_ns, double bytes) {
  const int id = of_die(memory_, die);
  if (id < 0 || bytes <= 0) return 0;
  const double busy_ns = bytes / m_.memory_gb_per_s;  // 1 GB/s = 1 byte/ns
  return reserve(id, start_ns, busy_ns, bytes) + busy_ns;
}

void Interconnect::trace_queue(int id, double arrive_ns, double wait_ns) {
  const std::string track = "queued at " + res_[size_t(id)].name();
  trace_->counter_delta(0, track, "requests", 1, arrive_ns);
  trace_->counter_delta(0, track, "requests", -1, arrive_ns + wait_ns);
}

}  // namespace smpsim
