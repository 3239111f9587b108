#include "sim/results.hpp"

#include <fmt/format.h>

#include <cmath>

#include "engine/stats.hpp"

namespace smpsim {

json lock_stat_json(const Lock& l) {
  json j = lock_stats_json(l.name(), l.kind(), l.stats());
  j["line_transfers"] = l.line_transfers();
  return j;
}

double time_total_ns(const json& t) {
  double total = 0;
  for (int i = 0; i < kCpuStateCount; ++i) total += t.at(std::string(cpu_state_name(CpuState(i))) + "_ns").get<double>();
  return total;
}

namespace {
// summary.csv's columns, in order; `ci`: with replications it is a mean and gets a _ci95 column.
struct SummaryColumn {
  StatSpec spec;
  bool ci;
};
const std::vector<SummaryColumn>& summary_table() {
  static const std::vector<SummaryColumn> t = {
      {{"variant", "text", "the point's variant (base without variants; VARIANT+PATH=VALUE... with --set)", {}}, false},
      {{"design", "text", "the design's kind", {}}, false},
      {{"workload", "text", "the workload's kind", {}}, false},
      {{"cores", "count", "active CPUs", {}}, false},
      {{"throughput_per_s", "1/s", "metrics.throughput_per_s", {}}, true},
      {{"speedup", "ratio", "throughput over the variant's 1-core point (same replication); empty without one", {}}, true},
      {{"acquisitions", "count", "metrics.acquisitions", {}}, false},
      {{"makespan_ns", "ns", "metrics.makespan_ns", {}}, true},
      {{"waittime_avg_ns", "ns", "one lock class only (else empty): its lock_stat waittime_avg_ns", {}}, true},
      {{"holdtime_avg_ns", "ns", "one lock class only: its holdtime_avg_ns", {}}, true},
      {{"compute_frac", "ratio", "user + kernel time over all CPUs' time", {}}, true},
      {{"stall_frac", "ratio", "stall time over all CPUs' time", {}}, true},
      {{"spin_frac", "ratio", "spin time over all CPUs' time", {}}, true},
      {{"line_transfers_per_acq", "ratio", "one lock class only: its line_transfers / acquisitions", {}}, true},
      {{"lock_kind", "text", "one lock class only: its kind", {}}, false},
      {{"machine", "text", "the machine's name", {}}, false},
      {{"seed", "count", "the point's seed (replication 0's)", {}}, false},
      {{"ops", "count", "metrics.ops", {}}, false},
      {{"op_latency_ns", "ns", "metrics.op_latency_ns", {}}, true},
      {{"full_barriers_per_op", "ratio", "events.full_barriers / ops", {}}, true},
      {{"ipis_per_op", "ratio", "events.ipis_sent / ops", {}}, true},
  };
  return t;
}
}  // namespace

SMPSIM_REGISTER(StatRegistry, [] {
  StatGroup g{"summary",
              {"summary.csv"},
              "one row per point, then one column per swept parameter (its dotted path)",
              {}};
  for (const SummaryColumn& c : summary_table()) {
    g.stats.push_back(c.spec);
    if (c.ci) g.stats.back().description += " (with replications, their mean)";
  }
  g.stats.push_back({"replications", "count", "replications averaged (sweep --repeat)", {}});
  for (const SummaryColumn& c : summary_table())
    if (c.ci)
      g.stats.push_back({c.spec.name + "_ci95", c.spec.unit,
                         "95% confidence half-width of " + c.spec.name + "'s mean, t(0.975, N-1) s / sqrt(N); empty for one replication", {}});
  return g;
});

std::vector<std::string> summary_columns() {
  std::vector<std::string> n;
  for (const SummaryColumn& c : summary_table()) n.push_back(c.spec.name);
  return n;
}

// Student's t quantile for a two-sided 95% interval with `df` degrees of freedom (a table to 30, then the
// Cornish-Fisher expansion around the normal's 1.959964).
double student_t95(int df) {
  static const double table[] = {12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004,
                                 2.262157,  2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905,
                                 2.109816,  2.100922, 2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899,
                                 2.059539,  2.055529, 2.051831, 2.048407, 2.045230, 2.042272};
  if (df >= 1 && df <= 30) return table[df - 1];
  const double z = 1.959964, n = df;
  return z + (z * z * z + z) / (4 * n) + (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * n * n);
}

SampleStats sample_stats(const std::vector<double>& v) {
  SampleStats s;
  s.n = v.size();
  for (double x : v) s.mean += x;
  if (s.n) s.mean /= double(s.n);
  if (s.n < 2) return s;
  double ss = 0;
  for (double x : v) ss += (x - s.mean) * (x - s.mean);
  s.sd = std::sqrt(ss / double(s.n - 1));
  s.ci95 = student_t95(int(s.n) - 1) * s.sd / std::sqrt(double(s.n));
  return s;
}

std::vector<std::string> summary_ci_columns() {
  std::vector<std::string> n;
  for (const SummaryColumn& c : summary_table())
    if (c.ci) n.push_back(c.spec.name);
  return n;
}

namespace {
// A number as the shortest text that reads back to the same double (integers without a point).
std::string exact(double v) { return fmt::format("{}", v); }
}  // namespace

std::vector<std::string> summary_row(const json& r, double speedup) {
  const json& m = r.at("metrics");
  const json& t = m.at("time_ns");
  const double total = time_total_ns(t);
  auto share = [&](double v) { return exact(total > 0 ? v / total : 0.0); };
  auto frac = [&](const char* k) { return share(t.at(k).get<double>()); };
  const double ops = m.at("ops").get<double>();
  auto per_op = [&](const char* k) { return exact(ops > 0 ? m.at("events").at(k).get<double>() / ops : 0.0); };
  // The lock columns describe the run's lock when it has one lock class (a lock micro-benchmark); with
  // several they are empty: every lock is a row of locks.csv.
  const bool one_lock = m.at("locks").size() == 1;
  const json& lock = one_lock ? m.at("locks").at(0) : json::object();
  const double acq = lock.value("acquisitions", 0.0);
  auto lock_col = [&](const std::string& v) { return one_lock ? v : std::string(); };
  return {r.at("variant").get<std::string>(),
          r.at("scenario").at("design").value("kind", std::string()),
          r.at("scenario").at("workload").value("kind", std::string()),
          std::to_string(r.at("cores").get<int>()),
          exact(m.at("throughput_per_s").get<double>()),
          std::isfinite(speedup) ? exact(speedup) : std::string(),
          std::to_string(m.at("acquisitions").get<long long>()),
          exact(m.at("makespan_ns").get<double>()),
          lock_col(exact(lock.value("waittime_avg_ns", 0.0))),
          lock_col(exact(lock.value("holdtime_avg_ns", 0.0))),
          share(t.at("user_ns").get<double>() + t.at("kernel_ns").get<double>()),
          frac("stall_ns"),
          frac("spin_ns"),
          lock_col(exact(acq > 0 ? lock.value("line_transfers", 0.0) / acq : 0.0)),
          lock_col(lock.value("kind", std::string())),
          r.at("scenario").at("machine").at("name").get<std::string>(),
          std::to_string(r.at("seed").get<unsigned long long>()),
          std::to_string(m.at("ops").get<long long>()),
          exact(m.at("op_latency_ns").get<double>()),
          per_op("full_barriers"),
          per_op("ipis_sent")};
}

// locks.csv: the point, then the locks group's columns (the lock's name as `lock`; contention points stay in
// the result).
std::vector<std::string> lock_columns() {
  std::vector<std::string> cols = {"variant", "cores"};
  for (const std::string& n : stat_names("locks"))
    if (n != "contention_points") cols.push_back(n == "name" ? "lock" : n);
  return cols;
}

std::vector<std::vector<std::string>> lock_rows(const json& r) {
  std::vector<std::vector<std::string>> rows;
  for (const json& l : r.at("metrics").at("locks")) {
    std::vector<std::string> row = {r.at("variant").get<std::string>(), std::to_string(r.at("cores").get<int>())};
    for (const std::string& n : stat_names("locks")) {
      if (n == "contention_points") continue;
      const json& v = l.at(n);
      row.push_back(v.is_string() ? v.get<std::string>()
                    : v.is_number_integer() ? std::to_string(v.get<long long>()) : exact(v.get<double>()));
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace smpsim
