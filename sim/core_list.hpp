// Core-count lists for sweeps: "1,2,4,8", "1-48", "1-256:x2" (doubling),
// "4-64:+4" or "4-64:4" (step); items may be combined with commas.
#pragma once
#include <string>
#include <vector>

namespace smpsim {

// Sorted, without duplicates. BadInput (pointer "--cores") on a malformed list.
std::vector<int> parse_core_list(const std::string& text, int max_cores = 1 << 20);

}  // namespace smpsim
