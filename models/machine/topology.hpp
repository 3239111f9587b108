// Topology: which CPU (hardware thread) sits on which core, die and socket,
// and how far apart two CPUs are.
//
// Distance classes follow the columns of the published coherence tables
// (SOSP 2013, Table 2): the same core (SMT siblings), the same die (or CCX),
// the other die of the same package, then interconnect hops between dies of
// different packages.
//
// CPU numbering, as Linux does it: CPUs 0..P-1 are the first hardware thread
// of each of the P physical cores (die 0 first), CPUs P..2P-1 their SMT
// siblings, and so on; a run with N CPUs uses CPUs 0..N-1, so it fills
// physical cores before it uses SMT siblings.
#pragma once
#include <string>
#include <vector>

namespace smpsim {

enum class Distance : int { SameCore = 0, SameDie, SamePackage, OneHop, TwoHops, ThreeHops };
constexpr int kMaxHops = 16;
constexpr int kDistanceCount = int(Distance::OneHop) + kMaxHops;
inline Distance hops_distance(int hops) { return Distance(int(Distance::OneHop) + hops - 1); }
inline int hops_of(Distance d) { return int(d) >= int(Distance::OneHop) ? int(d) - int(Distance::OneHop) + 1 : 0; }
std::string distance_name(Distance d);  // "same_die", "one_hop", ..., "hops_4"
bool distance_from_name(const std::string& name, Distance* out);

// Socket-level interconnects that can be named instead of a hop matrix.
const std::vector<std::string>& interconnect_names();
// Hops between sockets a and b of `sockets` for a named interconnect
// (mesh_width only for "mesh"). Empty name = fully connected.
int interconnect_hops(const std::string& name, int sockets, int mesh_width, int a, int b);

struct Topology {
  int sockets = 1;
  int dies_per_socket = 1;
  int cores_per_die = 1;
  int threads_per_core = 1;
  // die_hops[a][b]: interconnect hops between dies a and b of different
  // sockets (1..kMaxHops). Entries for dies of one socket are ignored.
  std::vector<std::vector<int>> die_hops;

  int dies() const { return sockets * dies_per_socket; }
  int physical_cores() const { return dies() * cores_per_die; }
  int cores() const { return physical_cores() * threads_per_core; }  // CPUs
  // The run's CPU order: CPU i, as workloads, designs and outputs number it, is
  // the machine's CPU cpu_order[i] (empty: CPU i). A permutation of all the
  // machine's CPUs, set from run.placement or run.cpus (cpu_placement.hpp).
  std::vector<int> cpu_order;
  int machine_cpu(int cpu) const { return cpu_order.empty() ? cpu : cpu_order[size_t(cpu)]; }
  int core_of(int cpu) const { return machine_cpu(cpu) % physical_cores(); }
  int die_of(int cpu) const { return core_of(cpu) / cores_per_die; }
  int socket_of_die(int die) const { return die / dies_per_socket; }
  int socket_of(int cpu) const { return socket_of_die(die_of(cpu)); }

  Distance die_distance(int die_a, int die_b) const;
  Distance core_distance(int a, int b) const {
    if (a == b || core_of(a) == core_of(b)) return Distance::SameCore;
    return die_distance(die_of(a), die_of(b));
  }
  int max_hops() const;
  // Link hops between two dies: 1 to a die of the same package (a die-to-die
  // link), the interconnect's hops to another package's.
  int link_hops(int die_a, int die_b) const;
  // Every distance class two distinct CPUs of this machine can be apart.
  std::vector<Distance> distances_in_use() const;
};

}  // namespace smpsim
