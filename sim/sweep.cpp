#include "sim/sweep.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <map>
#include <sstream>

#include "sim/atomic_file.hpp"
#include "engine/errors.hpp"
#include "engine/stats.hpp"
#include "sim/results.hpp"
#include "sim/scenario.hpp"

extern char** environ;

namespace smpsim {

namespace fs = std::filesystem;

pid_t spawn_process(std::vector<std::string> args, const std::string& stderr_file) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (!stderr_file.empty())
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid;
  const int rc = posix_spawn(&pid, args[0].c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(rc));
  return pid;
}

namespace {

std::string csv_escape(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

pid_t spawn_point(const std::string& exe, const SweepOptions& opt, const Point& p) {
  std::vector<std::string> args = {exe, "run", opt.scenario, "--cores", std::to_string(p.cores), "--result-file",
                                   p.result_path};
  if (!p.variant.empty()) args.insert(args.end(), {"--variant", p.variant});
  const long long seed = p.seed >= 0 ? p.seed : opt.seed;
  if (seed >= 0) args.insert(args.end(), {"--seed", std::to_string(seed)});
  return spawn_process(args);
}

}  // namespace

// Sweep progress on stderr: a bar with an ETA on a terminal, else one line per point.
class Progress {
 public:
  explicit Progress(bool tty) : tty_(tty), t0_(std::chrono::steady_clock::now()) {}
  void point_done(size_t finished, size_t to_run, size_t kept, const std::string& variant, int cores, bool ok) {
    if (!tty_ || !ok) {
      if (tty_) fmt::print(stderr, "\r\033[K");
      fmt::print(stderr, "[{}/{}] {} cores={} {}\n", finished, to_run + kept, variant, cores, ok ? "done" : "FAILED");
      if (!tty_) return;
    }
    const size_t run = finished - kept;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    const double eta = run ? elapsed / double(run) * double(to_run - run) : 0;
    constexpr int kWidth = 30;
    const int filled = to_run ? int(kWidth * run / to_run) : kWidth;
    fmt::print(stderr, "\r\033[K[{}{}] {}/{} points, {:.0f} s, ETA {:.0f} s", std::string(size_t(filled), '#'),
               std::string(size_t(kWidth - filled), '.'), finished, to_run + kept, elapsed, eta);
    drawn_ = true;
  }
  void end() {
    if (drawn_) fmt::print(stderr, "\n");
  }

 private:
  bool tty_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point t0_;
};

SetAxis parse_set_option(const std::string& s) {
  const auto eq = s.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == s.size())
    throw BadInput("", "--set", "expected PATH=VALUE[,VALUE...], got \"" + s + "\"");
  SetAxis a;
  a.path = s.substr(0, eq);
  std::string rest = s.substr(eq + 1);
  size_t pos = 0;
  while (pos <= rest.size()) {
    const size_t comma = rest.find(',', pos);
    const std::string v = rest.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? rest.size() + 1 : comma + 1;
    if (v.empty()) throw BadInput("", "--set", "empty value in \"" + s + "\"");
    try {
      a.values.push_back(json::parse(v));  // numbers, booleans, quoted strings
    } catch (const json::parse_error&) {
      a.values.push_back(v);  // a bare word is a string
    } catch (const json::out_of_range&) {  // 1e999: no double holds it
      throw BadInput("", "--set", "the number " + v + " in \"" + s + "\" is out of range (no double holds it)");
    }
  }
  return a;
}

