#include "models/cpu/interrupt_controller.hpp"

namespace smpsim {

void InterruptController::post(int target, double arrive_ns, PendingIrq irq) {
  queue_.emplace(std::make_pair(arrive_ns, seq_++), Item{target, std::move(irq)});
  clock_.at(arrive_ns, [this, arrive_ns] { deliver_due(arrive_ns); });
}

// Every interrupt due by now, in (arrival, sending) order; a timer that finds
// its interrupt already delivered (by an earlier timer at the same time) does nothing.
void InterruptController::deliver_due(double now_ns) {
  while (!queue_.empty() && queue_.begin()->first.first <= now_ns) {
    auto node = queue_.extract(queue_.begin());
    deliver(node.mapped());
  }
}

void InterruptController::deliver(Item& item) {
  Core& t = cores_[item.target];
  ++t.counters.ipis_received;
  t.pending_irqs.push_back(std::move(item.irq));
  if (t.interruptible && t.irq_off_depth == 0 && !t.in_irq) t.wait_point->signal();
}

}  // namespace smpsim
