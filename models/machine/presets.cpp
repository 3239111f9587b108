// Sources: T. David, R. Guerraoui, V. Trigonakis, "Everything You Always
// Wanted to Know About Synchronization but Were Afraid to Ask", SOSP 2013,
// Tables 1-3 (see ../shared/reference/hardware-latencies.md and docs/machines.md).
#include "models/machine/presets.hpp"

#include <bitset>
#include <functional>

namespace smpsim {

using nlohmann::json;

namespace {

json hops_matrix(int dies, const std::function<int(int, int)>& hops) {
  json m = json::array();
  for (int a = 0; a < dies; ++a) {
    json row = json::array();
    for (int b = 0; b < dies; ++b) row.push_back(a == b ? 0 : hops(a, b));
    m.push_back(row);
  }
  return m;
}

// row = {op, state, values by the distance columns}
json table(const std::vector<std::string>& columns,
           const std::vector<std::pair<std::string, std::vector<double>>>& rows) {
  json t = json::object();
  for (const auto& [key, values] : rows) {
    const auto dot = key.find('.');
    json& cell = t[key.substr(0, dot)][key.substr(dot + 1)];
    for (size_t i = 0; i < columns.size(); ++i) cell[columns[i]] = values[i];
  }
  return t;
}

json opteron48() {
  // 4 packages x 2 dies x 6 cores. Each die has four HyperTransport links: one
  // to its sibling die and three to the dies at the same position in the
  // other packages (1 hop); the other dies are 2 hops away (an approximation
  // of the Magny-Cours 4P link layout with the paper's maximum of 2 hops).
  return {
      {"name", "opteron48"},
      {"source", "4x AMD Opteron 6172 (Magny-Cours); SOSP 2013 Tables 1-3"},
      {"protocol", "MOESI"},
      {"freq_ghz", 2.1},
      {"sockets", 4},
      {"dies_per_socket", 2},
      {"cores_per_die", 6},
      {"die_hops", hops_matrix(8, [](int a, int b) { return a % 2 == b % 2 ? 1 : 2; })},
      {"l1_cycles", 3},
      {"ram_cycles", 136},
      {"barrier_cycles", 20},
      {"coherence_cycles",
       table({"same_die", "same_package", "one_hop", "two_hops"},
             {{"load.M", {81, 161, 172, 252}},
              {"load.O", {83, 163, 175, 254}},
              {"load.E", {83, 163, 175, 253}},
              {"load.S", {83, 164, 176, 254}},
              {"load.I", {136, 237, 247, 327}},
              {"store.M", {83, 172, 191, 273}},
              {"store.O", {244, 255, 286, 291}},
              {"store.E", {83, 171, 191, 271}},
              {"store.S", {246, 255, 286, 296}},
              {"atomic.M", {110, 197, 216, 296}},
              {"atomic.S", {272, 283, 312, 332}}})},
  };
}

json xeon80() {
  // 8 sockets x 10 cores, a twisted hypercube: three QPI neighbours per
  // socket (hypercube edges), every other socket 2 hops away.
  return {
      {"name", "xeon80"},
      {"source", "8x Intel Xeon E7-8867L (Westmere-EX); SOSP 2013 Tables 1-3"},
      {"protocol", "MESIF"},
      {"freq_ghz", 2.13},
      {"sockets", 8},
      {"dies_per_socket", 1},
      {"cores_per_die", 10},
      {"die_hops", hops_matrix(8, [](int a, int b) { return std::bitset<3>(a ^ b).count() == 1 ? 1 : 2; })},
      {"l1_cycles", 5},
      {"ram_cycles", 355},
      {"barrier_cycles", 20},
      {"coherence_cycles",
       table({"same_die", "one_hop", "two_hops"},
             {{"load.M", {109, 289, 400}},
              {"load.E", {92, 273, 383}},
              {"load.S", {44, 223, 334}},
              {"load.I", {355, 492, 601}},
              {"store.M", {115, 320, 431}},
              {"store.E", {115, 315, 425}},
              {"store.S", {116, 318, 428}},
              {"atomic.M", {120, 324, 430}},
              {"atomic.S", {113, 312, 423}}})},
  };
}

}  // namespace

std::vector<std::string> preset_names() { return {"opteron48", "xeon80"}; }

json preset_machine(const std::string& name) {
  if (name == "opteron48") return opteron48();
  if (name == "xeon80") return xeon80();
  return nullptr;
}

}  // namespace smpsim
