// Every machine parameter, declared once with its type, unit, default and
// description: the scenario loader reads machines through this list and
// `smpsim describe machine` prints it.
#pragma once
#include "engine/params.hpp"

namespace smpsim {

const std::vector<ParamSpec>& machine_params();
const ParamSpec& machine_param(const std::string& name);

}  // namespace smpsim