json expand_sets(const json& doc_in, const std::vector<SetAxis>& sets) {
  json doc = doc_in;
  if (sets.empty()) return doc;
  struct Axis {
    std::string path, label;
    std::vector<json> values;
  };
  std::vector<Axis> axes;
  for (const SetAxis& s : sets) {
    Axis a{s.path, s.path[0] == '/' ? s.path.substr(1) : s.path, s.values};
    for (auto& ch : a.label)
      if (ch == '/') ch = '.';
    axes.push_back(a);
  }
  // The scenario's own variants (or the base), crossed with every combination.
  json base_variants = doc.contains("variants") ? doc["variants"] : json::array({{{"name", "base"}, {"set", json::object()}}});
  if (!base_variants.is_array()) return doc;  // the loader reports it
  json out = json::array();
  auto clean = [](std::string v) {
    for (auto& ch : v)
      if (ch == '/' || ch == '\\' || ch == ' ' || ch == ',' || ch == '"') ch = '_';
    return v;
  };
  std::vector<size_t> idx(axes.size(), 0);
  for (const json& bv : base_variants) {
    std::fill(idx.begin(), idx.end(), 0);
    for (;;) {
      json v = bv;
      std::string name = bv.value("name", std::string("base"));
      for (size_t i = 0; i < axes.size(); ++i) {
        const json& val = axes[i].values[idx[i]];
        v["set"][axes[i].path] = val;
        std::string shown = val.is_string() ? val.get<std::string>() : val.dump();
        for (const char* key : {"kind", "name"})  // a whole object (a design, a workload) by its kind
          if (val.is_object() && val.contains(key) && val[key].is_string()) {
            shown = val[key].get<std::string>();
            break;
          }
        name += "+" + axes[i].label + "=" + clean(shown);
      }
      v["name"] = name;
      out.push_back(v);
      size_t k = 0;
      while (k < axes.size() && ++idx[k] == axes[k].values.size()) idx[k++] = 0;
      if (k == axes.size()) break;
    }
  }
  doc["variants"] = out;
  // The scenario's own axes are variants now: expanding the result again changes nothing.
  if (doc.contains("sweep") && doc["sweep"].is_object()) doc["sweep"].erase("set");
  return doc;
}

json read_scenario_with_axes(const std::string& file) {
  const json doc = read_json_file(file);
  return expand_sets(doc, read_sweep_section(doc, file).sets);
}

SweepPlan plan_sweep(const SweepOptions& opt, bool write_scenario) {
  const json doc = expand_sets(read_json_file(opt.scenario), opt.sets);
  std::vector<std::string> variants = variant_names(doc, opt.scenario);
  if (variants.empty()) variants.push_back("");

  // Check every variant before running anything. A variant's points stop at
  // its machine's size (variants may use different machines). The 1-core
  // point is the speedup baseline; it is added when the workload can run on
  // one core.
  const std::string name = check_scenario_file(doc, opt.scenario, 0, opt.seed).name;
  if (opt.jobs < 1) throw BadInput("", "--jobs", "expected at least 1 job, got " + std::to_string(opt.jobs));
  if (opt.repeat < 1 || opt.repeat > 1000)
    throw BadInput("", "--repeat", "expected 1 to 1000 replications, got " + std::to_string(opt.repeat));
  std::map<std::string, std::vector<int>> cores_of;
  int largest = 0;
  for (const auto& v : variants) {
    const int machine_cores = load_scenario(doc, opt.scenario, v, 0, opt.seed).run.max_cores;
    largest = std::max(largest, machine_cores);
    std::vector<int>& cs = cores_of[v];
    if (opt.cores.front() != 1) {
      try {
        load_scenario(doc, opt.scenario, v, 1, opt.seed);
        cs.push_back(1);
      } catch (const BadInput&) {
      }
    }
    for (int c : opt.cores)
      if (c <= machine_cores) cs.push_back(c);
    if (opt.cores.back() > machine_cores && !opt.quiet)
      fmt::print(stderr, "smpsim sweep: variant {}: its machine has {} CPUs; larger core counts skipped\n",
                 v.empty() ? "base" : v, machine_cores);
  }
  if (opt.cores.back() > largest)
    throw BadInput(opt.scenario, "--cores", "expected at most " + std::to_string(largest) +
                                                " cores (the most any variant may use: its machine's CPUs, or its run.cpus), got " +
                                                std::to_string(opt.cores.back()));
  for (const auto& v : variants)
    for (int c : cores_of[v]) load_scenario(doc, opt.scenario, v, c, opt.seed);

  const fs::path out = opt.out_dir.empty() ? fs::path("out") / name : fs::path(opt.out_dir);
  check_output_dir(out.string(), "--out");  // a file there, or no way to write, is exit 2 before any point runs
  const fs::path points_dir = out / "points";
  fs::create_directories(points_dir);
  // The scenario the points run: the file with --set expanded into variants.
  SweepPlan plan{doc, name, out, opt.scenario, {}};
  if (!opt.sets.empty() || write_scenario) {
    plan.points_scenario = (out / "scenario.json").string();
    write_file_atomic(plan.points_scenario, doc.dump(2) + "\n");
  }

  for (const auto& v : variants) {
    const unsigned long long base = load_scenario(doc, opt.scenario, v, cores_of[v].front(), opt.seed).run.seed;
    for (int c : cores_of[v])
      for (int r = 0; r < opt.repeat; ++r) {
        const std::string stem = fmt::format("{}-{:04d}", v.empty() ? "base" : v, c) + (r ? fmt::format("-r{}", r) : "");
        Point p{v, c, (points_dir / (stem + ".json")).string()};
        p.replication = r;
        if (r > 0) p.seed = replication_seed(base, r);
        plan.points.push_back(p);
      }
  }
  return plan;
}

