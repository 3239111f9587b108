#include "sim/slurm.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sim/atomic_file.hpp"
#include "engine/errors.hpp"

namespace smpsim {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// Single quotes for the shell.
std::string q(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string run_capture(const std::string& cmd, int* status) {
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("cannot run " + cmd);
  std::string out;
  char buf[256];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  *status = ::pclose(p);
  return out;
}

// manifest.tsv: one point per line: variant ("-" for the base), cores, result file (relative to OUTDIR).
std::string manifest_line(const Point& p, const fs::path& out) {
  return fmt::format("{}\t{}\t{}\n", p.variant.empty() ? "-" : p.variant, p.cores,
                     fs::relative(p.result_path, out).string());
}

}  // namespace

int submit_slurm(const SweepOptions& opt_in, const SlurmOptions& slurm, const std::string& self_exe) {
  SweepOptions opt = opt_in;
  opt.out_dir = slurm.out_dir;
  if (slurm.points_per_task < 1)
    throw BadInput("", "--points-per-task", "expected at least 1, got " + std::to_string(slurm.points_per_task));
  // Strings that go into #SBATCH lines: one word of sbatch's own syntax (a newline would inject a line).
  for (const auto& [flag, v] : {std::pair<const char*, const std::string&>{"--partition", slurm.partition},
                                {"--time", slurm.time_limit},
                                {"--mem", slurm.mem}})
    if (v.size() > 64 || v.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.,:+-") !=
                             std::string::npos)
      throw BadInput("", flag, "expected letters, digits and _ . , : + - (at most 64), got " + json(v).dump());
  for (unsigned char ch : slurm.out_dir)  // the directory goes into #SBATCH --output lines and the scripts
    if (ch < 0x20 || ch == 0x7f)
      throw BadInput("", "--slurm", "expected a directory name without control characters, got " + json(slurm.out_dir).dump());
  const SweepPlan plan = plan_sweep(opt, /*write_scenario=*/true);
  const fs::path out = fs::absolute(plan.out);
  fs::create_directories(out / "logs");
  std::string manifest;
  for (const Point& p : plan.points) manifest += manifest_line(p, out);
  write_file_atomic((out / "manifest.tsv").string(), manifest);
  write_file_atomic((out / "sweep.json").string(),
                    json({{"seed", opt.seed}, {"points", plan.points.size()}, {"name", plan.name},
                          {"axes", axis_labels(opt.sets)}}).dump(2) + "\n");

  const size_t tasks = (plan.points.size() + size_t(slurm.points_per_task) - 1) / size_t(slurm.points_per_task);
  const std::string exe = fs::absolute(self_exe).string();
  std::string head = "#!/bin/bash\n";
  head += fmt::format("#SBATCH --job-name=smpsim-{}\n", plan.name);
  head += fmt::format("#SBATCH --cpus-per-task={}\n", slurm.cpus_per_task);
  if (!slurm.partition.empty()) head += "#SBATCH --partition=" + slurm.partition + "\n";
  if (!slurm.time_limit.empty()) head += "#SBATCH --time=" + slurm.time_limit + "\n";
  if (!slurm.mem.empty()) head += "#SBATCH --mem=" + slurm.mem + "\n";
  std::string array = head;
  array += fmt::format("#SBATCH --array=0-{}{}\n", tasks - 1,
                       slurm.max_running > 0 ? "%" + std::to_string(slurm.max_running) : "");
  array += "#SBATCH --output=" + (out / "logs" / "task-%A_%a.out").string() + "\n";
  array += "# Each task runs points [i*PER, i*PER+PER) of manifest.tsv; a point's errors go to its .err file.\n";
  array += "set -u\nSMPSIM=" + q(exe) + "\nOUT=" + q(out.string()) +
           fmt::format("\nPER={}\nRESUME={}\nSEED={}\n", slurm.points_per_task, opt.resume ? 1 : 0, opt.seed);
  array += R"(status=0
first=$(( SLURM_ARRAY_TASK_ID * PER ))
for (( i = first; i < first + PER; i++ )); do
  line=$(sed -n "$(( i + 1 ))p" "$OUT/manifest.tsv")
  [ -n "$line" ] || break
  IFS=$'\t' read -r variant cores result <<< "$line"
  if [ "$RESUME" = 1 ] && [ -s "$OUT/$result" ]; then continue; fi
  args=(run "$OUT/scenario.json" --cores "$cores" --result-file "$OUT/$result")
  [ "$variant" = "-" ] || args+=(--variant "$variant")
  [ "$SEED" -lt 0 ] || args+=(--seed "$SEED")
  if "$SMPSIM" "${args[@]}" 2> "$OUT/$result.err"; then rm -f "$OUT/$result.err"; else status=1; fi
done
exit $status
)";
  std::string merge = head;
  merge += "#SBATCH --output=" + (out / "logs" / "merge-%j.out").string() + "\n";
  merge += "exec " + q(exe) + " merge " + q(out.string()) + "\n";
  write_file_atomic((out / "array.sbatch").string(), array);
  write_file_atomic((out / "merge.sbatch").string(), merge);

