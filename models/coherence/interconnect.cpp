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

// Hops between two dies over the link graph: 1 to a die of the same package
// (a die-to-die link), the topology's interconnect hops to another package's.
int Interconnect::hops(int a, int b) const {
  if (a == b) return 0;
  const Topology& t = m_.topo;
  if (t.socket_of_die(a) == t.socket_of_die(b)) return 1;
  return hops_of(t.die_distance(a, b));
}

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

// Dimension-order-like routing on the die graph: from each die, the
// neighbour (a die 1 hop away) nearest the destination, the lowest-numbered
// on a tie, so routes are deterministic. A die-to-die step inside a package
// counts as a hop, so a route prefers the package's own link last.
const std::vector<int>& Interconnect::route(int from, int to) {
  const uint64_t key = pair_key(from, to);
  if (auto it = routes_.find(key); it != routes_.end()) return it->second;
  std::vector<int> links;
  if (from != to && links_modelled_) {
    const int dies = m_.topo.dies();
    int at = from;
    for (int step = 0; at != to && step <= dies; ++step) {
      int best = -1, best_left = hops(at, to);
      if (best_left <= 1) {
        best = to;
      } else {
        for (int n = 0; n < dies; ++n)
          if (n != at && hops(at, n) == 1 && hops(n, to) < best_left) best = n, best_left = hops(n, to);
      }
      if (best < 0) best = to;  // no neighbour is nearer: a direct link (an inconsistent hop matrix)
      links.push_back(link(at, best));
      at = best;
    }
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
}

// A phase's packets and requests, reserved at time t. A resource several of
// its branches use (the links a broadcast's probes share) is reserved once
// for all of them, back to back: a transaction queues behind other
// transactions, never behind itself, so an idle machine costs the table's
// cell. A branch's delay is the queueing at the resources it uses; the
// phase's, its slowest branch's.
double Interconnect::reserve_phase(double t, ResourceWait& w) {
  merged_.clear();
  for (const Demand& d : demands_) {
    auto it = std::find_if(merged_.begin(), merged_.end(), [&](const Demand& m) { return m.resource == d.resource; });
    if (it == merged_.end()) merged_.push_back(d);
    else it->occupancy_ns += d.occupancy_ns, it->bytes += d.bytes;
  }
  double worst = 0;
  branch_delay_.assign(branch_delay_.size(), 0.0);
  for (Demand& m : merged_) {
    const double x = res_[size_t(m.resource)].reserve(t, m.occupancy_ns, m.bytes, floor_ns_);
    w.note(m.resource, x);
    m.occupancy_ns = x;  // from here on: the wait at this resource
  }
  for (const Demand& d : demands_) {
    const double x = std::find_if(merged_.begin(), merged_.end(), [&](const Demand& m) { return m.resource == d.resource; })
                         ->occupancy_ns;
    if (size_t(d.branch) >= branch_delay_.size()) branch_delay_.resize(size_t(d.branch) + 1, 0.0);
    branch_delay_[size_t(d.branch)] += x;
    worst = std::max(worst, branch_delay_[size_t(d.branch)]);
  }
  demands_.clear();
  return worst;
}

int Interconnect::of_die(const std::vector<int>& by_die, int die) const {
  return by_die.empty() ? -1 : by_die[size_t(die)];
}

// The transaction's phases are placed at thirds of its unloaded latency: the
// request leaves at its start, reaches the home a third of the way in, the
// data leaves the responder two thirds of the way in. Each phase starts later
// by the queueing met before it. The memory read, the forward to the owner and
// the probes go out in parallel: the slowest branch delays the data.
ResourceWait Interconnect::transact(const Transaction& t, double start_ns, double idle_ns) {
  ResourceWait w;
  if (!modelled()) return w;
  const double third = idle_ns / 3;
  const int hd = t.home_die;
  add_route(t.requester_die, hd, false, 0);  // the request
  double q = reserve_phase(start_ns, w);
  demand(of_die(home_, hd), home_occupancy_ns(t.kind), 0, 0);
  q += reserve_phase(start_ns + third + q, w);
  int branch = 0;
  if (t.from_memory) demand(of_die(memory_, hd), line_ns_at_memory_, 64, branch++);
  if (t.responder_die >= 0) add_route(hd, t.responder_die, false, branch++);  // the forward
  if (t.probed_dies)
    for (int d : *t.probed_dies) {  // a probe, the probed agent, its acknowledgement
      add_route(hd, d, false, branch);
      if (d != hd) demand(of_die(home_, d), m_.home_probe_ns, 0, branch);  // the home's own caches: its request
      add_route(d, t.requester_die, false, branch++);
    }
  q += reserve_phase(start_ns + third + q, w);
  if (t.data) {
    add_route(t.responder_die >= 0 ? t.responder_die : hd, t.requester_die, true, 0);
    q += reserve_phase(start_ns + 2 * third + q, w);
  }
  if (t.writeback) writeback(t.responder_die, hd, start_ns + 2 * third + q);
  w.delay_ns = q;
  return w;
}

ResourceWait Interconnect::llc_read(int die, double start_ns) {
  ResourceWait w;
  demand(of_die(llc_, die), m_.llc_read_ns, 64, 0);
  w.delay_ns = reserve_phase(start_ns, w);
  return w;
}

void Interconnect::writeback(int from_die, int home_die, double start_ns) {
  ResourceWait w;
  add_route(from_die, home_die, true, 0);
  demand(of_die(home_, home_die), m_.home_writeback_ns, 0, 0);
  demand(of_die(memory_, home_die), line_ns_at_memory_, 64, 0);
  reserve_phase(start_ns, w);
}

}  // namespace smpsim
