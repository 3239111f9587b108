#include "models/coherence/resource.hpp"

#include <algorithm>

#include "engine/stats.hpp"

namespace smpsim {

Resource::Resource(std::string name, ResourceKind kind, int servers)
    : name_(std::move(name)), kind_(kind), servers_(size_t(std::max(1, servers))) {}

double Resource::Server::earliest_fit(double t, double occupancy_ns) const {
  if (head == busy.size() || t >= busy.back().end) return t;  // the common case: after everything reserved
  // The first interval ending after t (the intervals are disjoint and in order, so their ends are too: a
  // binary search; behind a contended line's FIFO a server keeps hundreds of future reservations), then the
  // first gap from there that is long enough.
  size_t i = size_t(std::partition_point(busy.begin() + std::ptrdiff_t(head), busy.end(),
                                         [t](const Interval& x) { return x.end <= t; }) -
                    busy.begin());
  for (; i < busy.size() && busy[i].start < t + occupancy_ns; ++i) t = std::max(t, busy[i].end);
  return t;
}

void Resource::Server::insert(double start, double end) {
  if (head == busy.size() || start >= busy.back().start) {  // at the end: extend or append
    if (head < busy.size() && start <= busy.back().end) busy.back().end = std::max(busy.back().end, end);
    else busy.push_back({start, end});
    return;
  }
  // In a gap (earliest_fit found it): insert in order, merging with touching neighbours.
  auto it = std::lower_bound(busy.begin() + std::ptrdiff_t(head), busy.end(), start,
                             [](const Interval& i, double x) { return i.start < x; });
  if (it != busy.begin() + std::ptrdiff_t(head) && std::prev(it)->end >= start) {
    auto prev = std::prev(it);
    prev->end = std::max(prev->end, end);
    if (it != busy.end() && it->start <= prev->end) {
      prev->end = std::max(prev->end, it->end);
      busy.erase(it);
    }
    return;
  }
  if (it != busy.end() && it->start <= end) {
    it->start = start;
    it->end = std::max(it->end, end);
    return;
  }
  busy.insert(it, {start, end});
}

void Resource::Server::drop_before(double floor_ns) {
  while (head < busy.size() && busy[head].end < floor_ns) ++head;
  if (head > 16 && head * 2 > busy.size()) {  // compact: keep the vector's size bounded
    busy.erase(busy.begin(), busy.begin() + std::ptrdiff_t(head));
    head = 0;
  }
}

double Resource::reserve_queued(double arrive_ns, double occupancy_ns, double bytes, double floor_ns) {
  size_t best = 0;
  double start = servers_[0].earliest_fit(arrive_ns, occupancy_ns);
  for (size_t s = 1; s < servers_.size() && start > arrive_ns; ++s) {
    const double t = servers_[s].earliest_fit(arrive_ns, occupancy_ns);
    if (t < start) start = t, best = s;
  }
  Server& sv = servers_[best];
  if (occupancy_ns > 0) sv.insert(start, start + occupancy_ns);
  sv.maybe_drop(floor_ns);
  const double wait = start - arrive_ns;
  ++stats_.requests;
  stats_.busy_ns += occupancy_ns;
  stats_.wait_ns += wait;
  stats_.max_wait_ns = std::max(stats_.max_wait_ns, wait);
  stats_.bytes += bytes;
  return wait;
}

}  // namespace smpsim

namespace smpsim {

SMPSIM_REGISTER(StatRegistry, [] {
  return StatGroup{
      "resources",
      {"metrics.interconnect.resources[]"},
      "a shared resource that served requests (home agent, link, LLC, memory controller): the 64 most queued-at, "
      "then the busiest",
      {{"resource", "text", "home.dieN, link.dieA-dieB, llc.dieN or memory.dieN", {}},
       {"kind", "text", "home, link, llc or memory", {}},
       {"requests", "count", "requests it served", {}},
       {"busy_ns", "ns", "sum of its occupancies over all its servers", {}},
       {"utilization", "ratio", "busy_ns over the makespan and the resource's servers", {}},
       {"wait_total_ns", "ns", "sum of the requests' queueing delays", {}},
       {"wait_avg_ns", "ns", "wait_total_ns / requests", {}},
       {"wait_max_ns", "ns", "longest queueing delay of one request", {}},
       {"bytes", "bytes", "links and memory only: bytes moved", {}},
       {"gb_per_s", "GB/s", "links and memory only: bytes over the makespan", {}}}};
});

SMPSIM_REGISTER(StatRegistry, [] {
  return StatGroup{
      "interconnect",
      {"metrics.interconnect"},
      "the machine's shared resources under load (docs/machine-model.md#shared-resources-under-load)",
      {{"modelled", "bool", "the machine has shared-resource parameters", {}},
       {"resources_used", "count", "resources that served at least one request", {}},
       {"by_kind", "object", "per kind: resources, requests, busy_ns, wait_total_ns", {}},
       {"interrupt_messages", "object",
        "messages: IPI messages sent over the links (one per ICR write and target die); wait_total_ns: their "
        "queueing there, already inside the links' wait_total_ns", {}},
       {"resources", "rows", "the `resources` group, one row per resource", {}}}};
});

}  // namespace smpsim
