#include "sim/perf_stat.hpp"

#include <fmt/format.h>

#include "sim/results.hpp"

namespace smpsim {

using json = nlohmann::json;

json perf_counters(const json& m, const TlbStats& tlb, double freq_ghz) {
  const json& coh = m.at("coherence");
  const json& ev = m.at("events");
  long long transfers = coh.at("from_memory").get<long long>();
  for (const auto& [d, n] : coh.at("transfers_by_distance").items()) transfers += n.get<long long>();
  json c = {
      {"cycles", time_total_ns(m.at("time_ns")) * freq_ghz},  // every CPU's simulated cycles, all states
      {"ops", m.at("ops")},
      {"line_transfers", transfers},
      {"invalidations", coh.at("invalidations_sent")},
      {"atomics", coh.at("atomics")},
      {"full_barriers", ev.at("full_barriers")},
      {"ipis_sent", ev.at("ipis_sent")},
      {"ipis_received", ev.at("ipis_received")},
      {"tlb_flushes_single", tlb.single_invalidations},
      {"tlb_flushes_full", tlb.full_flushes},
      {"tlb_shootdowns", ev.at("tlb_shootdowns")},
      {"xcalls", ev.at("xcalls")},
      {"messages_local", ev.at("messages_local")},
      {"context_switches", ev.at("context_switches")},
  };
  const double ops = m.at("ops").get<double>();
  json per_op = json::object();
  for (const auto& [k, v] : c.items())
    if (k != "ops") per_op[k] = ops > 0 ? v.get<double>() / ops : 0.0;
  json by = json::object();
  for (const auto& [d, n] : coh.at("transfers_by_distance").items()) by[d] = n;
  by["memory"] = coh.at("from_memory");
  c["line_transfers_by_distance"] = by;
  c["per_op"] = per_op;
  return c;
}

std::string grouped(double v) {
  // 1234567 -> "1,234,567" (perf stat's thousands separators)
  std::string s = fmt::format("{:.0f}", v), out;
  const size_t lead = s.size() % 3 == 0 ? 3 : s.size() % 3;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i && (i - lead) % 3 == 0 && i >= lead) out += ',';
    out += s[i];
  }
  return out;
}

std::string perf_stat_table(const json& r) {
  const json& p = r.at("metrics").at("perf");
  std::string out = fmt::format("\n Performance counter stats for '{}' [{}] on {} CPUs (simulated):\n\n",
                                r.at("name").get<std::string>(), r.at("variant").get<std::string>(), r.at("cores").get<int>());
  const char* names[] = {"cycles",          "line_transfers",     "invalidations",    "atomics",
                         "full_barriers",   "ipis_sent",          "ipis_received",    "tlb_flushes_single",
                         "tlb_flushes_full", "tlb_shootdowns",    "xcalls",           "messages_local",
                         "context_switches"};
  for (const char* n : names)
    out += fmt::format("{:>20}      {:<20} # {:>12.2f} per op\n", grouped(p.at(n).get<double>()), n,
                       p.at("per_op").at(n).get<double>());
  out += fmt::format("{:>20}      {:<20}\n", grouped(p.at("ops").get<double>()), "ops");
  std::string by;
  for (const auto& [d, n] : p.at("line_transfers_by_distance").items()) by += fmt::format(" {} {}", d, n.get<long long>());
  out += fmt::format("\n      line transfers by distance:{}\n", by);
  // The busiest shared resources (home agents, links, LLCs, memory controllers).
  const json& res = r.at("metrics").at("interconnect").at("resources");
  if (!res.empty()) {
    out += "\n      busiest resources (utilization, mean and max queueing per request):\n";
    int shown = 0;
    for (const json& row : res) {
      if (shown++ == 5) break;
      out += fmt::format("      {:<24} {:>6.1f}%  {:>10.1f} ns  {:>10.1f} ns  ({} requests)\n",
                         row.at("resource").get<std::string>(), 100 * row.at("utilization").get<double>(),
                         row.at("wait_avg_ns").get<double>(), row.at("wait_max_ns").get<double>(),
                         row.at("requests").get<long long>());
    }
  }
  out += fmt::format("\n {:>20.6f} seconds simulated (makespan)\n\n", r.at("metrics").at("makespan_ns").get<double>() * 1e-9);
  return out;
}

}  // namespace smpsim
