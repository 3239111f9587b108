// A machine: topology, clock frequency, local cache latencies and the
// coherence latency table. Built from a preset or an explicit description.
#pragma once
#include <string>

#include "models/machine/latency_table.hpp"
#include "models/machine/topology.hpp"

namespace smpsim {

enum class Invalidation { Directory, Broadcast };

struct Machine {
  // Every field is set by the loader from its declaration in machine_params.cpp
  // (type, range, default, description, source); none has a default here.
  std::string name;
  std::string protocol;  // a registered coherence protocol (models/coherence/protocol.hpp)
  Invalidation invalidation{};
  double freq_ghz{};
  Topology topo;
  double l1_cycles{};
  double ram_cycles{};
  double barrier_cycles{};
  double store_barrier_cycles{};
  LatencyTable table;

  // Shared resources coherence traffic queues at (models/coherence/interconnect.hpp);
  // 0 leaves a resource out.
  int home_requests_in_flight{};
  double home_read_ns{}, home_rfo_ns{}, home_upgrade_ns{}, home_writeback_ns{}, home_probe_ns{};
  double link_die_gb_per_s{};
  double link_socket_gb_per_s{};
  double data_packet_bytes{};
  double control_packet_bytes{};
  int llc_requests_in_flight{};
  double llc_read_ns{};
  double memory_gb_per_s{};
  int line_fill_buffers{};
  int store_buffer_entries{};  // 0: a store waits for its line (no store buffer)
  double private_cache_bytes{};  // a CPU's private cache: the freed pages that stay cache-hot

  // Interrupts (IPIs).
  bool apic_x2{};               // x2APIC (one WRMSR per ICR write) vs xAPIC (uncached MMIO)
  int x2apic_cluster_cpus{};    // x2APIC cluster mode: logical CPUs one ICR write can address (0: physical mode)
  bool x2apic_icr_fence{};      // an x2APIC ICR write is preceded by a fence (Linux on Intel)
  double home_hop_cycles{};     // one-way cost of a link hop on a detour through a third die's home (0: none)
  double ipi_send_cycles{};
  double ipi_wire_cycles{};
  double irq_entry_cycles{};
  double irq_exit_cycles{};
  // Linux's IPI shootdown software (flush_tlb_mm_range -> smp_call_function_many_cond -> flush_tlb_func).
  double shootdown_setup_cycles{};       // initiator, once: bookkeeping around the line accesses
  double call_function_queue_cycles{};   // initiator, per target: cond check, csd lock and fill, queueing
  double call_function_handler_cycles{}; // target, per call: queue walk, csd_do_func, flush_tlb_func's logic

  // Scheduling.
  double sched_wakeup_cycles{};
  double context_switch_cycles{};

  // TLB.
  int tlb_entries{};
  int tlb_walk_levels{};
  double tlb_invalidate_cycles{};
  double tlb_flush_cycles{};
  int tlb_flush_ceiling{};
  bool pcid{};

  double ns(double cycles) const { return cycles / freq_ghz; }
};

}  // namespace smpsim
