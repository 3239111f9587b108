// run.placement: which machine CPUs a run of N CPUs uses.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "models/machine/cpu_placement.hpp"
#include "tests/unit/machines.hpp"

using namespace smpsim;
using smpsim::test::preset;

namespace {
bool is_permutation_of_all(const std::vector<int>& order, int n) {
  std::vector<int> s = order;
  std::sort(s.begin(), s.end());
  for (int i = 0; i < n; ++i)
    if (s[size_t(i)] != i) return false;
  return int(s.size()) == n;
}
}  // namespace

TEST_CASE("placements: compact keeps the machine's order, spread and scatter go round sockets and dies",
          "[placement]") {
  Machine m = preset("opteron48");  // 4 sockets x 2 dies x 6 cores
  Topology& t = m.topo;
  CHECK(placement_order(t, "compact").empty());
  for (const char* p : {"spread", "scatter"}) {
    const std::vector<int> order = placement_order(t, p);
    REQUIRE(is_permutation_of_all(order, t.cores()));
    const bool spread = std::string(p) == "spread";
    const int groups = spread ? t.sockets : t.dies();
    t.cpu_order = order;
    // The first `groups` CPUs of the run are one per socket (die), and so is every later round.
    for (int round = 0; round < t.cores() / groups; ++round) {
      std::set<int> seen;
      for (int i = round * groups; i < (round + 1) * groups; ++i) seen.insert(spread ? t.socket_of(i) : t.die_of(i));
      CHECK(int(seen.size()) == groups);
    }
    // Within a socket (die), CPUs come in the machine's order.
    for (int i = groups; i < t.cores(); ++i) CHECK(t.machine_cpu(i) > t.machine_cpu(i - groups));
    t.cpu_order.clear();
  }
  // spread on 4 CPUs: the first CPU of each socket.
  t.cpu_order = placement_order(t, "spread");
  CHECK(std::vector<int>{t.machine_cpu(0), t.machine_cpu(1), t.machine_cpu(2), t.machine_cpu(3)} ==
        std::vector<int>{0, 12, 24, 36});
  // Distances follow the machine's CPUs: run CPUs 0 and 1 are in different sockets.
  CHECK(t.core_distance(0, 1) >= Distance::OneHop);
}

TEST_CASE("an explicit CPU list comes first, the machine's other CPUs after it", "[placement]") {
  Machine m = preset("opteron48");
  const std::vector<int> order = listed_order(m.topo, {47, 3, 20});
  REQUIRE(is_permutation_of_all(order, m.topo.cores()));
  CHECK(std::vector<int>(order.begin(), order.begin() + 5) == std::vector<int>{47, 3, 20, 0, 1});
}
