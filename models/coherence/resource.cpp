#include "models/coherence/resource.hpp"

#include <algorithm>
#include <iterator>

namespace smpsim {

Resource::Resource(std::string name, ResourceKind kind, int servers)
    : name_(std::move(name)), kind_(kind), busy_(size_t(std::max(1, servers))) {}

double Resource::earliest_fit(const Intervals& busy, double t, double occupancy_ns) {
  auto it = busy.upper_bound(t);  // the first interval starting after t
  if (it != busy.begin()) t = std::max(t, std::prev(it)->second);
  for (; it != busy.end() && it->first < t + occupancy_ns; ++it) t = std::max(t, it->second);
  return t;
}

void Resource::insert(Intervals& busy, double start, double end) {
  // Merge with the intervals it touches (back-to-back requests are the common case).
  auto next = busy.lower_bound(start);
  if (next != busy.begin()) {
    auto prev = std::prev(next);
    if (prev->second >= start) {
      start = prev->first;
      end = std::max(end, prev->second);
      busy.erase(prev);
    }
  }
  while (next != busy.end() && next->first <= end) {
    end = std::max(end, next->second);
    next = busy.erase(next);
  }
  busy.emplace(start, end);
}

double Resource::reserve(double arrive_ns, double occupancy_ns, double bytes, double floor_ns) {
  size_t best = 0;
  double start = earliest_fit(busy_[0], arrive_ns, occupancy_ns);
  for (size_t s = 1; s < busy_.size() && start > arrive_ns; ++s) {
    const double t = earliest_fit(busy_[s], arrive_ns, occupancy_ns);
    if (t < start) start = t, best = s;
  }
  Intervals& b = busy_[best];
  if (occupancy_ns > 0) insert(b, start, start + occupancy_ns);
  while (!b.empty() && b.begin()->second < floor_ns) b.erase(b.begin());
  const double wait = start - arrive_ns;
  ++stats_.requests;
  stats_.busy_ns += occupancy_ns;
  stats_.wait_ns += wait;
  stats_.max_wait_ns = std::max(stats_.max_wait_ns, wait);
  stats_.bytes += bytes;
  return wait;
}

}  // namespace smpsim
