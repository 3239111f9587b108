// The distance classes between a run's CPUs, indexed once. Topology's
// core_distance takes two divisions and a table walk per call, and a miss on a
// line that many CPUs share asks it once per sharer (the nearest one answers a
// read, the farthest bounds an invalidation): on a ticket lock's line at 48
// CPUs that is thousands of calls per hand-off.
#pragma once
#include <vector>

#include "models/machine/topology.hpp"

namespace smpsim {

class CoreDistances {
 public:
  CoreDistances(const Topology& t, int cpus) : dies_(t.dies()) {
    for (int c = 0; c < cpus; ++c) {
      core_.push_back(t.core_of(c));
      die_.push_back(t.die_of(c));
    }
    for (int a = 0; a < dies_; ++a)
      for (int b = 0; b < dies_; ++b) die_distance_.push_back(t.die_distance(a, b));
  }
  // What Topology::core_distance(a, b) returns, for CPUs of the run.
  Distance operator()(int a, int b) const {
    if (a == b || core_[size_t(a)] == core_[size_t(b)]) return Distance::SameCore;
    return die_distance_[size_t(die_[size_t(a)]) * size_t(dies_) + size_t(die_[size_t(b)])];
  }
  int die_of(int cpu) const { return die_[size_t(cpu)]; }

 private:
  int dies_;
  std::vector<int> core_, die_;
  std::vector<Distance> die_distance_;  // [a * dies + b]
};

}  // namespace smpsim
