// A sweep runs every variant of a scenario at every core count, each point in
// its own process (SimGrid keeps one engine per process), `jobs` at a time,
// then writes results.jsonl and summary.csv in (variant, cores) order.
#pragma once
#include <nlohmann/json.hpp>

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
  bool resume = false;  // keep points whose complete result exists (same schema version)
  // --set PATH=V1,V2,...: every combination becomes a variant (crossed with
  // the scenario's own), named VARIANT+PATH=VALUE+...
  std::vector<std::string> sets;
};

// Expands --set options into the scenario's variants (the cartesian product);
// BadInput (pointer "--set") on a malformed option.
nlohmann::json expand_sets(const nlohmann::json& doc, const std::vector<std::string>& sets);

// Returns the process exit code (0 ok, 1 a point failed). BadInput on bad input,
// before any point runs.
int run_sweep(const SweepOptions& opt, const std::string& self_exe);

}  // namespace smpsim
