// Which of the machine's CPUs a run of N CPUs uses (run.placement, run.cpus):
// the same N cores inside one socket or across sockets.
//   compact: the machine's CPUs in order: a die, then its socket, then the
//            next (first hardware threads before SMT siblings, as Linux numbers
//            them);
//   spread:  round-robin over sockets (each socket filled in compact order);
//   scatter: round-robin over dies.
// The result is a permutation of every CPU of the machine (Topology::cpu_order):
// a run of N CPUs uses its first N.
#pragma once
#include <string>
#include <vector>

#include "models/machine/topology.hpp"

namespace smpsim {

const std::vector<std::string>& placement_names();
// The order of `policy` (one of placement_names()); empty for compact (the
// machine's own order).
std::vector<int> placement_order(const Topology& t, const std::string& policy);
// An explicit list of CPUs first, then the machine's others in order. The
// caller has checked the list (ids in range, no duplicate).
std::vector<int> listed_order(const Topology& t, const std::vector<int>& cpus);

}  // namespace smpsim
