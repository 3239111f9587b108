#include "engine/stats.hpp"

#include <cstdio>
#include <cstdlib>

namespace smpsim {

const StatGroup& stat_group(const std::string& group) {
  if (const StatGroup* g = StatRegistry::find(group)) return *g;
  std::fprintf(stderr, "smpsim: internal error: no statistics group \"%s\"\n", group.c_str());
  std::abort();
}

std::vector<std::string> stat_names(const std::string& group) {
  std::vector<std::string> n;
  for (const StatSpec& s : stat_group(group).stats) n.push_back(s.name);
  return n;
}

nlohmann::json stats_json() {
  nlohmann::json out = nlohmann::json::array();
  for (const StatGroup& g : StatRegistry::all()) {
    nlohmann::json stats = nlohmann::json::array();
    for (const StatSpec& s : g.stats) {
      nlohmann::json j = {{"name", s.name}, {"unit", s.unit}, {"description", s.description}};
      if (!s.keys.empty()) j["keys"] = s.keys;
      stats.push_back(j);
    }
    out.push_back({{"group", g.name}, {"where", g.where}, {"description", g.description}, {"stats", stats}});
  }
  return out;
}

}  // namespace smpsim
