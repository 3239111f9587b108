#include "sim/perf_stat.hpp"

#include <fmt/format.h>

#include <functional>
#include <vector>

#include "engine/stats.hpp"

#include "sim/results.hpp"

namespace smpsim {

using json = nlohmann::json;

namespace {

// One perf-stat-like counter: what it counts, and how it is read from a run's metrics.
struct PerfCounter {
  const char* name;
  const char* description;
  std::function<json(const json& m, const TlbStats& tlb, double freq_ghz)> get;
};

json events(const json& m, const char* k) { return m.at("events").at(k); }

const std::vector<PerfCounter>& perf_table() {
  static const std::vector<PerfCounter> t = {
      {"cycles", "every CPU's simulated cycles, all states (perf's cycles counts every CPU's)",
       [](const json& m, const TlbStats&, double f) { return json(time_total_ns(m.at("time_ns")) * f); }},
      {"line_transfers", "misses served by another cache or by memory",
       [](const json& m, const TlbStats&, double) {
         const json& coh = m.at("coherence");
         long long n = coh.at("from_memory").get<long long>();
         for (const auto& [d, v] : coh.at("transfers_by_distance").items()) n += v.get<long long>();
         return json(n);
       }},
      {"invalidations", "targeted invalidations sent (coherence.invalidations_sent)",
       [](const json& m, const TlbStats&, double) { return m.at("coherence").at("invalidations_sent"); }},
      {"atomics", "atomic read-modify-writes", [](const json& m, const TlbStats&, double) { return m.at("coherence").at("atomics"); }},
      {"full_barriers", "full memory barriers", [](const json& m, const TlbStats&, double) { return events(m, "full_barriers"); }},
      {"ipis_sent", "IPIs sent, one per target", [](const json& m, const TlbStats&, double) { return events(m, "ipis_sent"); }},
      {"ipis_received", "IPIs delivered", [](const json& m, const TlbStats&, double) { return events(m, "ipis_received"); }},
      {"tlb_flushes_single", "TLB entries invalidated one by one",
       [](const json&, const TlbStats& t, double) { return json(t.single_invalidations); }},
      {"tlb_flushes_full", "whole-TLB flushes", [](const json&, const TlbStats& t, double) { return json(t.full_flushes); }},
      {"tlb_shootdowns", "TLB shootdowns initiated", [](const json& m, const TlbStats&, double) { return events(m, "tlb_shootdowns"); }},
      {"xcalls", "calls to another CPU", [](const json& m, const TlbStats&, double) { return events(m, "xcalls"); }},
      {"messages_local", "msgport messages to the CPU's own port",
       [](const json& m, const TlbStats&, double) { return events(m, "messages_local"); }},
      {"context_switches", "sleeps that switched to another task and back",
       [](const json& m, const TlbStats&, double) { return events(m, "context_switches"); }},
  };
  return t;
}

}  // namespace

SMPSIM_REGISTER(StatRegistry, [] {
  StatGroup g{"perf", {"metrics.perf"}, "perf stat-style counters (smpsim run --perf-stat), each also per op", {}};
  for (const PerfCounter& c : perf_table()) g.stats.push_back({c.name, c.name == std::string("cycles") ? "cycles" : "count", c.description, {}});
  g.stats.push_back({"ops", "count", "ops over the whole run", {}});
  g.stats.push_back({"line_transfers_by_distance", "object",
                     "line_transfers by distance to the cache that answered (coherence.transfers_by_distance's keys) "
                     "and memory", {}});
  g.stats.push_back({"per_op", "object", "each counter but ops divided by ops", {}});
  return g;
});

std::vector<std::string> perf_counter_names() {
  std::vector<std::string> n;
  for (const PerfCounter& c : perf_table()) n.push_back(c.name);
  return n;
}

json perf_counters(const json& m, const TlbStats& tlb, double freq_ghz) {
  json c = json::object();
  for (const PerfCounter& p : perf_table()) c[p.name] = p.get(m, tlb, freq_ghz);
  c["ops"] = m.at("ops");
  const double ops = m.at("ops").get<double>();
  json per_op = json::object();
  for (const PerfCounter& p : perf_table()) per_op[p.name] = ops > 0 ? c[p.name].get<double>() / ops : 0.0;
  json by = m.at("coherence").at("transfers_by_distance");
  by["memory"] = m.at("coherence").at("from_memory");
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
  for (const std::string& n : perf_counter_names())
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
