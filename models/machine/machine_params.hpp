// Every machine parameter, declared once with its type, unit, default and
// description: the scenario loader reads machines through this list and
// `smpsim describe machine` prints it.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace smpsim {

struct ParamSpec {
  std::string name;
  std::string type;   // number, integer, string, enum, matrix, table
  std::string unit;   // "" when unitless
  nlohmann::json dflt;  // null: required
  double min = 0, max = 0;
  std::vector<std::string> choices;  // for enum
  std::string description;
};

const std::vector<ParamSpec>& machine_params();
const ParamSpec& machine_param(const std::string& name);

}  // namespace smpsim
