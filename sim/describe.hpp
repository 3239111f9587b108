// `smpsim describe`: the presets and every declared parameter, for humans.
#pragma once
#include <string>

namespace smpsim {

// Returns the exit code. topic: "machine"; name: a preset to print in full, or "".
int describe(const std::string& topic, const std::string& name);

}  // namespace smpsim
