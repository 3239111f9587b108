// IPIs as the interrupt controller sends and delivers them (interrupts.cpp):
// ICR writes per APIC mode, the serializing write's store-buffer drain,
// interrupts of one vector pending together taken as one, and interrupt
// messages queueing on the links.
#include <catch2/catch.hpp>

#include "machines.hpp"
#include "models/coherence/memory_system.hpp"
#include "engine/clock.hpp"

using namespace smpsim;

namespace {

// CPU 0 sends one IPI to `targets` (the others idle, interruptible): its send time and ICR writes.
struct SendResult {
  double send_ns = 0;
  long long icr_writes = 0;
  long long received = 0;
};
SendResult send_once(const Machine& m, int cpus, const std::vector<int>& targets, bool broadcast) {
  Simulation sim(cpus);
  MemorySystem mem(m, cpus, sim, 1);
  SendResult r;
  for (int i = 1; i < cpus; ++i)
    sim.spawn(i, [&, i] {
      Core& c = mem.core(i);
      mem.block(c, CpuState::Idle);
      mem.finish(c);
    });
  sim.spawn(0, [&] {
    Core& c = mem.core(0);
    const double t0 = mem.now_ns(c);
    mem.send_ipi(c, targets, [](Core&) {}, broadcast);
    r.send_ns = mem.now_ns(c) - t0;
    mem.compute(c, 100000, CpuState::Kernel);  // every IPI is handled by then
    for (int i = 1; i < cpus; ++i) mem.wake(mem.core(i));
    mem.finish(c);
  });
  sim.run();
  r.icr_writes = mem.core(0).counters.icr_writes;
  for (int i = 1; i < cpus; ++i) r.received += mem.core(i).counters.ipis_received;
  return r;
}

std::vector<int> cpus_from(int first, int n) {
  std::vector<int> v;
  for (int i = 0; i < n; ++i) v.push_back(first + i);
  return v;
}

}  // namespace

TEST_CASE("xAPIC writes the ICR once per target, a broadcast shorthand once", "[simgrid][irq]") {
  const Machine m = smpsim::test::preset("opteron48");
  REQUIRE_FALSE(m.apic_x2);
  const SendResult list = send_once(m, 24, cpus_from(1, 23), false);
  CHECK(list.icr_writes == 23);
  CHECK(list.received == 23);
  CHECK(list.send_ns == Approx(23 * m.ns(m.ipi_send_cycles)));
  const SendResult bcast = send_once(m, 24, cpus_from(1, 23), true);
  CHECK(bcast.icr_writes == 1);
  CHECK(bcast.received == 23);
  CHECK(bcast.send_ns == Approx(m.ns(m.ipi_send_cycles)));
}

TEST_CASE("x2APIC cluster mode writes the ICR once per cluster of targets", "[simgrid][irq]") {
  Machine m = smpsim::test::preset("icelake64");
  REQUIRE(m.apic_x2);
  REQUIRE(m.x2apic_cluster_cpus == 16);
  REQUIRE(m.topo.threads_per_core == 2);
  // CPUs 1..20 are the first threads of cores 1..20 of package 0; a 16-ID cluster holds 8 cores' two threads:
  // cores 0-7, 8-15 and 16-23, three clusters.
  const SendResult three = send_once(m, 24, cpus_from(1, 20), false);
  CHECK(three.icr_writes == 3);
  CHECK(three.received == 20);
  CHECK(three.send_ns == Approx(3 * m.ns(m.ipi_send_cycles)));
  m.x2apic_cluster_cpus = 0;  // physical mode
  CHECK(send_once(m, 24, cpus_from(1, 20), false).icr_writes == 20);
}

TEST_CASE("a serializing ICR write waits for the store buffer to drain, a fence-free x2APIC write does not",
          "[simgrid][irq]") {
  auto send_after_store = [](Machine m) {
    Simulation sim(2);
    MemorySystem mem(m, 2, sim, 1);
    const LineId far = mem.add_line("far", m.topo.dies() - 1);
    double send_ns = 0;
    sim.spawn(1, [&] {
      Core& c = mem.core(1);
      mem.block(c, CpuState::Idle);
      mem.finish(c);
    });
    sim.spawn(0, [&] {
      Core& c = mem.core(0);
      mem.store(c, far, 0, 1);  // a miss to another node's memory, left in the store buffer
      const double t0 = mem.now_ns(c);
      mem.send_ipi(c, {1}, [](Core&) {});
      send_ns = mem.now_ns(c) - t0;
      mem.compute(c, 100000, CpuState::Kernel);
      mem.wake(mem.core(1));
      mem.finish(c);
    });
    sim.run();
    return send_ns;
  };
  Machine m = smpsim::test::preset("epyc96");
  REQUIRE(m.store_buffer_entries > 0);
  m.x2apic_icr_fence = false;
  const double unfenced = send_after_store(m);
  CHECK(unfenced == Approx(m.ns(m.ipi_send_cycles)));
  m.x2apic_icr_fence = true;
  const double fenced = send_after_store(m);
  CHECK(fenced > unfenced + m.ns(100));  // the store's miss is on the sender's path
  m.apic_x2 = false;                     // xAPIC: uncached MMIO, serializing
  CHECK(send_after_store(m) == Approx(fenced));
}

TEST_CASE("IPIs of one vector pending together are one interrupt: one entry and exit for all handlers",
          "[simgrid][irq]") {
  const Machine m = smpsim::test::preset("opteron48");
  Simulation sim(4);
  MemorySystem mem(m, 4, sim, 1);
  int handled = 0;
  double enabled_at = 0, done_at = 0;
  sim.spawn(0, [&] {
    Core& c = mem.core(0);
    mem.irq_disable(c);
    mem.compute(c, 20000, CpuState::Kernel);  // the three IPIs arrive meanwhile
    enabled_at = mem.now_ns(c);
    mem.irq_enable(c);
    done_at = mem.now_ns(c);
    mem.finish(c);
  });
  for (int s = 1; s < 4; ++s)
    sim.spawn(s, [&, s] {
      Core& c = mem.core(s);
      mem.send_ipi(c, {0}, [&](Core& t) {
        ++handled;
        mem.compute(t, 100, CpuState::Irq);
      });
      mem.finish(c);
    });
  sim.run();
  CHECK(handled == 3);
  CHECK(mem.core(0).counters.ipis_received == 3);
  CHECK(mem.core(0).counters.interrupts_taken == 1);
  CHECK(done_at - enabled_at == Approx(m.ns(m.irq_entry_cycles + 3 * 100 + m.irq_exit_cycles)));
}

TEST_CASE("interrupt messages sent together over one link queue there, and the wait is counted", "[irq]") {
  const Machine m = smpsim::test::preset("opteron48");
  REQUIRE(m.link_socket_gb_per_s > 0);
  Interconnect net(m);
  const int far_die = m.topo.dies() - 1;  // another package
  CHECK(net.interrupt_message(0, far_die, 1000) == 0);
  const double second = net.interrupt_message(0, far_die, 1000);
  CHECK(second > 0);
  CHECK(second <= m.control_packet_bytes / std::min(m.link_die_gb_per_s, m.link_socket_gb_per_s) + 1e-9);
  CHECK(net.interrupt_messages() == 2);
  CHECK(net.interrupt_wait_ns() == Approx(second));
  CHECK(net.interrupt_message(0, 0, 1000) == 0);  // same die: no link
}
