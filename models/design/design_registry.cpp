// Reading a design section and building the design, for any registered kind.
#include <fmt/format.h>

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
  // A field another design has: say so (a scenario that changed design.kind
  // and kept the old design's fields).
  if (j.is_object())
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "kind" || d.params.contains(it.key())) continue;
      bool mine = false;
      for (const ParamSpec& p : k.params) mine = mine || p.name == it.key();
      if (mine) continue;
      std::vector<std::string> owners;
      for (const DesignKind& other : DesignRegistry::all())
        for (const ParamSpec& p : other.params)
          if (p.name == it.key()) owners.push_back(other.name);
      if (!owners.empty())
        throw BadInput(file, r.ptr(it.key()),
                       fmt::format("\"{}\" is a parameter of design {}, not of {} (design.kind is {})", it.key(),
                                   fmt::join(owners, ", "), d.kind, d.kind));
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
