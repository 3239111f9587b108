// Test helpers: machines from presets, and small hand-made machines.
#pragma once
#include "models/machine/presets.hpp"
#include "sim/scenario.hpp"

namespace smpsim::test {

inline Machine preset(const std::string& name) {
  static const std::string file = "<test>";
  return parse_machine(preset_machine(name), "/machine", file);
}

// Two sockets x 1 die x 2 cores, MESI, 2 GHz, distinct latencies per cell so
// that a wrong lookup shows.
inline nlohmann::json tiny_machine_json() {
  nlohmann::json t;
  int v = 10;
  for (const char* op : {"load", "store", "atomic"})
    for (const char* st : {"M", "E", "S", "I"})
      for (const char* d : {"same_die", "one_hop"}) t[op][st][d] = v++;
  return {{"name", "tiny"},        {"protocol", "MESI"}, {"freq_ghz", 2.0},       {"sockets", 2},
          {"dies_per_socket", 1}, {"cores_per_die", 2}, {"l1_cycles", 1},       {"ram_cycles", 100},
          {"barrier_cycles", 4},  {"coherence_cycles", t}};
}

inline Machine tiny_machine() {
  static const std::string file = "<test>";
  return parse_machine(tiny_machine_json(), "/machine", file);
}

}  // namespace smpsim::test
