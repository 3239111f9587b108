// Machine presets, parsed from the data files compiled in (presets.hpp).
// Sources are cited in each file's "derivation" and in docs/machine-model.md;
// the measurements are collected in ../shared/reference/hardware-latencies.md.
#include "models/machine/presets.hpp"

#include <map>
#include <stdexcept>

namespace smpsim {

using nlohmann::json;

namespace {

// name -> {"derivation", "machine"}. A malformed preset file is a bug in the
// repository (tests/unit/test_directory.cpp loads every one), not bad input.
const std::map<std::string, json>& presets() {
  static const std::map<std::string, json> all = [] {
    std::map<std::string, json> m;
    for (const PresetFile& f : preset_files()) {
      json j = json::parse(f.text);
      if (!j.is_object() || !j.contains("machine") || !j["derivation"].is_string() || j.size() != 2)
        throw std::logic_error(std::string("preset ") + f.name + ": expected {\"derivation\", \"machine\"}");
      if (j["machine"].value("name", "") != f.name)
        throw std::logic_error(std::string("preset ") + f.name + ": its machine's name differs from its file's");
      m[f.name] = std::move(j);
    }
    return m;
  }();
  return all;
}

}  // namespace

std::vector<std::string> preset_names() {
  std::vector<std::string> n;
  for (const auto& [name, j] : presets()) n.push_back(name);
  return n;
}

json preset_machine(const std::string& name) {
  auto it = presets().find(name);
  return it == presets().end() ? json(nullptr) : it->second["machine"];
}

std::string preset_derivation(const std::string& name) {
  auto it = presets().find(name);
  return it == presets().end() ? "" : it->second["derivation"].get<std::string>();
}

}  // namespace smpsim
