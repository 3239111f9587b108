#include "sim/lock_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "engine/stats.hpp"

namespace smpsim {

namespace {
double us(const nlohmann::json& l, const char* k) { return l.at(k).get<double>() / 1000.0; }

std::string human_ns(double ns) {
  if (ns >= 1e6) return fmt::format("{:.2f} ms", ns / 1e6);
  if (ns >= 1e3) return fmt::format("{:.2f} us", ns / 1e3);
  return fmt::format("{:.2f} ns", ns);
}
}  // namespace

// lock_stat's columns are the `locks` statistics group's, in its order, between the class name and the extras
// (kind, line transfers, contention points): times (ns) in microseconds, counts as integers.
std::string lock_stat_table(const nlohmann::json& r) {
  // Sorted by contentions, most first, as /proc/lock_stat is; ties in the result's order.
  std::vector<nlohmann::json> locks(r.at("metrics").at("locks").begin(), r.at("metrics").at("locks").end());
  std::stable_sort(locks.begin(), locks.end(), [](const auto& a, const auto& b) {
    return a.at("contentions").template get<long long>() > b.at("contentions").template get<long long>();
  });
  std::vector<StatSpec> cols;
  for (const StatSpec& c : stat_group("locks").stats)
    if (c.name != "name" && c.name != "kind" && c.name != "line_transfers" && c.name != "contention_points")
      cols.push_back(c);
  const std::string rule(40 + 15 * cols.size(), '-');
  std::string out = "lock_stat version 0.4\n" + rule + "\n" + fmt::format("{:>40}", "class name");
  for (const StatSpec& c : cols) {
    std::string h = c.unit == "ns" ? c.name.substr(0, c.name.size() - 3) : c.name;  // waittime_min_ns -> waittime-min
    std::replace(h.begin(), h.end(), '_', '-');
    out += fmt::format(" {:>14}", h);
  }
  out += "\n" + rule + "\n";
  // Microseconds as the kernel prints them, with a third decimal: simulated holds are nanoseconds long.
  for (const auto& l : locks) {
    out += fmt::format("\n{:>40}", l.at("name").get<std::string>() + ":");
    for (const StatSpec& c : cols)
      out += c.unit == "ns" ? fmt::format(" {:>14.3f}", us(l, c.name.c_str()))
                            : fmt::format(" {:>14}", l.at(c.name).get<long long>());
    out += "\n";
    // Contention points: where (which op) the waiting happened.
    if (l.contains("contention_points") && !l["contention_points"].empty()) {
      out += fmt::format("{:>40}\n", std::string(l.at("name").get<std::string>().size() + 1, '-'));
      for (const auto& p : l["contention_points"])
        out += fmt::format("{:>40} {:>14}          [{}]\n", l.at("name").get<std::string>(),
                           p.at("contentions").get<long long>(), p.at("op").get<std::string>());
    }
  }
  return out;
}

const std::vector<std::string>& lock_contention_keys() {
  static const std::vector<std::string> k = {"wait_total", "contended", "wait_max", "avg_wait"};
  return k;
}

namespace {
// One row of perf lock contention: contended waits, their total and longest, and what the row is.
struct ContentionRow {
  long long contended;
  double total, max;
  std::string type, caller;
  double avg() const { return total / double(contended); }
};

std::string contention_rows(std::vector<ContentionRow> rows, const std::string& key, const char* type_header,
                            const char* caller_header) {
  auto value = [&key](const ContentionRow& x) {
    return key == "contended" ? double(x.contended) : key == "wait_max" ? x.max : key == "avg_wait" ? x.avg() : x.total;
  };
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const ContentionRow& a, const ContentionRow& b) { return value(a) > value(b); });
  std::string out = fmt::format("{:>10} {:>12} {:>12} {:>12} {:>16}   {}\n", "contended", "total wait", "max wait",
                                "avg wait", type_header, caller_header);
  for (const ContentionRow& x : rows)
    out += fmt::format("{:>10} {:>12} {:>12} {:>12} {:>16}   {}\n", x.contended, human_ns(x.total), human_ns(x.max),
                       human_ns(x.avg()), x.type, x.caller);
  return out;
}
}  // namespace

std::string lock_contention_table(const nlohmann::json& r, const std::string& key) {
  // As `perf lock contention`: contended locks only, each wait a contended acquisition's, the average over
  // them (so avg <= max), sorted by `key` (perf's -k; wait_total by default), most first.
  std::vector<ContentionRow> rows;
  for (const auto& l : r.at("metrics").at("locks")) {
    const long long con = l.at("contentions").get<long long>();
    if (con == 0) continue;
    rows.push_back({con, l.at("waittime_total_ns").get<double>(), l.at("waittime_max_ns").get<double>(),
                    l.at("kind").get<std::string>(), l.at("name").get<std::string>()});
  }
  return contention_rows(std::move(rows), key, "type", "caller");
}

std::string lock_contention_cpu_table(const nlohmann::json& r, const std::string& key) {
  std::vector<ContentionRow> rows;
  for (const auto& c : r.at("metrics").at("cores")) {
    const long long con = c.at("lock_contentions").get<long long>();
    if (con == 0) continue;
    const int cpu = c.at("core").get<int>();
    rows.push_back({con, c.at("lock_wait_total_ns").get<double>(), c.at("lock_wait_max_ns").get<double>(),
                    std::to_string(cpu), "cpu" + std::to_string(cpu)});
  }
  return contention_rows(std::move(rows), key, "pid", "comm");
}

}  // namespace smpsim
