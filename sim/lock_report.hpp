// Lock reports from a result document, in the layouts kernel engineers read:
// /proc/lock_stat (version 0.4: sorted by contentions; times in microseconds,
// with three decimals where the kernel prints two) and `perf lock contention`
// (contended locks only, sorted by a key, total wait by default).
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace smpsim {

std::string lock_stat_table(const nlohmann::json& result);
// perf lock contention's -k keys: wait_total (the default), contended, wait_max, avg_wait.
const std::vector<std::string>& lock_contention_keys();
std::string lock_contention_table(const nlohmann::json& result, const std::string& key = "wait_total");
// perf lock contention -t: one row per CPU that waited (its thread), every lock, from the CPU's lock_contentions,
// lock_wait_total_ns and lock_wait_max_ns counters; the same sort keys.
std::string lock_contention_cpu_table(const nlohmann::json& result, const std::string& key = "wait_total");

}  // namespace smpsim
