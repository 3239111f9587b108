// Delivers IPIs at their arrival time: a background activity with a queue of
// (arrival time, target). At arrival the interrupt is queued on the target; a
// target waiting interruptibly with interrupts enabled is woken at once, any
// other takes it at its next check point (the end of a cache miss, or when it
// re-enables interrupts).
#pragma once
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "models/cpu/core.hpp"
#include "sim/clock.hpp"

namespace smpsim {

class InterruptController {
 public:
  InterruptController(Clock& clock, std::vector<Core>& cores) : clock_(clock), cores_(cores) {}
  // Called by a sender at its true time.
  void post(int target, double arrive_ns, PendingIrq irq);

 private:
  struct Item {
    int target;
    PendingIrq irq;
  };
  void run();
  void deliver(Item& item);

  Clock& clock_;
  std::vector<Core>& cores_;
  std::unique_ptr<WaitPoint> wake_;
  std::map<std::pair<double, unsigned long long>, Item> queue_;  // (arrival, sequence): deterministic order
  unsigned long long seq_ = 0;
  bool started_ = false;
};

}  // namespace smpsim
