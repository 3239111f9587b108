// smpsim command line: run, sweep, validate.
// Exit codes: 0 ok, 2 bad input (scenario, flag, override), 1 internal error.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "sim/atomic_file.hpp"
#include "sim/core_list.hpp"
#include "engine/clock.hpp"
#include "sim/describe.hpp"
#include "sim/perf_stat.hpp"
#include "sim/replications.hpp"
#include "sim/slurm.hpp"
#include "sim/lock_report.hpp"
#include "engine/errors.hpp"
#include "sim/results.hpp"
#include "sim/run_point.hpp"
#include "sim/scenario.hpp"
#include "sim/sweep.hpp"

using namespace smpsim;
namespace fs = std::filesystem;

namespace {

std::string self_exe(const char* argv0) {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(argv0) : p.string();
}

// A flag's whole number, in decimal (leading zeros allowed and meaning nothing), within [lo, hi]; else exit 2.
long long decimal_option(const std::string& text, const char* flag, long long lo, long long hi) {
  const bool digits = !text.empty() && text.size() <= 18 && text.find_first_not_of("0123456789") == std::string::npos;
  const long long v = digits ? std::stoll(text, nullptr, 10) : -1;
  if (!digits || v < lo || v > hi)
    throw BadInput("", flag, fmt::format("expected a whole number from {} to {}, got \"{}\"", lo, hi, text));
  return v;
}

void print_summary(const json& r) {
  const json& m = r["metrics"];
  fmt::print("{} [{}] on {} cores ({}): {:.6g} ops/s\n", r["name"].get<std::string>(),
             r["variant"].get<std::string>(), r["cores"].get<int>(),
             r["scenario"]["machine"]["name"].get<std::string>(), m["throughput_per_s"].get<double>());
  fmt::print("{:<12} {:>12} {:>12} {:>14} {:>14} {:>14} {:>14}\n", "lock", "acquisitions", "contentions",
             "waittime-avg", "waittime-max", "holdtime-avg", "transfers/acq");
  for (const json& l : m["locks"]) {
    const double acq = l["acquisitions"].get<double>();
    fmt::print("{:<12} {:>12} {:>12} {:>12.1f}ns {:>12.1f}ns {:>12.1f}ns {:>14.2f}\n", l["name"].get<std::string>(),
               l["acquisitions"].get<long long>(), l["contentions"].get<long long>(),
               l["waittime_avg_ns"].get<double>(), l["waittime_max_ns"].get<double>(),
               l["holdtime_avg_ns"].get<double>(), acq > 0 ? l["line_transfers"].get<double>() / acq : 0.0);
  }
  const json& t = m["time_ns"];
  const double tot = time_total_ns(t);
  std::string line = "CPU time:";
  for (int i = 0; i < kCpuStateCount; ++i) {
    const char* st = cpu_state_name(CpuState(i));
    const double v = t[std::string(st) + "_ns"].get<double>();
    if (v > 0) line += fmt::format("  {} {:.1f}%", st, 100 * v / tot);
  }
  fmt::print("{}\n", line);
}

void print_explanation(const json& r, const std::string& op) {
  const json& e = r["metrics"]["explain"];
  if (e.is_null()) {
    fmt::print("no execution of {} on CPU 0 (does the workload call it?)\n", op);
    return;
  }
  fmt::print("{} on CPU {}: {:.1f} ns\n", op, e["cpu"].get<int>(), e["total_ns"].get<double>());
  for (const json& s : e["steps"]) {
    const std::string ns = s["ns"].is_null() ? "" : fmt::format("{:10.1f} ns", s["ns"].get<double>());
    fmt::print("  {:<52} {:>13}  {}\n", s["step"].get<std::string>(), ns, s["detail"].get<std::string>());
  }
  if (!e.contains("parts")) return;
  // The op's time by what the CPU was doing, every iteration counted: the parts add up to the total.
  std::vector<std::pair<std::string, double>> parts;
  for (auto& [name, ns] : e["parts"].items()) parts.emplace_back(name, ns.get<double>());
  std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  const double total = e["total_ns"].get<double>();
  fmt::print("parts:\n");
  for (const auto& [name, ns] : parts)
    fmt::print("  {:<52} {:10.1f} ns  {:5.1f}%\n", name, ns, total > 0 ? 100 * ns / total : 0.0);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"smpsim: compare multiprocessor kernel designs by simulation (SimGrid)"};
  app.set_version_flag("--version", std::string("smpsim ") + SMPSIM_VERSION);
  app.require_subcommand(1);

