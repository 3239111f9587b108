#include "models/workload/workloads.hpp"

namespace smpsim {

const std::vector<WorkloadKind>& workload_kinds() {
  static const std::vector<WorkloadKind> k = {lock_micro_kind(), coherence_pingpong_kind(), line_contention_kind(),
                                              readers_after_writer_kind(), ipi_latency_kind(), message_multicast_kind(), range_map_kind(), xio_copy_kind(), shared_vs_message_kind(),
                                              tlb_shootdown_kind(), counter_micro_kind(), rw_micro_kind(),
                                              vm_bench_kind(), fops_kind(), exim_like_kind(), pfind_kind(),
                                              script_kind()};
  return k;
}

const WorkloadKind* find_workload_kind(const std::string& name) {
  for (const auto& k : workload_kinds())
    if (k.name == name) return &k;
  return nullptr;
}

}  // namespace smpsim
