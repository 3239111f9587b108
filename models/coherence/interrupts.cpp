// MemorySystem's interrupts: IPIs sent and delivered, handlers run at the
// CPU's true time, interrupts disabled and enabled.
#include "models/coherence/memory_system.hpp"

#include <algorithm>

namespace smpsim {

void MemorySystem::handle_irqs(Core& c) {
  while (!c.pending_irqs.empty() && can_take_irq(c)) {
    PendingIrq irq = std::move(c.pending_irqs.front());
    c.pending_irqs.pop_front();
    const double t0 = clock_.now_ns() + c.pending_ns;
    const CpuState saved = c.stall_state;
    c.in_irq = true;  // hardware disables interrupts in a handler
    c.stall_state = CpuState::Irq;
    compute(c, machine().irq_entry_cycles, CpuState::Irq);
    irq.handler(c);
    compute(c, machine().irq_exit_cycles, CpuState::Irq);
    flush(c);
    c.stall_state = saved;
    c.in_irq = false;
    c.irq_wall_ns += clock_.now_ns() - t0;
    if (trace_) {
      if (irq.flow) trace_->flow_end(c.id, irq.flow, t0);
      trace_->complete(c.id, "irq from CPU " + std::to_string(irq.sender), "irq", t0, clock_.now_ns());
    }
  }
}

// In an interruptible wait, woken: run the handlers of any interrupts that
// arrived, then keep waiting.
void MemorySystem::take_irqs_while_waiting(Core& c) {
  if (c.pending_irqs.empty() || !can_take_irq(c)) return;
  c.interruptible = false;
  handle_irqs(c);
  c.interruptible = true;
}

void MemorySystem::irq_disable(Core& c) {
  flush(c);  // the flag changes at the CPU's true time
  ++c.irq_off_depth;
}

void MemorySystem::irq_enable(Core& c) {
  flush(c);
  if (c.irq_off_depth > 0) --c.irq_off_depth;
  if (!c.pending_irqs.empty() && can_take_irq(c)) handle_irqs(c);
}

double MemorySystem::ipi_arrival_cycles(int from, int to) const {
  const Distance d = machine().topo.core_distance(from, to);
  return machine().ipi_wire_cycles + *machine().table.lookup(Op::Load, LineState::M, d);
}

void MemorySystem::send_ipi(Core& sender, const std::vector<int>& targets, const std::function<void(Core&)>& handler,
                            bool broadcast) {
  flush(sender);
  const double start = clock_.now_ns();
  const double send_ns = machine().ns(machine().ipi_send_cycles);
  double sent = start;
  for (size_t i = 0; i < targets.size(); ++i) {
    if (!broadcast || i == 0) sent += send_ns;  // one ICR write each, or one for the shorthand
    unsigned long long flow = 0;
    if (trace_) {
      flow = trace_->next_id();
      trace_->flow_start(sender.id, flow, sent);
    }
    irqs_->post(targets[i], sent + machine().ns(ipi_arrival_cycles(sender.id, targets[i])),
                PendingIrq{handler, sender.id, sent, flow});
  }
  sender.counters.ipis_sent += long(targets.size());
  sender.pending_ns += sent - start;
  sender.time[CpuState::Kernel] += sent - start;
}

}  // namespace smpsim
