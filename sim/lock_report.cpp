#include "sim/lock_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace smpsim {

namespace {
double us(const nlohmann::json& l, const char* k) { return l.at(k).get<double>() / 1000.0; }

std::string human_ns(double ns) {
  if (ns >= 1e6) return fmt::format("{:.2f} ms", ns / 1e6);
  if (ns >= 1e3) return fmt::format("{:.2f} us", ns / 1e3);
  return fmt::format("{:.2f} ns", ns);
}
}  // namespace

std::string lock_stat_table(const nlohmann::json& r) {
  // Sorted by contentions, most first, as /proc/lock_stat is; ties in the result's order.
  std::vector<nlohmann::json> locks(r.at("metrics").at("locks").begin(), r.at("metrics").at("locks").end());
  std::stable_sort(locks.begin(), locks.end(), [](const auto& a, const auto& b) {
    return a.at("contentions").template get<long long>() > b.at("contentions").template get<long long>();
  });
  const std::string rule(40 + 15 * 12, '-');
  std::string out = "lock_stat version 0.4\n" + rule + "\n";
  out += fmt::format("{:>40} {:>14} {:>14} {:>14} {:>14} {:>14} {:>14} {:>14} {:>14} {:>14} {:>14} {:>14} {:>14}\n",
                     "class name", "con-bounces", "contentions", "waittime-min", "waittime-max", "waittime-total",
                     "waittime-avg", "acq-bounces", "acquisitions", "holdtime-min", "holdtime-max", "holdtime-total",
                     "holdtime-avg");
  out += rule + "\n";
  // Microseconds as the kernel prints them, with a third decimal: simulated holds are nanoseconds long.
  for (const auto& l : locks) {
    out += fmt::format(
        "\n{:>40} {:>14} {:>14} {:>14.3f} {:>14.3f} {:>14.3f} {:>14.3f} {:>14} {:>14} {:>14.3f} {:>14.3f} {:>14.3f} "
        "{:>14.3f}\n",
        l.at("name").get<std::string>() + ":", l.at("con_bounces").get<long long>(),
        l.at("contentions").get<long long>(), us(l, "waittime_min_ns"), us(l, "waittime_max_ns"),
        us(l, "waittime_total_ns"), us(l, "waittime_avg_ns"), l.at("acq_bounces").get<long long>(),
        l.at("acquisitions").get<long long>(), us(l, "holdtime_min_ns"), us(l, "holdtime_max_ns"),
        us(l, "holdtime_total_ns"), us(l, "holdtime_avg_ns"));
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

std::string lock_contention_table(const nlohmann::json& r, const std::string& key) {
  // As `perf lock contention`: contended locks only, each wait a contended acquisition's, the average over
  // them (so avg <= max), sorted by `key` (perf's -k; wait_total by default), most first.
  struct Row {
    const nlohmann::json* lock;
    long long contended;
    double total, max, avg;
  };
  std::vector<Row> rows;
  for (const auto& l : r.at("metrics").at("locks")) {
    const long long con = l.at("contentions").get<long long>();
    if (con == 0) continue;
    const double total = l.at("waittime_total_ns").get<double>();
    rows.push_back({&l, con, total, l.at("waittime_max_ns").get<double>(), total / double(con)});
  }
  auto value = [&key](const Row& x) {
    return key == "contended" ? double(x.contended) : key == "wait_max" ? x.max : key == "avg_wait" ? x.avg : x.total;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) { return value(a) > value(b); });
  std::string out = fmt::format("{:>10} {:>12} {:>12} {:>12} {:>16}   {}\n", "contended", "total wait", "max wait",
                                "avg wait", "type", "caller");
  for (const Row& x : rows)
    out += fmt::format("{:>10} {:>12} {:>12} {:>12} {:>16}   {}\n", x.contended, human_ns(x.total), human_ns(x.max),
                       human_ns(x.avg), x.lock->at("kind").get<std::string>(), x.lock->at("name").get<std::string>());
  return out;
}

}  // namespace smpsim