  std::string scenario, out, variant, result_file, cores_text, run_cores_text, seed_text;
  int cores = 0, jobs = 1;
  long long seed = -1;

  CLI::App* run = app.add_subcommand("run", "Run one scenario at one core count");
  run->add_option("scenario", scenario, "Scenario JSON file")->required();
  // Numbers read as decimal text (CLI11 would read 010 as octal, and clamp a seed past 2^63).
  run->add_option("--cores", run_cores_text, "Active cores (default: run.cores, else every core of the machine)");
  run->add_option("--seed", seed_text, "Random seed, 0 to 2^53 (default: run.seed)");
  run->add_option("--out", out, "Write DIR/result.json (default: the result JSON on stdout)");
  run->add_option("--variant", variant, "Apply the scenario's named variant");
  run->add_option("--jobs,-j", jobs, "With --repeat: replications run in parallel (processes)")->check(CLI::PositiveNumber);
  run->add_option("--result-file", result_file, "Write the result JSON to this file, atomically")->group("");
  bool lock_stat = false, lock_contention = false, lock_instances = false;
  std::string explain_op;
  run->add_option("--explain", explain_op,
                  "Record the steps of one execution of OP on CPU 0 (its last) with each step's cost and reason; "
                  "printed instead of the JSON, and kept in metrics.explain");
  run->add_flag("--lock-instances", lock_instances, "Also report every lock instance (metrics.lock_instances)");
  std::string trace_file;
  double trace_from = 0, trace_to = -1;
  CLI::Option* trace_opt =
      run->add_option("--trace", trace_file, "Write a Chrome Trace Event timeline (opens in ui.perfetto.dev)");
  run->add_option("--trace-from", trace_from, "Keep trace events from this time on (microseconds)")
      ->check(CLI::NonNegativeNumber)
      ->needs(trace_opt);
  run->add_option("--trace-to", trace_to, "Keep trace events up to this time (microseconds)")
      ->check(CLI::NonNegativeNumber)
      ->needs(trace_opt);
  run->add_flag("--lock-stat", lock_stat, "Print the locks in /proc/lock_stat's layout (instead of the JSON on stdout)");
  CLI::Option* contention_opt = run->add_flag("--lock-contention", lock_contention,
                                              "Print a `perf lock contention` summary (instead of the JSON on stdout)");
  std::string contention_key = "wait_total";
  run->add_option("--lock-contention-key,-k", contention_key,
                  "Sort --lock-contention by: wait_total (default), contended, wait_max, avg_wait (perf's -k)")
      ->check(CLI::IsMember(lock_contention_keys()))
      ->needs(contention_opt);
  bool contention_per_cpu = false;
  run->add_flag("--threads,-t", contention_per_cpu,
                "With --lock-contention: one row per CPU over every lock (perf lock contention -t; threads are pinned, "
                "one per CPU)")
      ->needs(contention_opt);
  bool perf_stat = false;
  run->add_flag("--perf-stat", perf_stat, "Print the run's counters as `perf stat` does, each also per op (instead of the JSON on stdout)");
  int run_repeat = 1;
  run->add_option("--repeat,-r", run_repeat,
                  "Run N times with seeds derived from the base seed: the replications and their means with 95% "
                  "confidence intervals (with --perf-stat: perf stat -r's table, each counter +- its noise)");

  CLI::App* sweep = app.add_subcommand("sweep", "Run every variant at every core count");
  sweep->add_option("scenario", scenario, "Scenario JSON file")->required();
  sweep->add_option("--cores", cores_text, "Core counts: 1,2,4 or 1-48 or 1-256:x2 (default: the scenario's sweep.cores)");
  bool quiet = false;
  sweep->add_flag("--quiet,-q", quiet, "No progress on stderr (errors only)");
  sweep->add_option("--out", out, "Output directory (default: out/<scenario name>)");
  sweep->add_option("--jobs,-j", jobs, "Points run in parallel (processes)");
  sweep->add_option("--seed", seed_text, "Random seed for every point, 0 to 2^53 (default: run.seed)");
  std::vector<std::string> sets;
  bool resume = false;
  sweep->add_flag("--resume", resume, "Keep points whose complete result is already in DIR/points (after a crash or kill)");
  int repeat = 1;
  sweep->add_option("--repeat,-r", repeat,
                    "Run every point N times with seeds derived from the base seed; summary.csv gives the means and "
                    "95% confidence intervals (Student's t)");
  sweep->add_option("--set", sets,
                    "PATH=V1,V2,...: sweep a scenario field too (dotted path or JSON pointer; values as JSON, or "
                    "words); several --set give the cartesian product, crossed with the scenario's variants");

