#include "models/machine/topology.hpp"

#include <algorithm>

namespace smpsim {

namespace {
const char* const kNames[kDistanceCount] = {"same_core", "same_die",  "same_package",
                                            "one_hop",   "two_hops",  "three_hops"};
}

const char* distance_name(Distance d) { return kNames[static_cast<int>(d)]; }

bool distance_from_name(const std::string& name, Distance* out) {
  for (int i = 0; i < kDistanceCount; ++i)
    if (name == kNames[i]) {
      *out = static_cast<Distance>(i);
      return true;
    }
  return false;
}

Distance Topology::die_distance(int a, int b) const {
  if (a == b) return Distance::SameDie;
  if (socket_of_die(a) == socket_of_die(b)) return Distance::SamePackage;
  int hops = die_hops.empty() ? 1 : die_hops[a][b];
  hops = std::clamp(hops, 1, 3);
  return static_cast<Distance>(static_cast<int>(Distance::OneHop) + hops - 1);
}

std::vector<Distance> Topology::distances_in_use() const {
  std::vector<bool> used(kDistanceCount, false);
  if (cores_per_die > 1) used[static_cast<int>(Distance::SameDie)] = true;
  for (int a = 0; a < dies(); ++a)
    for (int b = 0; b < dies(); ++b)
      if (a != b) used[static_cast<int>(die_distance(a, b))] = true;
  std::vector<Distance> out;
  for (int i = 0; i < kDistanceCount; ++i)
    if (used[i]) out.push_back(static_cast<Distance>(i));
  return out;
}

}  // namespace smpsim
