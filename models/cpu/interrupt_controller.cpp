#include "models/cpu/interrupt_controller.hpp"

namespace smpsim {

namespace {
constexpr double kSameTimeNs = 1e-3;  // arrivals this close to "now" are due (float rounding)
}

void InterruptController::post(int target, double arrive_ns, PendingIrq irq) {
  if (!started_) {  // started on first use: runs without IPIs pay nothing
    started_ = true;
    wake_ = clock_.make_wait_point();
    clock_.spawn_daemon([this] { run(); });
  }
  queue_.emplace(std::make_pair(arrive_ns, seq_++), Item{target, std::move(irq)});
  wake_->signal();
}

void InterruptController::run() {
  for (;;) {
    if (queue_.empty()) {
      wake_->wait();
      continue;
    }
    const double at = queue_.begin()->first.first;
    if (clock_.now_ns() + kSameTimeNs < at) {
      wake_->wait_until_ns(at);  // a new post wakes us to recompute
      continue;
    }
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