  SlurmOptions slurm;
  sweep->add_option("--slurm", slurm.out_dir, "Run the points as a Slurm job array writing into this directory, plus a dependent merge job");
  sweep->add_flag("--dry-run", slurm.dry_run, "--slurm: write the manifest and the sbatch scripts, do not submit");
  sweep->add_option("--points-per-task", slurm.points_per_task, "--slurm: points run by one array task")->check(CLI::PositiveNumber);
  sweep->add_option("--max-running", slurm.max_running, "--slurm: array tasks running at once (--array=0-K%M)")->check(CLI::NonNegativeNumber);
  sweep->add_option("--partition", slurm.partition, "--slurm: the partition");
  sweep->add_option("--time", slurm.time_limit, "--slurm: each task's time limit (sbatch --time)");
  sweep->add_option("--mem", slurm.mem, "--slurm: each task's memory (sbatch --mem)");
  sweep->add_option("--cpus-per-task", slurm.cpus_per_task, "--slurm: CPUs per task")->check(CLI::PositiveNumber);

  CLI::App* merge = app.add_subcommand("merge", "Gather a Slurm sweep's point results into results.jsonl and summary.csv");
  std::string merge_dir;
  merge->add_option("dir", merge_dir, "The --slurm directory")->required();
  bool merge_quiet = false;
  merge->add_flag("--quiet,-q", merge_quiet, "Errors only");

  CLI::App* validate = app.add_subcommand("validate", "Check a scenario and all its variants");
  validate->add_option("scenario", scenario, "Scenario JSON file")->required();

