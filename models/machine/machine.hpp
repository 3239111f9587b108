// A machine: topology, clock frequency, local cache latencies and the
// coherence latency table. Built from a preset or an explicit description.
#pragma once
#include <string>

#include "models/machine/latency_table.hpp"
#include "models/machine/topology.hpp"

namespace smpsim {

enum class Protocol { MESI, MOESI, MESIF };

struct Machine {
  std::string name;
  Protocol protocol = Protocol::MESI;
  double freq_ghz = 2.0;
  Topology topo;
  double l1_cycles = 3;       // a hit in the requester's own cache
  double ram_cycles = 136;    // for reports; misses to memory use the table's load-I row
  double barrier_cycles = 20; // full memory barrier; an atomic hit costs l1 + barrier
  LatencyTable table;

  double ns(double cycles) const { return cycles / freq_ghz; }
};

}  // namespace smpsim
