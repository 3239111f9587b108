// Machine presets, each the explicit JSON description a user could write,
// so that a resolved scenario always shows every number the run used.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace smpsim {

std::vector<std::string> preset_names();
// The explicit machine description of preset `name`; null json if unknown.
nlohmann::json preset_machine(const std::string& name);

}  // namespace smpsim
