// A sweep runs every variant of a scenario at every core count, each point in
// its own process (SimGrid keeps one engine per process), `jobs` at a time,
// then writes results.jsonl and summary.csv in (variant, cores) order.
#pragma once
#include <sys/types.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace smpsim {

struct SweepOptions {
  std::string scenario;
  std::vector<int> cores;
  std::string out_dir;  // "" = out/<scenario name>
  int jobs = 1;
  long long seed = -1;  // -1 = as in the scenario
  int repeat = 1;       // replications of every point, each with its own seed (replication_seed)
  bool quiet = false;
  bool resume = false;  // keep points whose complete result exists (same schema version)
  // The scenario's sweep.set axes and --set PATH=V1,V2,...: every combination
  // becomes a variant (crossed with the scenario's own), named VARIANT+PATH=VALUE+...
  std::vector<SetAxis> sets;
};

// A --set option, PATH=V1,V2,... (each value JSON, or a bare word as a string);
// BadInput (pointer "--set") when malformed.
SetAxis parse_set_option(const std::string& s);

// Expands the axes into the scenario's variants (the cartesian product). A
// value's name in a variant's name is the value itself, or for an object its
// "kind" (or "name"): "+design=cccluster".
nlohmann::json expand_sets(const nlohmann::json& doc, const std::vector<SetAxis>& sets);
// A scenario file with its own sweep section's axes expanded into variants: the variants a sweep of it
// runs, by their names (what `run --variant` and `validate` see).
nlohmann::json read_scenario_with_axes(const std::string& file);

// Returns the process exit code (0 ok, 1 a point failed). BadInput on bad input,
// before any point runs.
int run_sweep(const SweepOptions& opt, const std::string& self_exe);

// Starts args[0] with args (stderr to `stderr_file` when given); std::runtime_error when it cannot.
pid_t spawn_process(std::vector<std::string> args, const std::string& stderr_file = "");

// The parts a sweep is made of, shared by the local run and Slurm (sim/slurm.cpp).
struct Point {
  std::string variant;  // "" = base
  int cores;
  std::string result_path;
  int replication = 0;
  long long seed = -1;  // -1 = the sweep's (--seed, or the scenario's run.seed)
  int pid = -1;
  int status = -1;
};
struct SweepPlan {
  nlohmann::json doc;               // the scenario with --set expanded into variants
  std::string name;                 // the scenario's name
  std::filesystem::path out;        // the output directory (points/ inside)
  std::string points_scenario;      // the file each point runs
  std::vector<Point> points;        // in (variant, cores) order
};
// Checks every variant and point (BadInput before anything runs); writes
// OUT/scenario.json when there are --set axes or `write_scenario`.
SweepPlan plan_sweep(const SweepOptions& opt, bool write_scenario);
// Replication r's seed: the base seed for r = 0, else a splitmix64 mix of base and r (deterministic, and far
// from the base seeds a user would also try), below 2^63.
long long replication_seed(unsigned long long base, int r);
// A point's result file holds its complete result (schema version, variant, cores, seed: the point's own,
// else `seed` when not negative).
// A point's result file holds a complete result (exit 0: no metrics.incomplete) of this schema version for the
// same variant, core count and seed and, given `resolved`, of exactly that resolved scenario (an edited
// scenario makes its old points stale).
bool point_complete(const Point& p, long long seed, const nlohmann::json* resolved = nullptr);
// results.jsonl (every replication, each with its "replication"), summary.csv (one row per variant and core
// count: the mean over replications, and for each metric a 95% confidence interval, Student's t) and
// locks.csv (replication 0's locks), from the points' results, in order (atomic writes).
// `axes`: the swept paths (dotted or JSON pointers), each a last column of summary.csv named by its dotted
// path, holding the point's value of it (an object by its kind or name).
void assemble_results(const std::vector<Point>& points, const std::filesystem::path& out,
                      const std::vector<std::string>& axes = {});
// The dotted column names of swept paths ("/design" -> "design").
std::vector<std::string> axis_labels(const std::vector<SetAxis>& sets);

}  // namespace smpsim
