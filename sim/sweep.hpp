// A sweep runs every variant of a scenario at every core count, each point in
// its own process (SimGrid keeps one engine per process), `jobs` at a time,
// then writes results.jsonl and summary.csv in (variant, cores) order.
#pragma once
#include <string>
#include <vector>

namespace smpsim {

struct SweepOptions {
  std::string scenario;
  std::vector<int> cores;
  std::string out_dir;  // "" = out/<scenario name>
  int jobs = 1;
  long long seed = -1;  // -1 = as in the scenario
  bool quiet = false;
};

// Returns the process exit code (0 ok, 1 a point failed). BadInput on bad input,
// before any point runs.
int run_sweep(const SweepOptions& opt, const std::string& self_exe);

}  // namespace smpsim
