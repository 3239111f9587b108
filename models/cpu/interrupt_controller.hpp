// Delivers IPIs at their arrival time, by engine timers (no actor, no event
// of its own). At arrival the interrupt is queued on the target; a target
// waiting interruptibly with interrupts enabled is woken at once, any other
// takes it at its next check point (the end of a cache miss, or when it
// re-enables interrupts). Interrupts arriving at the same time are delivered
// in the order they were sent.
#pragma once
#include <map>
#include <utility>
#include <vector>

#include "models/cpu/core.hpp"
#include "engine/clock.hpp"

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
  void deliver_due(double now_ns);
  void deliver(Item& item);

  Clock& clock_;
  std::vector<Core>& cores_;
  std::map<std::pair<double, unsigned long long>, Item> queue_;  // (arrival, sequence): deterministic order
  unsigned long long seq_ = 0;
};

}  // namespace smpsim
