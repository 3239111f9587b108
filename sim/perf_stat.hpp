// Counters in the style of `perf stat`: per run (metrics.perf) and each per
// op, and the table `smpsim run --perf-stat` prints.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "models/cpu/tlb.hpp"

namespace smpsim {

// From the run's metrics (time, coherence, events, ops) and TLB totals.
nlohmann::json perf_counters(const nlohmann::json& metrics, const TlbStats& tlb, double freq_ghz);
// The counters' names, in the order perf stat's table prints them (then ops).
std::vector<std::string> perf_counter_names();
// A count with perf stat's thousands separators: 1234567 -> "1,234,567".
std::string grouped(double v);
// A result document's counters as perf stat prints them.
std::string perf_stat_table(const nlohmann::json& result);

}  // namespace smpsim
