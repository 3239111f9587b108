// IPIs preempt computing and spinning CPUs, wait while interrupts are off,
// and TLB shootdowns cost the initiator more with more targets.
#include <catch2/catch.hpp>

#include "machines.hpp"
#include "models/cpu/tlb_ops.hpp"
#include "models/sync/lock.hpp"

using namespace smpsim;

namespace {
double ns(const Machine& m, double cycles) { return cycles / m.freq_ghz; }
}  // namespace

TEST_CASE("an IPI preempts a computing CPU, which resumes its remaining work afterwards", "[simgrid][irq]") {
  Machine m = smpsim::test::preset("opteron48");
  Simulation sim(2);
  MemorySystem mem(m, 2, sim, 1);
  double handler_at = -1;
  sim.spawn(0, [&] {
    Core& c = mem.core(0);
    mem.send_ipi(c, {1}, [&](Core& t) {
      handler_at = mem.now_ns(t);
      mem.compute(t, 1000, CpuState::Irq);
    });
    mem.finish(c);
  });
  sim.spawn(1, [&] {
    Core& c = mem.core(1);
    mem.compute(c, 10000, CpuState::User);
    mem.finish(c);
  });
  sim.run();
  const double arrive = ns(m, m.ipi_send_cycles + mem.ipi_arrival_cycles(0, 1));
  CHECK(handler_at == Approx(arrive + ns(m, m.irq_entry_cycles)));
  const Core& t = mem.core(1);
  const double irq = ns(m, m.irq_entry_cycles + 1000 + m.irq_exit_cycles);
  CHECK(t.done_at_ns == Approx(ns(m, 10000) + irq));
  CHECK(t.time[CpuState::Irq] == Approx(irq));
  CHECK(t.time[CpuState::User] == Approx(ns(m, 10000)));
  CHECK(t.time.total() == Approx(t.done_at_ns));
  CHECK(mem.core(0).counters.ipis_sent == 1);
  CHECK(t.counters.ipis_received == 1);
}

TEST_CASE("an IPI to a CPU holding an irqsave spinlock runs only after the unlock", "[simgrid][irq]") {
  Machine m = smpsim::test::preset("opteron48");
  Simulation sim(2);
  MemorySystem mem(m, 2, sim, 1);
  std::unique_ptr<Lock> lock = make_lock("ticket", "l", mem, 0);
  double handler_at = -1, unlocked_at = -1, sent_at = -1;
  sim.spawn(1, [&] {
    Core& c = mem.core(1);
    mem.irq_disable(c);  // spin_lock_irqsave
    lock->acquire(c);
    mem.compute(c, 20000, CpuState::Kernel);
    lock->release(c);
    unlocked_at = mem.now_ns(c);
    mem.irq_enable(c);  // spin_unlock_irqrestore: the pending IPI runs here
    mem.compute(c, 5000, CpuState::Kernel);
    mem.finish(c);
  });
  sim.spawn(0, [&] {
    Core& c = mem.core(0);
    mem.compute(c, 1000, CpuState::Kernel);
    mem.flush(c);
    sent_at = sim.now_ns();
    mem.send_ipi(c, {1}, [&](Core& t) { handler_at = mem.now_ns(t); });
    mem.finish(c);
  });
  sim.run();
  REQUIRE(handler_at > 0);
  CHECK(sent_at < ns(m, 2000));
  CHECK(handler_at >= unlocked_at);
  CHECK(handler_at == Approx(unlocked_at + ns(m, m.irq_entry_cycles)));
  CHECK(mem.core(1).time.total() == Approx(mem.core(1).done_at_ns));
}

TEST_CASE("an IPI interrupts a spinning CPU, which spins on afterwards", "[simgrid][irq]") {
  Machine m = smpsim::test::preset("opteron48");
  Simulation sim(3);
  MemorySystem mem(m, 3, sim, 1);
  LineId flag = mem.add_line("flag", 0);
  double handler_at = -1, got_at = -1;
  sim.spawn(1, [&] {
    mem.spin_until(mem.core(1), flag, 0, [](uint64_t v) { return v == 1; });
    got_at = sim.now_ns();
    mem.finish(mem.core(1));
  });
  sim.spawn(0, [&] {
    Core& c = mem.core(0);
    mem.compute(c, 1000, CpuState::Kernel);
    mem.send_ipi(c, {1}, [&](Core& t) {
      handler_at = sim.now_ns();
      mem.compute(t, 500, CpuState::Irq);
    });
    mem.finish(c);
  });
  sim.spawn(2, [&] {
    Core& c = mem.core(2);
    mem.compute(c, 20000, CpuState::Kernel);
    mem.store(c, flag, 0, 1);
    mem.finish(c);
  });
  sim.run();
  CHECK(handler_at > 0);
  CHECK(handler_at < ns(m, 5000));
  CHECK(got_at > ns(m, 20000));
  const Core& s = mem.core(1);
  CHECK(s.time[CpuState::Irq] == Approx(ns(m, m.irq_entry_cycles + 500 + m.irq_exit_cycles)));
  CHECK(s.time.total() == Approx(s.done_at_ns));
}

