#include "models/sync/wait_for.hpp"

#include <algorithm>

namespace smpsim {

std::vector<WaitForGraph::Edge> WaitForGraph::find_cycle() const {
  // Follow wait-for edges from each waiting CPU (lowest first, so the report
  // is deterministic); a CPU seen twice on one path closes a cycle.
  for (const auto& [start, lock0] : waiting_) {
    std::vector<Edge> path;
    std::map<int, size_t> at;  // cpu -> index in path
    int cpu = start;
    for (;;) {
      auto w = waiting_.find(cpu);
      if (w == waiting_.end()) break;
      auto h = holders_.find(w->second);
      if (h == holders_.end() || h->second.empty()) break;
      // With several holders (readers), follow the lowest one that is itself waiting.
      int next = -1;
      for (int o : h->second)
        if (o != cpu && waiting_.count(o)) {
          next = o;
          break;
        }
      if (next < 0) break;
      at[cpu] = path.size();
      path.push_back({cpu, names_.at(w->second), next});
      if (at.count(next)) return std::vector<Edge>(path.begin() + long(at[next]), path.end());
      cpu = next;
    }
  }
  return {};
}

std::vector<std::string> WaitForGraph::held_by(int cpu) const {
  std::vector<std::string> out;
  for (const auto& [lock, cpus] : holders_)
    if (cpus.count(cpu)) out.push_back(names_.at(lock));
  std::sort(out.begin(), out.end());
  return out;
}

std::string WaitForGraph::describe(const std::vector<Edge>& cycle, const WaitForGraph& g) {
  std::string s;
  for (const Edge& e : cycle) {
    std::string held;
    for (const std::string& n : g.held_by(e.cpu)) held += (held.empty() ? "" : ", ") + n;
    s += "\n  CPU " + std::to_string(e.cpu) + " holds " + (held.empty() ? "nothing" : held) + " and waits for " +
         e.waits_for + ", held by CPU " + std::to_string(e.held_by);
  }
  return s;
}

}  // namespace smpsim
