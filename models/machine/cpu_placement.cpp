#include "models/machine/cpu_placement.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace smpsim {

const std::vector<std::string>& placement_names() {
  static const std::vector<std::string> n = {"compact", "spread", "scatter"};
  return n;
}

std::vector<int> placement_order(const Topology& machine, const std::string& policy) {
  if (policy == "compact") return {};
  const bool by_socket = policy == "spread";
  if (!by_socket && policy != "scatter") throw std::logic_error("no CPU placement " + policy);
  // Each CPU's rank inside its group (socket or die) in the machine's order, then order by (rank, group).
  Topology t = machine;
  t.cpu_order.clear();  // the machine's own numbering
  const int n = t.cores();
  const int groups = by_socket ? t.sockets : t.dies();
  std::vector<int> seen(size_t(groups), 0);
  std::vector<int> rank(size_t(n), 0);
  std::vector<int> group(size_t(n), 0);
  for (int c = 0; c < n; ++c) {
    group[size_t(c)] = by_socket ? t.socket_of(c) : t.die_of(c);
    rank[size_t(c)] = seen[size_t(group[size_t(c)])]++;
  }
  std::vector<int> order(size_t(n), 0);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return rank[size_t(a)] != rank[size_t(b)] ? rank[size_t(a)] < rank[size_t(b)] : group[size_t(a)] < group[size_t(b)];
  });
  return order;
}

std::vector<int> listed_order(const Topology& t, const std::vector<int>& cpus) {
  std::vector<int> order = cpus;
  std::vector<bool> listed(size_t(t.cores()), false);
  for (int c : cpus) listed[size_t(c)] = true;
  for (int c = 0; c < t.cores(); ++c)
    if (!listed[size_t(c)]) order.push_back(c);
  return order;
}

}  // namespace smpsim
