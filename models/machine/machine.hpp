// A machine: topology, clock frequency, local cache latencies and the
// coherence latency table. Built from a preset or an explicit description;
// every field is declared in machine_params.cpp.
#pragma once
#include <string>

#include "models/machine/latency_table.hpp"
#include "models/machine/topology.hpp"

namespace smpsim {

enum class Protocol { MESI, MOESI, MESIF };
enum class Invalidation { Directory, Broadcast };

struct Machine {
  std::string name;
  Protocol protocol = Protocol::MESI;
  Invalidation invalidation = Invalidation::Directory;
  double freq_ghz = 2.0;
  Topology topo;
  double l1_cycles = 3;
  double ram_cycles = 136;
  double barrier_cycles = 20;
  double store_barrier_cycles = 0;
  LatencyTable table;

  double ns(double cycles) const { return cycles / freq_ghz; }
};

}  // namespace smpsim
