// Machine presets. Sources (see docs/machines.md for each one):
//  [SOSP13] T. David, R. Guerraoui, V. Trigonakis, "Everything You Always Wanted
//           to Know About Synchronization but Were Afraid to Ask", SOSP 2013,
//           Tables 1-3.
//  [MK09]   A. Baumann et al., "The Multikernel", SOSP 2009 (machines).
//  [C2C]    the public core-to-core-latency tool's results (CAS ping-pong medians).
// All collected in ../shared/reference/hardware-latencies.md.
#include "models/machine/presets.hpp"

#include <cmath>
#include <functional>

namespace smpsim {

using nlohmann::json;

namespace {

using Rows = std::vector<std::pair<std::string, std::vector<double>>>;

// {"load.M": {v by column}} -> {"load": {"M": {column: v}}}
json table(const std::vector<std::string>& columns, const Rows& rows) {
  json t = json::object();
  for (const auto& [key, values] : rows) {
    const auto dot = key.find('.');
    json& cell = t[key.substr(0, dot)][key.substr(dot + 1)];
    for (size_t i = 0; i < columns.size(); ++i) cell[columns[i]] = values[i];
  }
  return t;
}

// A new table from `base`: column `to` takes base column `from` times `factor`
// (rounded to whole cycles).
json derive(const json& base, const std::vector<std::tuple<std::string, std::string, double>>& cols) {
  json t = json::object();
  for (auto& [op, states] : base.items())
    for (auto& [st, cells] : states.items())
      for (const auto& [to, from, factor] : cols)
        if (cells.contains(from)) t[op][st][to] = std::round(cells[from].get<double>() * factor);
  return t;
}

json die_hops(int dies, const std::function<int(int, int)>& hops) {
  json m = json::array();
  for (int a = 0; a < dies; ++a) {
    json row = json::array();
    for (int b = 0; b < dies; ++b) row.push_back(a == b ? 0 : hops(a, b));
    m.push_back(row);
  }
  return m;
}

// [SOSP13] Table 2, Opteron columns.
json opteron_table() {
  return table({"same_die", "same_package", "one_hop", "two_hops"},
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
                {"atomic.S", {272, 283, 312, 332}}});
}

// [SOSP13] Table 2, Xeon columns.
json xeon_table() {
  return table({"same_die", "one_hop", "two_hops"},
               {{"load.M", {109, 289, 400}},
                {"load.E", {92, 273, 383}},
                {"load.S", {44, 223, 334}},
                {"load.I", {355, 492, 601}},
                {"store.M", {115, 320, 431}},
                {"store.E", {115, 315, 425}},
                {"store.S", {116, 318, 428}},
                {"atomic.M", {120, 324, 430}},
                {"atomic.S", {113, 312, 423}}});
}

json machine(const std::string& name, const std::string& source, const std::string& protocol,
             const std::string& invalidation, double ghz, int sockets, int dies, int cores, int threads,
             double l1, double ram, json coherence) {
  return {{"name", name},
          {"source", source},
          {"protocol", protocol},
          {"invalidation", invalidation},
          {"freq_ghz", ghz},
          {"sockets", sockets},
          {"dies_per_socket", dies},
          {"cores_per_die", cores},
          {"threads_per_core", threads},
          {"l1_cycles", l1},
          {"ram_cycles", ram},
          {"barrier_cycles", 20},
          {"coherence_cycles", std::move(coherence)}};
}

json opteron48() {
  json m = machine("opteron48", "4x AMD Opteron 6172 (Magny-Cours) [SOSP13 Tables 1-3]", "MOESI", "broadcast", 2.1, 4,
                   2, 6, 1, 3, 136, opteron_table());
  // Each die has four HyperTransport links: one to its sibling die and three
  // to the dies at the same position in the other packages (1 hop); the other
  // dies are 2 hops away (the paper's maximum).
  m["die_hops"] = die_hops(8, [](int a, int b) { return a % 2 == b % 2 ? 1 : 2; });
  return m;
}

json xeon80() {
  json m = machine("xeon80", "8x Intel Xeon E7-8867L (Westmere-EX) [SOSP13 Tables 1-3]", "MESIF", "broadcast", 2.13, 8,
                   1, 10, 1, 5, 355, xeon_table());
  m["interconnect"] = "twisted_hypercube";
  return m;
}

// Older single-die Opterons: the same HyperTransport/MOESI family, measured
// only on Magny-Cours; the same-die, one-hop and two-hop cells are reused.
json opteron_family(const std::string& name, const std::string& source, double ghz, int sockets, int cores,
                    const std::string& interconnect, bool three_hops) {
  std::vector<std::tuple<std::string, std::string, double>> cols = {
      {"same_die", "same_die", 1}, {"one_hop", "one_hop", 1}, {"two_hops", "two_hops", 1}};
  json t = derive(opteron_table(), cols);
  if (three_hops)  // not measured: extrapolated one more hop at the two-hop step
    for (auto& [op, states] : t.items())
      for (auto& [st, c] : states.items())
        c["three_hops"] = 2 * c["two_hops"].get<double>() - c["one_hop"].get<double>();
  json m = machine(name, source, "MOESI", "broadcast", ghz, sockets, 1, cores, 1, 3, 136, t);
  m["interconnect"] = interconnect;
  return m;
}

json niagara() {
  // [SOSP13] Niagara columns: same core (another hardware thread) / other core; a uniform crossbar.
  return machine("niagara", "SPARC T5120, UltraSPARC T2 [SOSP13 Tables 1-3]", "MESI", "directory", 1.2, 1, 1, 8, 8,
                 3, 176,
                 table({"same_core", "same_die"}, {{"load.M", {3, 24}},
                                                   {"load.E", {3, 24}},
                                                   {"load.S", {3, 24}},
                                                   {"load.I", {176, 176}},
                                                   {"store.M", {24, 24}},
                                                   {"store.E", {24, 24}},
                                                   {"store.S", {24, 24}},
                                                   {"atomic.M", {71, 66}},
                                                   {"atomic.S", {76, 66}}}));
}

json tilera36() {
  // [SOSP13] Tilera columns: one hop / max hops on the 6x6 iMesh. Each tile is
  // modelled as a one-core "socket" of a mesh; same_die (local memory, a lone
  // upgrade) reuses the one-hop cells.
  json t = table({"one_hop", "max_hops"}, {{"load.M", {45, 65}},
                                           {"load.E", {45, 65}},
                                           {"load.S", {45, 65}},
                                           {"load.I", {118, 162}},
                                           {"store.M", {57, 77}},
                                           {"store.E", {57, 77}},
                                           {"store.S", {86, 106}},
                                           {"atomic.M", {77, 98}},
                                           {"atomic.S", {124, 142}}});
  for (auto& [op, states] : t.items())
    for (auto& [st, c] : states.items()) c["same_die"] = c["one_hop"];
  json m = machine("tilera36", "TILE-Gx36 [SOSP13 Tables 1-3]", "MESI", "directory", 1.2, 36, 1, 1, 1, 2, 118, t);
  m["interconnect"] = "mesh";
  m["mesh_width"] = 6;
  return m;
}

json icelake64() {
  // [C2C] Xeon Platinum 8375C: CAS ping-pong 51 ns within a socket, 108 ns
  // across, 4-10 ns between hyper-threads. Only CAS was measured: the other
  // cells keep the Westmere-EX ratios between states [SOSP13], scaled so that
  // atomic-on-M matches the measured median at each distance.
  const double ghz = 2.9;
  json t = derive(xeon_table(), {{"same_die", "same_die", 51 * ghz / 120}, {"one_hop", "one_hop", 108 * ghz / 324}});
  for (auto& [op, states] : t.items())
    for (auto& [st, c] : states.items()) c["same_core"] = std::round(7 * ghz);  // 7 ns: the middle of 4-10
  t["load"]["I"]["same_core"] = t["load"]["I"]["same_die"];
  return machine("icelake64", "2x Intel Xeon Platinum 8375C (Ice Lake) [C2C], state ratios from [SOSP13] Xeon",
                 "MESIF", "directory", ghz, 2, 1, 32, 2, 5, t["load"]["I"]["same_die"].get<double>(), t);
}

json epyc96() {
  // [C2C] EPYC 7R13 (Milan): 23 ns within a CCX, ~107 ns across CCXs, 197 ns
  // across sockets. Cells keep the Magny-Cours ratios between states
  // [SOSP13], scaled so that atomic-on-M matches the measured median: CCX =
  // same_die, another CCX of the package = same_package, the other socket = one_hop.
  const double ghz = 2.65;
  json t = derive(opteron_table(), {{"same_die", "same_die", 23 * ghz / 110},
                                    {"same_package", "same_package", 107 * ghz / 197},
                                    {"one_hop", "one_hop", 197 * ghz / 216}});
  for (auto& [op, states] : t.items())
    for (auto& [st, c] : states.items()) c["same_core"] = std::round(7 * ghz);
  t["load"]["I"]["same_core"] = t["load"]["I"]["same_die"];
  return machine("epyc96", "2x AMD EPYC 7R13 (Milan, 6 CCXs x 8 cores) [C2C], state ratios from [SOSP13] Opteron",
                 "MOESI", "directory", ghz, 2, 6, 8, 2, 4, t["load"]["I"]["same_die"].get<double>(), t);
}

}  // namespace

std::vector<std::string> preset_names() {
  return {"opteron48", "xeon80", "opteron48-tom", "amd16", "amd32", "niagara", "tilera36", "icelake64", "epyc96"};
}

json preset_machine(const std::string& name) {
  if (name == "opteron48") return opteron48();
  if (name == "xeon80") return xeon80();
  if (name == "opteron48-tom")
    return opteron_family("opteron48-tom", "8x AMD Opteron 8431 (Istanbul) [SOSP13 Table 1]; latencies of opteron48",
                          2.4, 8, 6, "twisted_hypercube", false);
  if (name == "amd16")
    return opteron_family("amd16", "4x AMD Opteron 8380 (Shanghai) [MK09]; latencies of opteron48", 2.5, 4, 4, "ring",
                          false);
  if (name == "amd32")
    return opteron_family("amd32", "8x AMD Opteron 8350 (Barcelona) [MK09]; latencies of opteron48", 2.0, 8, 4,
                          "hypercube", true);
  if (name == "niagara") return niagara();
  if (name == "tilera36") return tilera36();
  if (name == "icelake64") return icelake64();
  if (name == "epyc96") return epyc96();
  return nullptr;
}

}  // namespace smpsim
