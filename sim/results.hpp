// Result documents: one JSON object per run (schema_version 1) and the
// summary.csv row derived from it. Field names are a stable interface.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "models/coherence/directory.hpp"
#include "models/cpu/core.hpp"
#include "models/sync/lock.hpp"

namespace smpsim {

using json = nlohmann::json;

constexpr int kResultSchemaVersion = 1;

json lock_stat_json(const Lock& l);
double time_total_ns(const json& time_ns);

// summary.csv: the header, and one row from a result document (speedup is
// filled in by the sweep, relative to the same variant's 1-core point).
std::vector<std::string> summary_columns();
// The summary's metric columns that get a _ci95 column (replications' 95% confidence half-width).
std::vector<std::string> summary_ci_columns();
// Student's t quantile of a two-sided 95% interval with `df` degrees of freedom.
double student_t95(int df);
// A sample's mean, standard deviation (n - 1) and the half-width of its mean's 95% interval (0 for one value).
struct SampleStats {
  double mean = 0, sd = 0, ci95 = 0;
  size_t n = 0;
};
SampleStats sample_stats(const std::vector<double>& v);
std::vector<std::string> summary_row(const json& result, double speedup);
// locks.csv: one row per (point, lock class), every lock_stat column.
std::vector<std::string> lock_columns();
std::vector<std::vector<std::string>> lock_rows(const json& result);

}  // namespace smpsim
