// Every machine parameter, declared once with its type, unit, default and
// description, and bound to the Machine member it sets: the scenario loader
// reads machines through this list, `smpsim describe machine` prints it, and
// scripts/update_schema.py makes the schema's machine section from it.
#pragma once
#include <nlohmann/json.hpp>

#include "engine/params.hpp"
#include "models/machine/machine.hpp"

namespace smpsim {

struct MachineParam {
  ParamSpec spec;
  // Stores the checked value in its member; null for the parameters the loader
  // reads together (the interconnect, mesh_width and die_hops give the topology's
  // hops; coherence_cycles is a table).
  void (*bind)(Machine&, const nlohmann::json&) = nullptr;
};

const std::vector<MachineParam>& machine_param_bindings();
const std::vector<ParamSpec>& machine_params();  // the declarations alone
const ParamSpec& machine_param(const std::string& name);

}  // namespace smpsim
