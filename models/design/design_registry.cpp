// Reading a design section and building the design, for any registered kind.
#include <fmt/format.h>

#include <algorithm>

#include <stdexcept>

#include "models/design/kernel_design.hpp"

namespace smpsim {

std::vector<std::string> design_kinds() { return DesignRegistry::names(); }

DesignSpec parse_design(const nlohmann::json& j, const std::string& pointer, const std::string& file, int machine_cpus) {
  JsonReader r(j, pointer, &file);
  DesignSpec d;
  d.kind = r.choice("kind", design_kinds());
  const DesignKind& k = *DesignRegistry::find(d.kind);
  d.params = k.parse(r, DesignContext{machine_cpus});
  // A field another design has (a scenario that changed design.kind and kept
  // the old design's fields): name the designs that have it. Other unknown
  // fields: JsonReader::done's error.
  auto declares = [](const DesignKind& dk, const std::string& name) {
    for (const ParamSpec& p : dk.params)
      if (p.name == name) return true;
    return false;
  };
  if (j.is_object())
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "kind" || declares(k, it.key())) continue;
      std::vector<std::string> owners;
      for (const DesignKind& other : DesignRegistry::all())
        if (declares(other, it.key())) owners.push_back(other.name);
      if (!owners.empty())
        throw BadInput(file, r.ptr(it.key()), fmt::format("\"{}\" is a parameter of design {}, not of {}", it.key(),
                                                          fmt::join(owners, ", "), d.kind));
    }
  r.done();
  return d;
}

std::unique_ptr<KernelDesign> make_design(const DesignSpec& spec, MemorySystem& mem) {
  const DesignKind* k = DesignRegistry::find(spec.kind);
  if (!k) throw std::invalid_argument("unknown design " + spec.kind);
  return k->make(spec.params, mem);
}

}  // namespace smpsim

namespace smpsim {

const std::vector<OpArgSpec>& op_arg_specs() {
  using R = OpArgSpec::Range;
  static const std::vector<OpArgSpec> s = {
      {"mm", R::NonNegative, "the address space"},
      {"mm_home", R::Node, "the node of an address space's objects, in one kernel"},
      {"vma", R::NonNegative, "a VMA of the address space"},
      {"addr", R::NonNegative, "a virtual address (its page and page-table page)"},
      {"pages", R::NonNegative, "pages the op maps, faults or unmaps"},
      {"child", R::NonNegative, "the address space fork creates"},
      {"target", R::RunCpu, "the CPU whose run queue a wake-up uses"},
      {"file", R::NonNegative, "a file"},
      {"dir", R::NonNegative, "a directory (spool)"},
  };
  return s;
}

std::string check_op_arg(const std::string& name, long long value, int cores, int nodes,
                         const std::vector<std::string>& recipe_args) {
  for (const OpArgSpec& a : op_arg_specs()) {
    if (name != a.name) continue;
    if (value < 0)
      return std::string(a.name) + " (" + a.what + "): expected a non-negative number, got " + std::to_string(value);
    if (a.range == OpArgSpec::Range::RunCpu && value >= cores)
      return std::string(a.name) + " (" + a.what + "): expected a CPU of the run (0 to " + std::to_string(cores - 1) +
             "), got " + std::to_string(value);
    if (a.range == OpArgSpec::Range::Node && value >= nodes)
      return std::string(a.name) + " (" + a.what + "): expected a node of the machine (0 to " +
             std::to_string(nodes - 1) + "), got " + std::to_string(value);
    return "";
  }
  if (std::find(recipe_args.begin(), recipe_args.end(), name) != recipe_args.end())
    return value < 0 ? "expected a non-negative count, got " + std::to_string(value) : "";
  std::string known;
  for (const OpArgSpec& a : op_arg_specs()) known += std::string(known.empty() ? "" : ", ") + a.name;
  for (const std::string& r : recipe_args) known += ", " + r;
  return "unknown op argument \"" + name + "\" (ops take: " + known + ")";
}

}  // namespace smpsim