long long replication_seed(unsigned long long base, int r) {
  if (r == 0) return (long long)(base & 0x7fffffffffffffffULL);
  uint64_t z = base + 0x9e3779b97f4a7c15ULL * uint64_t(r);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return (long long)(z >> 11);  // below 2^53, as a scenario's run.seed
}


bool point_complete(const Point& p, long long seed, const json* resolved) {
  std::ifstream in(p.result_path);
  if (!in) return false;
  try {
    json r = json::parse(in);
    return r.value("schema_version", 0) == kResultSchemaVersion &&
           r.value("variant", std::string()) == (p.variant.empty() ? "base" : p.variant) &&
           r.value("cores", 0) == p.cores && r.contains("metrics") && !r["metrics"].contains("incomplete") &&
           ((p.seed < 0 ? seed : p.seed) < 0 || r.value("seed", -1LL) == (p.seed < 0 ? seed : p.seed)) &&
           (resolved == nullptr || (r.contains("scenario") && r["scenario"] == *resolved));
  } catch (const json::exception&) {
    return false;
  }
}

int run_sweep(const SweepOptions& opt, const std::string& self_exe) {
  SweepPlan plan = plan_sweep(opt, false);
  std::vector<Point>& points = plan.points;
  SweepOptions child = opt;
  child.scenario = plan.points_scenario;
  // --resume: a point whose result file holds a complete result of this
  // schema version for the same variant, core count and seed is kept.
  std::vector<bool> skip(points.size(), false);
  size_t kept = 0;
  if (opt.resume)
    for (size_t i = 0; i < points.size(); ++i) {
      const Point& p = points[i];
      // The point as it would run now: a result of another scenario (edited since) is stale and runs again.
      const json now = load_scenario(plan.doc, opt.scenario, p.variant, p.cores, p.seed < 0 ? opt.seed : p.seed).resolved;
      if (point_complete(p, opt.seed, &now)) skip[i] = true, ++kept;
    }
  if (opt.resume && !opt.quiet) fmt::print(stderr, "smpsim sweep: resuming, {} of {} points done\n", kept, points.size());

  // Run the points, at most `jobs` at a time, the most cores first: the
  // longest points start early instead of ending the sweep alone (results
  // are assembled in (variant, cores) order whatever the order they ran in).
  std::vector<size_t> order(points.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return points[a].cores > points[b].cores; });
  Progress progress(::isatty(STDERR_FILENO) != 0);
  std::map<pid_t, size_t> running;
  size_t next = 0, finished = kept;
  int failures = 0;
  while (finished < points.size()) {
    while (next < points.size() && int(running.size()) < opt.jobs) {
      const size_t i = order[next++];
      if (skip[i]) continue;
      std::remove(points[i].result_path.c_str());
      points[i].pid = spawn_point(self_exe, child, points[i]);
      running[points[i].pid] = i;
    }
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;
    Point& p = points[it->second];
    running.erase(it);
    ++finished;
    p.status = status;
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok) ++failures;
    if (!opt.quiet) progress.point_done(finished, points.size() - kept, kept, p.variant.empty() ? "base" : p.variant, p.cores, ok);
  }
  if (!opt.quiet) progress.end();
  if (failures) {
    fmt::print(stderr, "smpsim sweep: {} of {} points failed; no results.jsonl written\n", failures, points.size());
    return 1;
  }

  assemble_results(points, plan.out, axis_labels(opt.sets));
  if (!opt.quiet) fmt::print(stderr, "smpsim sweep: {} points -> {}\n", points.size(), plan.out.string());
  return 0;
}

