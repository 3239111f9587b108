#include "sim/replications.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "sim/perf_stat.hpp"
#include "sim/results.hpp"
#include "sim/scenario.hpp"
#include "sim/sweep.hpp"

namespace smpsim {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

pid_t spawn_replication(const std::string& exe, const ReplicationRequest& r, long long seed, const std::string& file,
                        const std::string& err) {
  std::vector<std::string> args = {exe, "run", r.scenario, "--seed", std::to_string(seed), "--result-file", file};
  if (r.cores > 0) args.insert(args.end(), {"--cores", std::to_string(r.cores)});
  if (!r.variant.empty()) args.insert(args.end(), {"--variant", r.variant});
  return spawn_process(args, err);
}

// The metrics a replication summary gives (those of summary.csv that every run has).
const char* kMetrics[] = {"throughput_per_s", "op_latency_ns", "makespan_ns"};

}  // namespace

std::vector<json> run_replications(const ReplicationRequest& r, const std::string& self_exe) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("smpsim-repeat-{}", ::getpid());
  fs::create_directories(dir);
  std::vector<json> results(size_t(r.repeat));
  std::map<pid_t, int> running;
  int next = 0, done = 0;
  std::string failure;
  auto file = [&](int i) { return (dir / fmt::format("r{}.json", i)).string(); };
  while (done < r.repeat) {
    while (next < r.repeat && int(running.size()) < std::max(1, r.jobs) && failure.empty()) {
      running[spawn_replication(self_exe, r, replication_seed(r.base_seed, next), file(next), file(next) + ".err")] = next;
      ++next;
    }
    if (running.empty()) break;
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;
    const int i = it->second;
    running.erase(it);
    ++done;
    if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
      std::stringstream ss;
      ss << std::ifstream(file(i) + ".err").rdbuf();
      if (failure.empty()) failure = fmt::format("replication {} (seed {}) failed: {}", i, replication_seed(r.base_seed, i), ss.str());
      continue;
    }
    results[size_t(i)] = json::parse(std::ifstream(file(i)));
  }
  fs::remove_all(dir);
  if (!failure.empty()) throw std::runtime_error(failure);
  return results;
}

json replication_summary(const std::vector<json>& results) {
  json seeds = json::array(), metrics = json::object();
  for (const json& r : results) seeds.push_back(r.at("seed"));
  for (const char* m : kMetrics) {
    std::vector<double> v;
    for (const json& r : results) v.push_back(r.at("metrics").at(m).get<double>());
    const SampleStats s = sample_stats(v);
    metrics[m] = {{"mean", s.mean}, {"ci95", s.ci95}, {"values", v}};
  }
  return {{"replications", results.size()}, {"seeds", seeds}, {"metrics", metrics}};
}

std::string perf_stat_repeated_table(const std::vector<json>& results) {
  const json& first = results.front();
  std::string out = fmt::format("\n Performance counter stats for '{}' [{}] on {} CPUs (simulated) ({} runs):\n\n",
                                first.at("name").get<std::string>(), first.at("variant").get<std::string>(),
                                first.at("cores").get<int>(), results.size());
  auto noise = [](const SampleStats& s) {  // perf's rel noise: the mean's standard error over the mean, in percent
    return s.mean != 0 && s.n > 1 ? 100.0 * s.sd / std::sqrt(double(s.n)) / std::fabs(s.mean) : 0.0;
  };
  std::vector<std::string> names = perf_counter_names();
  names.push_back("ops");
  for (const std::string& n : names) {
    std::vector<double> v;
    for (const json& r : results) v.push_back(r.at("metrics").at("perf").at(n).get<double>());
    const SampleStats s = sample_stats(v);
    out += fmt::format("{:>20}      {:<20} ( +- {:5.2f}% )\n", grouped(s.mean), n, noise(s));
  }
  std::vector<double> t;
  for (const json& r : results) t.push_back(r.at("metrics").at("makespan_ns").get<double>() * 1e-9);
  const SampleStats s = sample_stats(t);
  out += fmt::format("\n {:>20.6f} +- {:.6f} seconds simulated (makespan)  ( +- {:5.2f}% )\n\n", s.mean,
                     s.n > 1 ? s.sd / std::sqrt(double(s.n)) : 0.0, noise(s));
  return out;
}

}  // namespace smpsim
