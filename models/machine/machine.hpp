// A machine: topology, clock frequency, local cache latencies and the
// coherence latency table. Built from a preset or an explicit description;
// every field is declared in machine_params.cpp.
#pragma once
#include <string>

#include "models/machine/latency_table.hpp"
#include "models/machine/topology.hpp"

namespace smpsim {

enum class Invalidation { Directory, Broadcast };

struct Machine {
  std::string name;
  std::string protocol = "MESI";  // a registered coherence protocol (models/coherence/protocol.hpp)
  Invalidation invalidation = Invalidation::Directory;
  double freq_ghz = 2.0;
  Topology topo;
  double l1_cycles = 3;
  double ram_cycles = 136;
  double barrier_cycles = 20;
  double store_barrier_cycles = 0;
  LatencyTable table;

  // Interrupts (IPIs): see machine_params.cpp for each one's meaning and source.
  double ipi_send_cycles = 100;
  double ipi_wire_cycles = 300;
  double irq_entry_cycles = 150;
  double irq_exit_cycles = 100;

  // Scheduling.
  double sched_wakeup_cycles = 1500;
  double context_switch_cycles = 3000;

  // TLB.
  int tlb_entries = 64;
  int tlb_walk_levels = 4;
  double tlb_invalidate_cycles = 150;
  double tlb_flush_cycles = 500;
  int tlb_flush_ceiling = 33;
  bool pcid = true;

  double ns(double cycles) const { return cycles / freq_ghz; }
};

}  // namespace smpsim
