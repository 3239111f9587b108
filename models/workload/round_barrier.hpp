// A barrier for microbenchmark rounds: CPUs block (no events while blocked);
// the last to arrive releases them all at its own time.
#pragma once
#include <utility>
#include <vector>

#include "models/coherence/memory_system.hpp"

namespace smpsim {

class RoundBarrier {
 public:
  explicit RoundBarrier(int n) : n_(n) {}
  void arrive_and_wait(Core& c, MemorySystem& mem) {
    mem.flush(c);
    if (++arrived_ < n_) {
      waiting_.push_back(&c);
      mem.block(c, CpuState::Blocked);
      return;
    }
    // Signalling yields to the woken CPUs, which may already arrive at the
    // next barrier: reset the state before waking anyone.
    std::vector<Core*> release;
    release.swap(waiting_);
    arrived_ = 0;
    for (Core* w : release) mem.wake(*w);
  }

 private:
  int n_;
  int arrived_ = 0;
  std::vector<Core*> waiting_;
};

}  // namespace smpsim
