// `smpsim run --repeat N`: one scenario point run N times, each in its own
// process (SimGrid keeps one engine per process) with seeds derived from the
// base seed (replication_seed), and what perf stat -r prints of them.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace smpsim {

struct ReplicationRequest {
  std::string scenario, variant;
  int cores = 0;               // 0: as in the scenario
  unsigned long long base_seed = 1;
  int repeat = 2;
  int jobs = 1;
};

// The N results, in replication order; std::runtime_error when one fails (its stderr in the message).
std::vector<nlohmann::json> run_replications(const ReplicationRequest& r, const std::string& self_exe);

// {"replications": N, "seeds": [...], "metrics": {M: {"mean", "ci95", "values"}}} for the summary's metrics
// (95% confidence half-width, Student's t).
nlohmann::json replication_summary(const std::vector<nlohmann::json>& results);

// perf stat -r N's table: each counter's mean and its noise, "( +- x.xx% )", the standard error of the mean
// as a share of it, as perf prints.
std::string perf_stat_repeated_table(const std::vector<nlohmann::json>& results);

}  // namespace smpsim
