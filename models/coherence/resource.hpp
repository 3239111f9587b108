// A shared hardware resource that coherence requests queue at: a home agent,
// a link direction, a last-level cache, a memory controller. It serves
// `servers` requests at once; each request holds one server for its
// occupancy (the resource's initiation interval for that request: a link's
// bytes / bandwidth, an agent's time per request). A request that arrives
// while every server is busy waits for the first to free up.
//
// Reservations are made in the order the simulation reaches them (plain C++,
// no engine event), at the time the request gets to the resource: FIFO in
// that order, as the line's home FIFO is (directory.hpp). On an idle machine
// every wait is 0, so a transaction costs exactly its latency-table cell:
// the resources only add queueing on top.
#pragma once
#include <algorithm>
#include <string>
#include <vector>

namespace smpsim {

enum class ResourceKind { HomeAgent, Link, Llc, Memory };
const char* resource_kind_name(ResourceKind k);

struct ResourceStats {
  long long requests = 0;
  double busy_ns = 0;      // sum of occupancies (over all servers)
  double wait_ns = 0;      // sum of queueing delays
  double max_wait_ns = 0;
  double bytes = 0;        // bytes moved (links, memory)
};

class Resource {
 public:
  Resource(std::string name, ResourceKind kind, int servers)
      : name_(std::move(name)), kind_(kind), free_at_ns_(size_t(std::max(1, servers)), 0.0) {}

  // Holds a server for `occupancy_ns` from the request's arrival (or from
  // when a server frees up): returns the queueing delay.
  double reserve(double arrive_ns, double occupancy_ns, double bytes = 0) {
    auto it = std::min_element(free_at_ns_.begin(), free_at_ns_.end());
    const double start = std::max(arrive_ns, *it);
    *it = start + occupancy_ns;
    const double wait = start - arrive_ns;
    ++stats_.requests;
    stats_.busy_ns += occupancy_ns;
    stats_.wait_ns += wait;
    stats_.max_wait_ns = std::max(stats_.max_wait_ns, wait);
    stats_.bytes += bytes;
    return wait;
  }

  const std::string& name() const { return name_; }
  ResourceKind kind() const { return kind_; }
  int servers() const { return int(free_at_ns_.size()); }
  const ResourceStats& stats() const { return stats_; }

 private:
  std::string name_;
  ResourceKind kind_;
  std::vector<double> free_at_ns_;  // per server: when it is next free
  ResourceStats stats_;
};

}  // namespace smpsim
