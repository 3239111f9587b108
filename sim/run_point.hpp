// Runs one point (a resolved scenario at one core count) on the event engine
// and returns its result document. Call once per process (SimGrid).
#pragma once
#include <nlohmann/json.hpp>

#include "sim/scenario.hpp"

namespace smpsim {

nlohmann::json run_point(const Scenario& sc);

// Mean cycles for one core to re-read a line another core just wrote, over
// ordered pairs of the first `cores` cores, for a line homed on die 0 (as
// lock_micro's lock is): the table's cell plus, with home_hop_cycles, the
// detour through the home when it is on neither core's die (Directory::access).
// The basis of the Markov model's `c` (see analysis/markov.py).
double mean_reread_cycles(const Machine& m, int cores);

}  // namespace smpsim