  std::string topic, topic_name;
  CLI::App* describe_cmd = app.add_subcommand("describe", "List presets and every model parameter");
  describe_cmd->add_option("topic", topic, "What to describe: machine, design, workload, lock, protocol, stats (every statistic a result reports), or json (everything, machine-readable)")->required();
  describe_cmd->add_option("name", topic_name, "A preset to print in full");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  try {
    if (!run_cores_text.empty()) cores = int(decimal_option(run_cores_text, "--cores", 1, 1 << 20));
    if (!seed_text.empty()) seed = decimal_option(seed_text, "--seed", 0, 1LL << 53);
    if (*run) {
      const json doc = read_scenario_with_axes(scenario);  // a variant a sweep runs, by its name
      check_scenario_file(doc, scenario, 0, seed);  // every variant, as written
      Scenario sc = load_scenario(doc, scenario, variant, cores, seed);
      if (!explain_op.empty() && !sc.design.params["recipes"].contains(explain_op)) {
        std::string ops;
        for (auto& [k, v] : sc.design.params["recipes"].items()) ops += (ops.empty() ? "" : ", ") + k;
        throw BadInput(scenario, "--explain", "the design has no op \"" + explain_op + "\" (has: " + ops + ")");
      }
      // Every output path is checked before anything is simulated (a bad one would lose the whole run).
      if (!result_file.empty()) check_output_file(result_file, "--result-file");
      if (!trace_file.empty()) check_output_file(trace_file, "--trace");
      if (!out.empty()) check_output_dir(out, "--out");
      if (run_repeat != 1) {
        if (run_repeat < 2 || run_repeat > 1000)
          throw BadInput(scenario, "--repeat", "expected 1 to 1000 replications, got " + std::to_string(run_repeat));
        if (!trace_file.empty() || !explain_op.empty() || lock_stat || lock_contention || !result_file.empty())
          throw BadInput(scenario, "--repeat",
                         "replications give means and counters: run --trace, --explain, --lock-stat, "
                         "--lock-contention or --result-file on one replication (without --repeat)");
        const std::vector<json> reps =
            run_replications({scenario, variant, cores, sc.run.seed, run_repeat, std::max(1, jobs)}, self_exe(argv[0]));
        const json doc = {{"summary", replication_summary(reps)}, {"replications", reps}};
        if (!out.empty()) {
          fs::create_directories(out);
          write_file_atomic((fs::path(out) / "replications.json").string(), doc.dump(2) + "\n");
          fmt::print(stderr, "replications: {}\n", (fs::path(out) / "replications.json").string());
        }
        if (perf_stat) {
          fmt::print("{}", perf_stat_repeated_table(reps));
        } else if (out.empty()) {
          std::cout << doc.dump(2) << "\n";
        } else {
          for (const auto& [m, v] : doc["summary"]["metrics"].items())
            fmt::print("{:<18} {} +- {} (95% CI, {} replications)\n", m, v["mean"].get<double>(),
                       v["ci95"].get<double>(), run_repeat);
        }
        return 0;
      }
      sc.explain_op = explain_op;
      sc.trace_file = trace_file;
      if (!trace_file.empty()) sc.resolved["run"]["max_trace_events"] = sc.run.max_trace_events;
      sc.trace_from_us = trace_from;
      sc.trace_to_us = trace_to;
      sc.lock_instances = lock_instances;
      const json result = run_point(sc);
      if (!result_file.empty()) {
        write_file_atomic(result_file, result.dump() + "\n");
      } else if (!out.empty()) {
        fs::create_directories(out);
        write_file_atomic((fs::path(out) / "result.json").string(), result.dump(2) + "\n");
        if (!lock_stat && !lock_contention && !perf_stat) print_summary(result);
        fmt::print(stderr, "result: {}\n", (fs::path(out) / "result.json").string());
      } else if (!lock_stat && !lock_contention && !perf_stat && explain_op.empty()) {
        std::cout << result.dump(2) << "\n";
      }
      if (!explain_op.empty()) print_explanation(result, explain_op);
      if (lock_stat) fmt::print("{}", lock_stat_table(result));
      if (lock_contention) fmt::print("{}", contention_per_cpu ? lock_contention_cpu_table(result, contention_key)
                                                              : lock_contention_table(result, contention_key));
      if (perf_stat) fmt::print("{}", perf_stat_table(result));
      if (result["metrics"].contains("incomplete")) {
        fmt::print(stderr, "smpsim: the run stopped early: {} at {:.0f} ns simulated; the result is partial "
                           "(metrics.incomplete)\n",
                   result["metrics"]["incomplete"]["reason"].get<std::string>(),
                   result["metrics"]["incomplete"]["at_ns"].get<double>());
        return 4;
      }
    } else if (*sweep) {
      SweepOptions opt;
      opt.scenario = scenario;
      // The scenario's own sweep section; the command line's --cores replaces its cores, --set adds axes.
      const SweepSection section = read_sweep_section(read_json_file(scenario), scenario);
      if (cores_text.empty()) cores_text = section.cores;
      if (cores_text.empty())
        throw BadInput(scenario, "--cores", "no core counts: give --cores, or a \"sweep\": {\"cores\": ...} section");
      opt.cores = parse_core_list(cores_text);
      opt.quiet = quiet;
      std::vector<SetAxis> axes = section.sets;
      for (const std::string& s : sets) axes.push_back(parse_set_option(s));
      opt.out_dir = out;
      opt.jobs = jobs;
      opt.seed = seed;
      opt.sets = axes;
      opt.resume = resume;
      opt.repeat = repeat;
      if (!slurm.out_dir.empty()) {
        if (repeat != 1) throw BadInput(scenario, "--repeat", "replications are not supported with --slurm yet");
        return submit_slurm(opt, slurm, self_exe(argv[0]));
      }
      return run_sweep(opt, self_exe(argv[0]));
    } else if (*merge) {
      return merge_sweep(merge_dir, merge_quiet);
    } else if (*describe_cmd) {
      return describe(topic, topic_name);
    } else if (*validate) {
      const json doc = read_scenario_with_axes(scenario);  // every variant, as a sweep runs them
      std::vector<std::string> variants = variant_names(doc, scenario);
      Scenario base = check_scenario_file(doc, scenario);
      fmt::print("{}: OK ({}, {} variant{}, machine {} with {} cores)\n", scenario, base.name, variants.size(),
                 variants.size() == 1 ? "" : "s", base.machine.name, base.machine.topo.cores());
    }
  } catch (const BadInput& e) {
    fmt::print(stderr, "smpsim: error: {}\n", e.what());
    return 2;
  } catch (const SimDeadlock& e) {
    fmt::print(stderr, "smpsim: {}\n", e.what());
    return 3;
  } catch (const std::exception& e) {
    fmt::print(stderr, "smpsim: internal error: {}\n", e.what());
    return 1;
  }
  return 0;
}