  if (slurm.dry_run) {
    fmt::print("smpsim sweep --slurm: {} points in {} tasks; wrote {} and {} (not submitted)\n", plan.points.size(),
               tasks, (out / "array.sbatch").string(), (out / "merge.sbatch").string());
    return 0;
  }
  int status = 0;
  std::string id = run_capture(slurm.sbatch + " --parsable " + q((out / "array.sbatch").string()), &status);
  if (status != 0) throw std::runtime_error("sbatch failed for the array job (is Slurm reachable?)");
  id = id.substr(0, id.find_first_of(";\n"));
  std::string merge_id = run_capture(slurm.sbatch + " --parsable --dependency=afterok:" + id + " " +
                                         q((out / "merge.sbatch").string()), &status);
  if (status != 0) throw std::runtime_error("sbatch failed for the merge job");
  merge_id = merge_id.substr(0, merge_id.find_first_of(";\n"));
  fmt::print("{}\t{}\n", id, merge_id);  // the array's and the merge's job ids
  fmt::print(stderr, "smpsim sweep --slurm: {} points in {} tasks: array job {}, merge job {} (after it succeeds)\n",
             plan.points.size(), tasks, id, merge_id);
  return 0;
}

int merge_sweep(const std::string& out_dir, bool quiet) {
  const fs::path out = fs::absolute(out_dir);
  std::ifstream m(out / "manifest.tsv");
  if (!m) throw BadInput((out / "manifest.tsv").string(), "", "cannot open the manifest (was the sweep submitted with --slurm here?)");
  long long seed = -1;
  std::vector<std::string> axes;
  try {
    const json sw = json::parse(std::ifstream(out / "sweep.json"));
    seed = sw.value("seed", -1LL);
    axes = sw.value("axes", std::vector<std::string>{});
  } catch (const json::exception&) {
    throw BadInput((out / "sweep.json").string(), "", "missing or not JSON");
  }
  std::vector<Point> points;
  std::string line;
  int lineno = 0;
  while (std::getline(m, line)) {
    ++lineno;
    std::istringstream ls(line);
    std::string variant, cores, result;
    if (!std::getline(ls, variant, '\t') || !std::getline(ls, cores, '\t') || !std::getline(ls, result))
      throw BadInput((out / "manifest.tsv").string(), "line " + std::to_string(lineno), "expected VARIANT, CORES, RESULT");
    points.push_back({variant == "-" ? "" : variant, std::stoi(cores), (out / result).string()});
  }
  int missing = 0;
  for (const Point& p : points) {
    if (point_complete(p, seed)) continue;
    ++missing;
    std::string why = "no result";
    std::ifstream err(p.result_path + ".err");
    if (err) {
      std::stringstream ss;
      ss << err.rdbuf();
      why = ss.str();
      while (!why.empty() && why.back() == '\n') why.pop_back();
      if (why.empty()) why = "failed without a message";
    }
    fmt::print(stderr, "smpsim merge: {} cores={}: {}\n", p.variant.empty() ? "base" : p.variant, p.cores, why);
  }
  if (missing) {
    fmt::print(stderr, "smpsim merge: {} of {} points missing or failed; nothing written (fix them and resubmit with "
                       "--resume)\n", missing, points.size());
    return 1;
  }
  assemble_results(points, out, axes);
  if (!quiet) fmt::print(stderr, "smpsim merge: {} points -> {}\n", points.size(), out.string());
  return 0;
}

}  // namespace smpsim
