#include "sim/results.hpp"

#include <fmt/format.h>

#include <cmath>

namespace smpsim {

json lock_stat_json(const Lock& l) {
  json j = lock_stats_json(l.name(), l.kind(), l.stats());
  j["line_transfers"] = l.line_transfers();
  return j;
}

json coherence_json(const CoherenceCounters& c) {
  json by = json::object();
  for (int d = 0; d < kDistanceCount; ++d)
    if (c.transfers_by_distance[d]) by[distance_name(Distance(d))] = c.transfers_by_distance[d];
  return {{"loads", c.loads},
          {"stores", c.stores},
          {"atomics", c.atomics},
          {"hits", c.hits},
          {"misses", c.misses},
          {"from_memory", c.from_memory},
          {"invalidations_sent", c.invalidations_sent},
          {"probes_sent", c.probes_sent},
          {"transfers_by_distance", by},
          {"queue_wait_ns", c.queue_wait_ns},
          {"resource_wait_ns", c.resource_wait_ns}};
}

void add_counters(CoherenceCounters& into, const CoherenceCounters& c) {
  into.loads += c.loads;
  into.stores += c.stores;
  into.atomics += c.atomics;
  into.hits += c.hits;
  into.misses += c.misses;
  into.from_memory += c.from_memory;
  into.invalidations_sent += c.invalidations_sent;
  into.probes_sent += c.probes_sent;
  for (int d = 0; d < kDistanceCount; ++d) into.transfers_by_distance[d] += c.transfers_by_distance[d];
  into.queue_wait_ns += c.queue_wait_ns;
  into.resource_wait_ns += c.resource_wait_ns;
}

json core_time_json(const CoreTime& t) {
  json j = json::object();
  for (int i = 0; i < kCpuStateCount; ++i) j[std::string(cpu_state_name(CpuState(i))) + "_ns"] = t.ns[i];
  return j;
}

json core_counters_json(const CoreCounters& c) {
  return {{"full_barriers", c.full_barriers},
          {"store_barriers", c.store_barriers},
          {"ipis_sent", c.ipis_sent},
          {"ipis_received", c.ipis_received},
          {"icr_writes", c.icr_writes},
          {"interrupts_taken", c.interrupts_taken},
          {"tlb_shootdowns", c.tlb_shootdowns},
          {"context_switches", c.context_switches},
          {"store_buffer_full_stalls", c.store_buffer_full_stalls},
          {"store_forwards", c.store_forwards},
          {"pages_zeroed_cached", c.pages_zeroed_cached},
          {"pages_zeroed_from_memory", c.pages_zeroed_from_memory}};
}

json tlb_json(const TlbStats& t) {
  return {{"hits", t.hits}, {"misses", t.misses}, {"single_invalidations", t.single_invalidations},
          {"full_flushes", t.full_flushes}};
}

double time_total_ns(const json& t) {
  double total = 0;
  for (int i = 0; i < kCpuStateCount; ++i) total += t.at(std::string(cpu_state_name(CpuState(i))) + "_ns").get<double>();
  return total;
}

std::vector<std::string> summary_columns() {
  return {"variant",        "design",          "workload",         "cores",          "throughput_per_s",
          "speedup",        "acquisitions",    "makespan_ns",      "waittime_avg_ns", "holdtime_avg_ns",
          "compute_frac",   "stall_frac",      "spin_frac",        "line_transfers_per_acq", "lock_kind",
          "machine",        "seed",            "ops",              "op_latency_ns",  "full_barriers_per_op",
          "ipis_per_op"};
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
  return {"throughput_per_s", "speedup",      "makespan_ns",       "waittime_avg_ns",
          "holdtime_avg_ns",  "compute_frac", "stall_frac",        "spin_frac",
          "line_transfers_per_acq", "op_latency_ns", "full_barriers_per_op", "ipis_per_op"};
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

std::vector<std::string> lock_columns() {
  return {"variant",         "cores",           "lock",            "kind",            "con_bounces",
          "contentions",     "waittime_min_ns", "waittime_max_ns", "waittime_total_ns", "waittime_avg_ns",
          "acq_bounces",     "acquisitions",    "holdtime_min_ns", "holdtime_max_ns", "holdtime_total_ns",
          "holdtime_avg_ns", "line_transfers"};
}

std::vector<std::vector<std::string>> lock_rows(const json& r) {
  std::vector<std::vector<std::string>> rows;
  for (const json& l : r.at("metrics").at("locks")) {
    std::vector<std::string> row = {r.at("variant").get<std::string>(), std::to_string(r.at("cores").get<int>()),
                                    l.at("name").get<std::string>(), l.at("kind").get<std::string>()};
    for (const char* k : {"con_bounces", "contentions"}) row.push_back(std::to_string(l.at(k).get<long long>()));
    for (const char* k : {"waittime_min_ns", "waittime_max_ns", "waittime_total_ns", "waittime_avg_ns"})
      row.push_back(exact(l.at(k).get<double>()));
    for (const char* k : {"acq_bounces", "acquisitions"}) row.push_back(std::to_string(l.at(k).get<long long>()));
    for (const char* k : {"holdtime_min_ns", "holdtime_max_ns", "holdtime_total_ns", "holdtime_avg_ns"})
      row.push_back(exact(l.at(k).get<double>()));
    row.push_back(std::to_string(l.value("line_transfers", 0LL)));
    rows.push_back(row);
  }
  return rows;
}

}  // namespace smpsim
