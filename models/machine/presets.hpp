// Machine presets: data files, models/machine/presets/NAME.json, each
//   {"derivation": "where every number comes from and how it was scaled",
//    "machine": { the explicit machine description a user could write }}
// compiled into the binary by CMake (preset_files() is generated), so that a
// resolved scenario always shows every number the run used.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace smpsim {

struct PresetFile {
  const char* name;  // the file's name without .json
  const char* text;  // its contents
};
// Every file of models/machine/presets/ (generated at configure time).
const std::vector<PresetFile>& preset_files();

// Preset names, sorted.
std::vector<std::string> preset_names();
// The explicit machine description of preset `name`; null json if unknown.
nlohmann::json preset_machine(const std::string& name);
// How the preset's numbers were obtained (sources, measured / datasheet / derived); "" if unknown.
std::string preset_derivation(const std::string& name);

}  // namespace smpsim
