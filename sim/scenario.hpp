// Scenario files (version 1): machine x design x workload x run, plus named
// variants (sets of overrides of the base). Loading resolves presets and
// defaults, so `resolved` holds every value a run used.
#pragma once
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "models/machine/machine.hpp"
#include "models/workload/workload.hpp"

namespace smpsim {

using json = nlohmann::json;

// Bounds on a scenario file (read_json_file).
constexpr unsigned long long kMaxInputBytes = 16ull << 20;
constexpr int kMaxJsonDepth = 256;
// Names that become file names (a scenario's default output directory, a variant's point files).
constexpr size_t kMaxNameLength = 100;
bool name_fits_a_path(const std::string& name);

struct RunSpec {
  unsigned long long seed = 1;
  long long warmup_ops = 0;                  // per CPU, before the measurement window
  std::string measure = "until_first_done";  // or "until_all_done"
  // Runaway guards (0: none): the run stops, its result marked incomplete, exit code 4.
  double max_sim_time_ns = 0;
  long long max_events = 0;
  double max_wall_s = 0;
  // With --trace: the events a trace may hold (it is written when the run ends); past it, exit 2.
  long long max_trace_events = 2'000'000;
  int cores = 0;                             // active CPUs: the first N in the run's CPU order
  std::string placement = "compact";        // compact, spread, scatter; "cpus" when listed
  std::vector<int> cpus;                     // run.cpus, when given
  int max_cores = 0;                         // the most a run may use: the machine's, or run.cpus's
};

struct Scenario {
  std::string file;
  std::string name;
  std::string variant;  // "" = the base scenario
  json resolved;        // the scenario as run: variant applied, presets and defaults filled in
  Machine machine;
  DesignSpec design;
  std::string workload_kind;
  std::string explain_op;       // --explain: record one execution of this op
  bool lock_instances = false;  // report every lock instance, not only classes
  std::string trace_file;       // --trace: write a Chrome/Perfetto timeline here
  double trace_from_us = 0, trace_to_us = -1;
  std::shared_ptr<Workload> workload;  // built for this machine and run
  RunSpec run;
};

// Reads and parses a JSON file; BadInput if missing, empty or not JSON.
json read_json_file(const std::string& path);

// Names of the scenario's variants, in file order (checked).
std::vector<std::string> variant_names(const json& doc, const std::string& file);

// Loads the scenario, applying variant `variant` ("" for the base), then
// command-line overrides (cores <= 0 and seed < 0 mean "as in the file").
Scenario load_scenario(const json& doc, const std::string& file, const std::string& variant,
                       int cores = 0, long long seed = -1);

// Loads the base scenario and every variant (as run, validate and sweep do:
// a file with one bad variant is a bad file). Returns the base.
// A scenario's own "sweep" section: {"cores": "1-48" or [1, 2, 4], "set": {"PATH": [V1, V2]}}. The
// command line's --cores replaces its cores; its --set options add to its axes. BadInput at
// /sweep/... on a malformed section.
// One sweep axis: a path (a JSON pointer or a dotted path, as variants' "set" take) and its values.
struct SetAxis {
  std::string path;
  std::vector<json> values;
};
struct SweepSection {
  std::string cores;          // "" when absent
  std::vector<SetAxis> sets;  // any JSON values: a whole "/design" object too
};
SweepSection read_sweep_section(const json& doc, const std::string& file);

Scenario check_scenario_file(const json& doc, const std::string& file, int cores = 0, long long seed = -1);

// Machine from an explicit description (presets already expanded).
Machine parse_machine(const json& j, const std::string& pointer, const std::string& file);

}  // namespace smpsim