namespace {

std::string exact_number(double v) { return fmt::format("{}", v); }

// One summary row from a point's replications (their summary_row cells): numeric metric columns are the mean,
// each with a _ci95 half-width (empty for one replication); text columns and the seed are replication 0's.
std::vector<std::string> mean_row(const std::vector<std::vector<std::string>>& reps) {
  const std::vector<std::string> cols = summary_columns();
  std::vector<std::string> row = reps.front();
  std::vector<std::string> ci;
  for (const std::string& metric : summary_ci_columns()) {
    const size_t k = size_t(std::find(cols.begin(), cols.end(), metric) - cols.begin());
    std::vector<double> v;
    for (const auto& r : reps)
      if (!r[k].empty()) v.push_back(std::stod(r[k]));
    if (v.size() != reps.size()) {  // a column left empty (no 1-core baseline, several locks)
      ci.emplace_back();
      continue;
    }
    const SampleStats st = sample_stats(v);
    if (v.size() > 1) row[k] = exact_number(st.mean);
    ci.push_back(v.size() > 1 ? exact_number(st.ci95) : std::string());
  }
  row.push_back(std::to_string(reps.size()));
  row.insert(row.end(), ci.begin(), ci.end());
  return row;
}

}  // namespace

std::vector<std::string> axis_labels(const std::vector<SetAxis>& sets) {
  std::vector<std::string> labels;
  for (const SetAxis& a : sets) {
    std::string l = a.path[0] == '/' ? a.path.substr(1) : a.path;
    for (auto& ch : l)
      if (ch == '/') ch = '.';
    if (std::find(labels.begin(), labels.end(), l) == labels.end()) labels.push_back(l);
  }
  return labels;
}

namespace {
// A swept parameter's value in a result's resolved scenario, as a summary cell.
std::string axis_cell(const json& result, const std::string& label) {
  std::string ptr = "/" + label;
  for (auto& ch : ptr)
    if (ch == '.') ch = '/';
  const json& sc = result.at("scenario");
  const json::json_pointer jp(ptr);
  if (!sc.contains(jp)) return "";
  const json& v = sc.at(jp);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return fmt::format("{}", v.get<double>());  // exactly, integers without a point
  if (v.is_object())
    for (const char* key : {"kind", "name"})
      if (v.contains(key) && v[key].is_string()) return v[key].get<std::string>();
  return v.dump();
}
}  // namespace

void assemble_results(const std::vector<Point>& points, const fs::path& out, const std::vector<std::string>& axes) {
  // Assemble, in (variant, cores, replication) order; speedup against the same replication of the
  // variant's 1-core point.
  std::string jsonl, csv, locks;
  std::vector<std::string> header = stat_names("summary");  // the row, replications, the _ci95 columns
  const std::vector<std::string> fixed = summary_columns();  // a swept design or workload has its column already
  for (const auto& a : axes)
    if (std::find(fixed.begin(), fixed.end(), a) == fixed.end()) header.push_back(a);
  for (const auto& col : header) csv += (csv.empty() ? "" : ",") + col;
  csv += "\n";
  for (const auto& col : lock_columns()) locks += (locks.empty() ? "" : ",") + col;
  locks += "\n";
  auto csv_line = [](const std::vector<std::string>& cells) {
    std::string line;
    for (const auto& cell : cells) line += (line.empty() ? "" : ",") + csv_escape(cell);
    return line + "\n";
  };
  std::map<std::pair<std::string, int>, double> base_tput;  // (variant, replication); absent: no 1-core point
  std::vector<std::vector<std::string>> reps;
  std::vector<std::string> axis_cells;
  for (size_t i = 0; i < points.size(); ++i) {
    const Point& p = points[i];
    json r = read_json_file(p.result_path);
    const double tput = r["metrics"]["throughput_per_s"].get<double>();
    if (p.cores == 1) base_tput[{p.variant, p.replication}] = tput;
    const double b = base_tput[{p.variant, p.replication}];
    if (p.replication > 0 || (i + 1 < points.size() && points[i + 1].replication > 0)) r["replication"] = p.replication;
    jsonl += r.dump() + "\n";
    reps.push_back(summary_row(r, b > 0 ? tput / b : std::nan("")));
    if (p.replication == 0) {  // locks.csv and the swept values: replication 0's
      for (const auto& cells : lock_rows(r)) locks += csv_line(cells);
      axis_cells.clear();
      for (const auto& a : axes)
        if (std::find(fixed.begin(), fixed.end(), a) == fixed.end()) axis_cells.push_back(axis_cell(r, a));
    }
    if (i + 1 == points.size() || points[i + 1].replication == 0) {
      std::vector<std::string> row = mean_row(reps);
      row.insert(row.end(), axis_cells.begin(), axis_cells.end());
      csv += csv_line(row);
      reps.clear();
    }
  }
  write_file_atomic((out / "results.jsonl").string(), jsonl);
  write_file_atomic((out / "summary.csv").string(), csv);
  write_file_atomic((out / "locks.csv").string(), locks);
}

}  // namespace smpsim