TEST_CASE("TLB: a miss walks the page table and a hit does not, PCID off flushes at a switch", "[simgrid][tlb]") {
  for (bool pcid : {true, false}) {
    Machine m = smpsim::test::preset("xeon80");
    m.pcid = pcid;
    Simulation sim(1);
    MemorySystem mem(m, 1, sim, 1);
    AddressSpace a, b;
    a.asid = 1;
    b.asid = 2;
    double walk_ns = 0;
    sim.spawn(0, [&] {
      Core& c = mem.core(0);
      switch_mm(mem, c, a);
      tlb_translate(mem, c, a, 100);
      walk_ns = c.time[CpuState::Tlb];
      tlb_translate(mem, c, a, 100);
      switch_mm(mem, c, b);
      switch_mm(mem, c, a);
      tlb_translate(mem, c, a, 100);
      mem.finish(c);
    });
    sim.run();
    const TlbStats& st = mem.core(0).tlb.stats;
    CHECK(walk_ns > 0);
    CHECK(mem.dir().counters(0).loads >= m.tlb_walk_levels);
    CHECK(st.hits == (pcid ? 2 : 1));
    CHECK(st.misses == (pcid ? 1 : 2));
    CHECK(st.full_flushes == (pcid ? 0 : 3));  // every switch, the first included
  }
}

TEST_CASE("a broadcast TLB shootdown's initiator time grows with the number of targets", "[simgrid][tlb][irq]") {
  std::vector<double> initiator_ns;
  for (int targets : {1, 4, 16, 47}) {
    Machine m = smpsim::test::preset("opteron48");
    const int n = targets + 1;
    Simulation sim(n);
    MemorySystem mem(m, n, sim, 1);
    AddressSpace as;
    for (int i = 0; i < n; ++i) as.cpus_ran.insert(i);
    double took = 0;
    bool done = false;
    for (int i = 1; i < n; ++i)
      sim.spawn(i, [&, i] {
        Core& c = mem.core(i);
        tlb_translate(mem, c, as, 7);
        mem.block(c, CpuState::Idle);  // idle until the initiator is done; takes the IPI meanwhile
        mem.finish(c);
        CHECK_FALSE(c.tlb.lookup(as.asid, 7));  // invalidated by the shootdown
      });
    sim.spawn(0, [&] {
      Core& c = mem.core(0);
      mem.compute(c, 20000, CpuState::Kernel);
      mem.flush(c);
      const double t0 = sim.now_ns();
      CHECK(tlb_shootdown(mem, c, as, {7}, ShootdownOptions{true, false, ShootdownProtocol::CallFunction, {}}) == targets);
      took = sim.now_ns() - t0;
      done = true;
      for (int i = 1; i < n; ++i) mem.wake(mem.core(i));
      mem.finish(c);
    });
    sim.run();
    CHECK(done);
    for (int i = 0; i < n; ++i) CHECK(mem.core(i).time.total() == Approx(mem.core(i).done_at_ns));
    initiator_ns.push_back(took);
  }
  for (size_t i = 1; i < initiator_ns.size(); ++i) CHECK(initiator_ns[i] > initiator_ns[i - 1]);
  CHECK(initiator_ns.back() > 3 * initiator_ns.front());
}

// Linux's two IPI shootdown protocols (tlb_ops.hpp): today's smp_call_function_many queues a csd per target
// (a store to the initiator's csd for it, a cmpxchg on the target's call_single_queue) and then reads each
// target's csd in turn (k replies, k reads); 2.6.2x's targets clear bits of one shared cpumask, which the
// initiator re-reads. Counted as the initiator's misses in a second shootdown (the first warms the lines).
TEST_CASE("a call-function shootdown misses three times per target at the initiator, a shared cpumask does not",
          "[simgrid][tlb][irq]") {
  auto initiator_misses = [](ShootdownProtocol proto, int targets) {
    Machine m = smpsim::test::preset("opteron48");
    const int n = targets + 1;
    Simulation sim(n);
    MemorySystem mem(m, n, sim, 1);
    AddressSpace as;
    for (int i = 0; i < n; ++i) as.cpus_ran.insert(i);
    long long misses = -1;
    for (int i = 1; i < n; ++i)
      sim.spawn(i, [&, i] {
        Core& c = mem.core(i);
        tlb_translate(mem, c, as, 7);
        mem.block(c, CpuState::Idle);
        mem.finish(c);
      });
    sim.spawn(0, [&] {
      Core& c = mem.core(0);
      mem.compute(c, 20000, CpuState::Kernel);
      const ShootdownOptions o{false, false, proto, {}};
      tlb_shootdown(mem, c, as, {7}, o);
      mem.compute(c, 20000, CpuState::Kernel);
      const long long before = mem.dir().counters(0).misses;
      CHECK(tlb_shootdown(mem, c, as, {7}, o) == targets);
      misses = mem.dir().counters(0).misses - before;
      for (int i = 1; i < n; ++i) mem.wake(mem.core(i));
      mem.finish(c);
    });
    sim.run();
    return misses;
  };
  const long long call2 = initiator_misses(ShootdownProtocol::CallFunction, 2);
  const long long call8 = initiator_misses(ShootdownProtocol::CallFunction, 8);
  CHECK(call8 - call2 == 3 * 6);  // per target: the csd store, the queue's cmpxchg, the csd read in the wait
  const long long mask2 = initiator_misses(ShootdownProtocol::FlushCpumask, 2);
  const long long mask8 = initiator_misses(ShootdownProtocol::FlushCpumask, 8);
  CHECK(mask8 - mask2 <= 1);      // the request, the mask, and the mask's re-reads (not one per target)
  CHECK(mask8 < call8);
}
