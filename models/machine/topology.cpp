#include "models/machine/topology.hpp"

#include <algorithm>
#include <bitset>
#include <cstdlib>

namespace smpsim {

namespace {
const char* const kNames[] = {"same_core", "same_die", "same_package", "one_hop", "two_hops", "three_hops"};
}

std::string distance_name(Distance d) {
  const int i = int(d);
  if (i < 6) return kNames[i];
  return "hops_" + std::to_string(hops_of(d));
}

bool distance_from_name(const std::string& name, Distance* out) {
  for (int i = 0; i < kDistanceCount; ++i)
    if (name == distance_name(Distance(i))) {
      *out = Distance(i);
      return true;
    }
  return false;
}

const std::vector<std::string>& interconnect_names() {
  static const std::vector<std::string> n = {"fully_connected", "ring", "hypercube", "twisted_hypercube", "mesh"};
  return n;
}

int interconnect_hops(const std::string& name, int sockets, int mesh_width, int a, int b) {
  if (a == b) return 0;
  if (name == "ring") {
    const int d = std::abs(a - b);
    return std::min(d, sockets - d);
  }
  if (name == "hypercube") return int(std::bitset<32>(unsigned(a ^ b)).count());
  if (name == "twisted_hypercube") {
    // Hypercube edges are one hop; the twist brings every other node within two.
    return std::bitset<32>(unsigned(a ^ b)).count() == 1 ? 1 : 2;
  }
  if (name == "mesh") {
    const int w = std::max(1, mesh_width);
    return std::abs(a % w - b % w) + std::abs(a / w - b / w);
  }
  return 1;  // fully connected
}

Distance Topology::die_distance(int a, int b) const {
  if (a == b) return Distance::SameDie;
  if (socket_of_die(a) == socket_of_die(b)) return Distance::SamePackage;
  int hops = die_hops.empty() ? 1 : die_hops[a][b];
  return hops_distance(std::clamp(hops, 1, kMaxHops));
}

int Topology::link_hops(int a, int b) const {
  if (a == b) return 0;
  if (socket_of_die(a) == socket_of_die(b)) return 1;
  return hops_of(die_distance(a, b));
}

int Topology::max_hops() const {
  int h = 0;
  for (int a = 0; a < dies(); ++a)
    for (int b = 0; b < dies(); ++b) h = std::max(h, hops_of(die_distance(a, b)));
  return h;
}

std::vector<Distance> Topology::distances_in_use() const {
  std::vector<bool> used(kDistanceCount, false);
  if (threads_per_core > 1) used[int(Distance::SameCore)] = true;
  if (cores_per_die > 1) used[int(Distance::SameDie)] = true;
  for (int a = 0; a < dies(); ++a)
    for (int b = 0; b < dies(); ++b)
      if (a != b) used[int(die_distance(a, b))] = true;
  std::vector<Distance> out;
  for (int i = 0; i < kDistanceCount; ++i)
    if (used[i]) out.push_back(Distance(i));
  return out;
}

}  // namespace smpsim
