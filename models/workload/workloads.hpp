// The registered workload kinds, one file each.
#pragma once
#include "models/workload/workload.hpp"

namespace smpsim {

WorkloadKind lock_micro_kind();
WorkloadKind coherence_pingpong_kind();
WorkloadKind line_contention_kind();
WorkloadKind readers_after_writer_kind();
WorkloadKind ipi_latency_kind();
WorkloadKind message_multicast_kind();
WorkloadKind range_map_kind();
WorkloadKind xio_copy_kind();
WorkloadKind shared_vs_message_kind();
WorkloadKind tlb_shootdown_kind();
WorkloadKind counter_micro_kind();
WorkloadKind rw_micro_kind();
WorkloadKind vm_bench_kind();
WorkloadKind fops_kind();
WorkloadKind exim_like_kind();
WorkloadKind pfind_kind();
WorkloadKind script_kind();

}  // namespace smpsim
