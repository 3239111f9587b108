// The wait-for graph of a run: which CPU holds which lock and which lock each
// CPU is waiting for. The central deadlock detector (Dillon, seed 001) reads
// it when every simulated CPU is blocked: a cycle of CPUs, each waiting for a
// lock the next one holds, is a deadlock, reported with its locks and CPUs.
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

namespace smpsim {

class WaitForGraph {
 public:
  // `lock` identifies a lock object; `name` is what reports call it.
  void want(int cpu, const void* lock, const std::string& name) {
    waiting_[cpu] = lock;
    names_.try_emplace(lock, name);  // every acquisition calls this: copy the name once
  }
  void got(int cpu, const void* lock) {
    waiting_.erase(cpu);
    holders_[lock].insert(cpu);
  }
  void released(int cpu, const void* lock) {
    auto it = holders_.find(lock);
    if (it != holders_.end()) it->second.erase(cpu);
  }

  // A cycle of CPUs, each waiting for a lock held by the next; empty if none.
  struct Edge {
    int cpu;
    std::string waits_for;  // the lock's name
    int held_by;
  };
  std::vector<Edge> find_cycle() const;
  // "CPU 0 holds A and waits for B, held by CPU 1; ..." for a cycle.
  static std::string describe(const std::vector<Edge>& cycle, const WaitForGraph& g);
  std::vector<std::string> held_by(int cpu) const;

 private:
  std::map<int, const void*> waiting_;
  std::map<const void*, std::set<int>> holders_;
  std::map<const void*, std::string> names_;
};

}  // namespace smpsim
