// Lock reports from a result document, in the layouts kernel engineers read:
// /proc/lock_stat (version 0.4; times in microseconds, two decimals) and
// `perf lock contention` (sorted by total wait).
#pragma once
#include <nlohmann/json.hpp>

#include <string>

namespace smpsim {

std::string lock_stat_table(const nlohmann::json& result);
std::string lock_contention_table(const nlohmann::json& result);

}  // namespace smpsim
