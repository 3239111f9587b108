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
