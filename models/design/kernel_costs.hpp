// The kernel's private work, as named costs: what a real code path spends
// besides the locks and shared lines a recipe lists (system-call entry and
// exit, allocating a VMA, creating a task, hashing a path component). A recipe
// step {"cost": "NAME"} pays one; each is a design parameter NAME_cycles
// (`smpsim describe design`), so a scenario can change any of them.
//
// Defaults come from measurements of one operation alone (lmbench and the
// papers in docs/design/kernel-costs.md, which lists every value with its
// source, the machine it was measured on and how it was scaled), in cycles of
// the machine that measured them: a preset's clock turns them into time.
// Memory traffic (zeroing and copying pages) is not a cost here: it goes
// through the memory model ({"zero": BYTES}, {"copy": BYTES}).
#pragma once
#include <string>
#include <vector>

#include "engine/params.hpp"

namespace smpsim {

struct KernelCost {
  const char* name;         // the recipe's {"cost": NAME}; the parameter is NAME_cycles
  const char* part;         // the --explain part it adds to
  double cycles;            // default
  const char* description;  // what the code path does, and the source of the default
};

const std::vector<KernelCost>& kernel_costs();
// One parameter per cost: NAME_cycles, a number of cycles.
std::vector<ParamSpec> kernel_cost_params();
// The index of a cost by name, or -1.
int kernel_cost_index(const std::string& name);

}  // namespace smpsim
