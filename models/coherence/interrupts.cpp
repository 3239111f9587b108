// MemorySystem's interrupts: IPIs sent and delivered, handlers run at the
// CPU's true time, interrupts disabled and enabled.
#include "models/coherence/memory_system.hpp"

#include <algorithm>

namespace smpsim {

// Interrupts pending together with one vector are one interrupt: one entry
// and one exit around all their handlers (the IRR bit is set once; Linux's
// call-function handler drains its whole queue). Those arriving during the
// handlers are the next interrupt.
void MemorySystem::handle_irqs(Core& c) {
  std::vector<PendingIrq> batch;
  while (!c.pending_irqs.empty() && can_take_irq(c)) {
    const IrqVector vector = c.pending_irqs.front().vector;
    batch.clear();
    for (auto it = c.pending_irqs.begin(); it != c.pending_irqs.end();) {
      if (it->vector != vector) {
        ++it;
        continue;
      }
      batch.push_back(std::move(*it));
      it = c.pending_irqs.erase(it);
    }
    ++c.counters.interrupts_taken;
    const double t0 = clock_.now_ns() + c.pending_ns;
    const CpuState saved = c.stall_state;
    c.in_irq = true;  // hardware disables interrupts in a handler
    c.stall_state = CpuState::Irq;
    compute(c, machine().irq_entry_cycles, CpuState::Irq);
    for (PendingIrq& irq : batch) irq.handler(c);
    compute(c, machine().irq_exit_cycles, CpuState::Irq);
    flush(c);
    c.stall_state = saved;
    c.in_irq = false;
    c.irq_wall_ns += clock_.now_ns() - t0;
    if (trace_) {
      for (PendingIrq& irq : batch)
        if (irq.flow) trace_->flow_end(c.id, irq.flow, t0);
      nlohmann::json from = nlohmann::json::array();
      for (const PendingIrq& irq : batch) from.push_back(irq.sender);
      trace_->complete(c.id, "irq from CPU " + std::to_string(batch.front().sender), "irq", t0, clock_.now_ns(),
                       {{"from_cpus", from},
                        {"vector", vector == IrqVector::Reschedule ? "reschedule" : "call_function"}});
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

// The ICR write that carries a target: xAPIC or x2APIC physical mode, one per target; x2APIC cluster mode,
// one per cluster. A cluster is x2apic_cluster_cpus consecutive x2APIC IDs: IDs number a package's cores
// with their hardware threads side by side, so a cluster is the threads of x2apic_cluster_cpus /
// threads_per_core consecutive cores of one package.
int MemorySystem::icr_write_key(int target) const {
  const Machine& m = machine();
  const Topology& t = m.topo;
  if (!m.apic_x2 || m.x2apic_cluster_cpus <= 0) return target;
  const int cores_per_socket = t.dies_per_socket * t.cores_per_die;
  const int core = t.core_of(target);
  const int thread = t.machine_cpu(target) / t.physical_cores();
  const int id_in_socket = (core % cores_per_socket) * t.threads_per_core + thread;
  const int clusters_per_socket = (cores_per_socket * t.threads_per_core + m.x2apic_cluster_cpus - 1) / m.x2apic_cluster_cpus;
  return (core / cores_per_socket) * clusters_per_socket + id_in_socket / m.x2apic_cluster_cpus;
}

// The sender drains its store buffer first when the ICR write is serializing (xAPIC's uncached MMIO, or
// the fence Linux puts before an x2APIC WRMSR on Intel), then pays ipi_send_cycles per ICR write. Each
// write's message goes to each target die once (a control packet over the links, where it may queue);
// it arrives ipi_arrival_cycles later, plus that queueing.
void MemorySystem::send_ipi(Core& sender, const std::vector<int>& targets, const std::function<void(Core&)>& handler,
                            bool broadcast, IrqVector vector) {
  const Machine& m = machine();
  if (!m.apic_x2 || m.x2apic_icr_fence) wait_store_drain(sender);
  flush(sender);
  const double start = clock_.now_ns();
  const double send_ns = m.ns(m.ipi_send_cycles);
  Interconnect& net = dir_.interconnect();
  const int from_die = m.topo.die_of(sender.id);
  double sent = start;
  std::vector<int> written;                      // keys of the ICR writes made, in order
  std::vector<std::pair<int, double>> packets;  // (write index * dies + die, queueing) of messages sent
  for (size_t i = 0; i < targets.size(); ++i) {
    const int key = broadcast ? -1 : icr_write_key(targets[i]);
    auto w = std::find(written.begin(), written.end(), key);
    if (w == written.end()) {  // a new ICR write
      written.push_back(key);
      w = written.end() - 1;
      sent += send_ns;
    }
    const int write = int(w - written.begin());
    const int to_die = m.topo.die_of(targets[i]);
    const int packet = write * m.topo.dies() + to_die;
    double queued = 0;
    auto p = std::find_if(packets.begin(), packets.end(), [&](const auto& e) { return e.first == packet; });
    if (p != packets.end()) {
      queued = p->second;
    } else {
      queued = net.interrupt_message(from_die, to_die, sent);
      packets.emplace_back(packet, queued);
    }
    unsigned long long flow = 0;
    if (trace_) {  // from the ICR write that carries it, inside the send slice
      flow = trace_->next_id();
      trace_->flow_start(sender.id, flow, start + double(write) * send_ns);
    }
    irqs_->post(targets[i], sent + m.ns(ipi_arrival_cycles(sender.id, targets[i])) + queued,
                PendingIrq{handler, vector, sender.id, sent, flow});
  }
  if (trace_)
    trace_->complete(sender.id, "send IPI", "ipi", start, sent,
                     {{"targets", targets.size()}, {"icr_writes", written.size()},
                      {"vector", vector == IrqVector::Reschedule ? "reschedule" : "call_function"}});
  sender.counters.ipis_sent += long(targets.size());
  sender.counters.icr_writes += long(written.size());
  sender.pending_ns += sent - start;
  sender.time[CpuState::Kernel] += sent - start;
}

}  // namespace smpsim
