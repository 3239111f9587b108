// Topology: which core sits on which die and socket, and how far apart two cores are.
// Distance classes follow the columns of the published coherence tables
// (SOSP 2013, Table 2): same die, other die of the same package, one or two
// interconnect hops between dies.
#pragma once
#include <string>
#include <vector>

namespace smpsim {

enum class Distance { SameCore = 0, SameDie, SamePackage, OneHop, TwoHops, ThreeHops };
constexpr int kDistanceCount = 6;
const char* distance_name(Distance d);          // "same_die", "one_hop", ...
bool distance_from_name(const std::string& name, Distance* out);

struct Topology {
  int sockets = 1;
  int dies_per_socket = 1;
  int cores_per_die = 1;
  // die_hops[a][b]: interconnect hops between dies a and b in different sockets
  // (1..3). Entries for dies of one socket are ignored (they are SamePackage).
  std::vector<std::vector<int>> die_hops;

  int dies() const { return sockets * dies_per_socket; }
  int cores() const { return dies() * cores_per_die; }
  int die_of(int core) const { return core / cores_per_die; }
  int socket_of_die(int die) const { return die / dies_per_socket; }
  int socket_of(int core) const { return socket_of_die(die_of(core)); }

  Distance die_distance(int die_a, int die_b) const;
  Distance core_distance(int a, int b) const {
    return a == b ? Distance::SameCore : die_distance(die_of(a), die_of(b));
  }
  // Every distance class two distinct cores of this machine can be apart.
  std::vector<Distance> distances_in_use() const;
};

}  // namespace smpsim
