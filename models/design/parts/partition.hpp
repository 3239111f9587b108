// How a ccCluster machine is cut into kernel instances: each instance owns a
// disjoint set of CPUs, and its memory is the node of its first CPU. The
// default cuts the active CPUs into equal contiguous blocks (one socket each
// when every CPU is active and instances = sockets); a scenario may list the
// CPUs of each instance instead (uneven partitions allowed).
#pragma once
#include <cstddef>
#include <vector>

namespace smpsim {

class Partition {
 public:
  // `instances` contiguous blocks of CPUs 0..active_cpus-1 (at most one instance per CPU).
  static Partition blocks(int active_cpus, int instances);
  // Explicit CPU lists; CPUs >= active_cpus are dropped, then empty instances.
  // Every active CPU must be listed (the scenario loader checks it).
  static Partition lists(const std::vector<std::vector<int>>& cpus, int active_cpus);

  int instances() const { return int(cpus_.size()); }
  int instance_of(int cpu) const { return instance_of_[std::size_t(cpu)]; }
  const std::vector<int>& cpus(int k) const { return cpus_[std::size_t(k)]; }
  int first_cpu(int k) const { return cpus_[std::size_t(k)].front(); }
  // A CPU's position in its instance (0 for its first CPU).
  int rank(int cpu) const { return rank_[std::size_t(cpu)]; }

 private:
  void index(int active_cpus);
  std::vector<std::vector<int>> cpus_;
  std::vector<int> instance_of_, rank_;
};

}  // namespace smpsim
