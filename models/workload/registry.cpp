#include "models/workload/workload.hpp"

namespace smpsim {

const std::vector<WorkloadKind>& workload_kinds() { return WorkloadRegistry::all(); }
const WorkloadKind* find_workload_kind(const std::string& name) { return WorkloadRegistry::find(name); }

}  // namespace smpsim
