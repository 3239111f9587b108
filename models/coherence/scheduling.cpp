// MemorySystem's scheduling, one task per CPU: blocking and waking, sleeping
// and wake-ups through the design's run queues, the end of a CPU's work.
#include "models/coherence/memory_system.hpp"

#include <algorithm>

namespace smpsim {

void MemorySystem::block(Core& c, CpuState st) {
  flush(c);
  c.blocked_in = "block (sleep or barrier)";
  const double t0 = clock_.now_ns();
  const double irq0 = c.irq_wall_ns;
  c.interruptible = true;
  while (c.wake_tokens == 0) {
    c.wait_point->wait();
    take_irqs_while_waiting(c);
  }
  c.interruptible = false;
  c.blocked_in = "";
  --c.wake_tokens;
  c.time[st] += clock_.now_ns() - t0 - (c.irq_wall_ns - irq0);
}

void MemorySystem::wake(Core& target) {
  ++target.wake_tokens;
  target.wait_point->signal();
}

void MemorySystem::sleep(Core& c) {
  block(c, CpuState::Blocked);
  ++c.counters.context_switches;
  compute(c, machine().context_switch_cycles, CpuState::Kernel);
}

void MemorySystem::wake_up(Core& waker, int target) {
  if (wake_hook_)
    wake_hook_(waker, target);
  else
    compute(waker, machine().sched_wakeup_cycles, CpuState::Kernel);
  Core& t = cores_[target];
  send_ipi(waker, {target}, [&t](Core&) { ++t.wake_tokens; }, false, IrqVector::Reschedule);
}

void MemorySystem::finish(Core& c) {
  flush(c);
  c.done_at_ns = clock_.now_ns();
}

void MemorySystem::retire(Core& c) {
  if (++retired_ < cores()) {
    block(c, CpuState::Idle);
    return;
  }
  for (Core& o : cores_)
    if (o.id != c.id) wake(o);
}

}  // namespace smpsim
