#include "models/design/parts/partition.hpp"

#include <algorithm>
#include <stdexcept>

namespace smpsim {

Partition Partition::blocks(int active_cpus, int instances) {
  Partition p;
  const int n = std::max(1, std::min(instances, active_cpus));
  p.cpus_.resize(size_t(n));
  // CPU c belongs to block floor(c * n / active): blocks differ by at most one CPU.
  for (int c = 0; c < active_cpus; ++c) p.cpus_[size_t((long long)c * n / active_cpus)].push_back(c);
  p.index(active_cpus);
  return p;
}

Partition Partition::lists(const std::vector<std::vector<int>>& cpus, int active_cpus) {
  Partition p;
  for (const auto& list : cpus) {
    std::vector<int> kept;
    for (int c : list)
      if (c < active_cpus) kept.push_back(c);
    std::sort(kept.begin(), kept.end());
    if (!kept.empty()) p.cpus_.push_back(kept);
  }
  p.index(active_cpus);
  return p;
}

void Partition::index(int active_cpus) {
  instance_of_.assign(size_t(active_cpus), -1);
  rank_.assign(size_t(active_cpus), 0);
  for (size_t k = 0; k < cpus_.size(); ++k)
    for (size_t i = 0; i < cpus_[k].size(); ++i) {
      instance_of_[size_t(cpus_[k][i])] = int(k);
      rank_[size_t(cpus_[k][i])] = int(i);
    }
  for (int c = 0; c < active_cpus; ++c)
    if (instance_of_[size_t(c)] < 0)
      throw std::logic_error("CPU " + std::to_string(c) + " is in no instance (the loader should have said so)");
}

}  // namespace smpsim
