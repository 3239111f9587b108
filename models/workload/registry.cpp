#include "models/workload/workload.hpp"

namespace smpsim {

const std::vector<WorkloadKind>& workload_kinds() { return WorkloadRegistry::all(); }
const WorkloadKind* find_workload_kind(const std::string& name) { return WorkloadRegistry::find(name); }

std::string what_one_op_is(const WorkloadKind& k) {
  const std::string& d = k.description;
  const size_t at = d.find("op = ");
  if (at == std::string::npos) return "";
  size_t end = d.find(". ", at);
  std::string op = d.substr(at + 5, end == std::string::npos ? std::string::npos : end - at - 5);
  if (!op.empty() && op.back() == '.') op.pop_back();
  return op;
}

}  // namespace smpsim
