// Shared memory on the event engine: costs become simulated time exactly,
// simultaneous writers queue, spinners wake on the write they wait for.
#include <catch2/catch.hpp>

#include "machines.hpp"
#include "models/coherence/memory_system.hpp"

using namespace smpsim;

TEST_CASE("N cores storing to one line at once finish one transfer apart", "[simgrid][coherence]") {
  Machine m = smpsim::test::tiny_machine();
  Simulation sim(4);
  MemorySystem mem(m, 4, sim, 1);
  LineId l = mem.add_line("hot", 0);
  std::vector<double> done(4, -1);
  for (int i = 0; i < 4; ++i)
    sim.spawn(i, [&, i] {
      mem.store(mem.core(i), l, 0, i + 1);
      done[i] = sim.now_ns();
    });
  sim.run();
  std::vector<double> sorted = done;
  std::sort(sorted.begin(), sorted.end());
  // Core 0 misses to memory (load I, same die), then each store takes the M
  // line from the previous writer, served one after another by the home.
  double t = 0;
  int prev = -1;
  std::vector<int> order(4);
  for (int k = 0; k < 4; ++k) order[k] = int(std::find(done.begin(), done.end(), sorted[k]) - done.begin());
  for (int k = 0; k < 4; ++k) {
    const int c = order[k];
    const double cycles = prev < 0 ? *m.table.lookup(Op::Store, LineState::I, Distance::SameDie)
                                   : *m.table.lookup(Op::Store, LineState::M, m.topo.core_distance(c, prev));
    t += cycles / m.freq_ghz;
    CHECK(sorted[k] == Approx(t).epsilon(1e-12));
    prev = c;
  }
  CHECK(sorted[3] > sorted[0] * 3);  // serialized, not parallel
}

TEST_CASE("a sub-nanosecond cost is not rounded away", "[simgrid][time]") {
  nlohmann::json mj = smpsim::test::tiny_machine_json();
  mj["l1_cycles"] = 1;  // 0.5 ns at 2 GHz
  static const std::string file = "<test>";
  Machine m = parse_machine(mj, "/machine", file);
  Simulation sim(1);
  MemorySystem mem(m, 1, sim, 1);
  LineId l = mem.add_line("x", 0);
  double after_miss = 0, after_hits = 0;
  sim.spawn(0, [&] {
    Core& c = mem.core(0);
    mem.load(c, l, 0);  // miss
    after_miss = sim.now_ns();
    for (int i = 0; i < 3; ++i) mem.load(c, l, 0);  // 3 hits of 0.5 ns
    mem.compute(c, 1);                              // 0.5 ns
    mem.finish(c);
    after_hits = sim.now_ns();
  });
  sim.run();
  CHECK(after_hits - after_miss == Approx(2.0).epsilon(1e-9));
  CHECK(mem.core(0).time[CpuState::Kernel] == Approx(0.5));
  CHECK(mem.core(0).time[CpuState::Stall] == Approx(after_miss + 1.5));
}

TEST_CASE("a spinner wakes when the awaited value is written, and pays a re-read", "[simgrid][spin]") {
  Machine m = smpsim::test::tiny_machine();
  Simulation sim(2);
  MemorySystem mem(m, 2, sim, 1);
  LineId flag = mem.add_line("flag", 0);
  double woke = -1, wrote = -1;
  uint64_t seen = 0;
  sim.spawn(0, [&] {
    seen = mem.spin_until(mem.core(0), flag, 0, [](uint64_t v) { return v == 2; });
    woke = sim.now_ns();
    mem.finish(mem.core(0));
  });
  sim.spawn(1, [&] {
    Core& c = mem.core(1);
    mem.compute(c, 2000);  // 1000 ns
    mem.store(c, flag, 0, 1);  // not what core 0 waits for
    mem.compute(c, 2000);
    mem.store(c, flag, 0, 2);
    wrote = sim.now_ns();
    mem.finish(c);
  });
  sim.run();
  CHECK(seen == 2);
  REQUIRE(wrote > 2000);
  // The wake-up comes one load of an M line (from core 1, on the same die) after the write.
  REQUIRE(m.topo.core_distance(0, 1) == Distance::SameDie);
  const double reread_ns = *m.table.lookup(Op::Load, LineState::M, Distance::SameDie) / m.freq_ghz;
  CHECK(woke == Approx(wrote + reread_ns));
  // compute + stall + spin adds up to the finish time.
  const CoreTime& t = mem.core(0).time;
  CHECK(t.total() == Approx(mem.core(0).done_at_ns));
  CHECK(t[CpuState::Spin] > 0);
}

TEST_CASE("posted stores drain in order while the CPU goes on and a poller sees each at its completion",
          "[simgrid][coherence][messages]") {
  Machine m = smpsim::test::tiny_machine();
  m.store_buffer_entries = 8;  // a message send is a store into the store buffer
  Simulation sim(3);
  MemorySystem mem(m, 3, sim, 1);
  LineId a = mem.add_line("chan_a", 0), b = mem.add_line("chan_b", 0);
  double sender_free = -1, seen_a = -1, seen_b = -1, a_done = -1, b_done = -1, b_issue = -1;
  LineState b_prev = LineState::I;
  // The issue cost is below a's transfer, so b's issue comes before a's completion.
  constexpr double kIssueCycles = 4;
  sim.spawn(0, [&] {
    Core& c = mem.core(0);
    mem.compute(c, 2000);  // 1000 ns: both receivers are polling by then
    mem.finish(c);
    const double t0 = sim.now_ns();
    mem.post_store(c, a, 0, 1, kIssueCycles);
    a_done = c.last.done_ns;
    mem.post_store(c, b, 0, 1, kIssueCycles);
    b_issue = c.last.request_ns;
    b_done = c.last.done_ns;
    b_prev = c.last.prev;
    mem.finish(c);
    sender_free = sim.now_ns() - t0;
  });
  sim.spawn(1, [&] {
    mem.spin_until(mem.core(1), a, 0, [](uint64_t v) { return v == 1; });
    seen_a = sim.now_ns();
  });
  sim.spawn(2, [&] {
    mem.spin_until(mem.core(2), b, 0, [](uint64_t v) { return v == 1; });
    seen_b = sim.now_ns();
  });
  sim.run();
  CHECK(sender_free == Approx(2 * kIssueCycles / m.freq_ghz));  // the sender paid the two issues only
  CHECK(b_done > a_done);
  // b's line is fetched from its issue (overlapping a's) and b commits after a (in order)
  CHECK(b_prev == LineState::E);  // the poller's read found it in memory
  const double b_fetched = b_issue + *m.table.lookup(Op::Store, b_prev, m.topo.core_distance(0, 2)) / m.freq_ghz;
  CHECK(b_done == Approx(std::max(b_fetched, a_done)));
  CHECK(b_issue < a_done);
  // each poller re-reads after the store completes
  CHECK(seen_a > a_done);
  CHECK(seen_b > b_done);
}

TEST_CASE("polling several lines at once waits for the last, not for a sum of reads", "[simgrid][spin]") {
  Machine m = smpsim::test::tiny_machine();
  Simulation sim(4);
  MemorySystem mem(m, 4, sim, 1);
  std::vector<LineId> replies = {mem.add_line("r1", 0), mem.add_line("r2", 0), mem.add_line("r3", 0)};
  double done_all = -1, last_store = -1;
  sim.spawn(0, [&] {
    mem.spin_until_all(mem.core(0), replies, 0, [](uint64_t v) { return v == 7; });
    done_all = sim.now_ns();
  });
  for (int i = 1; i <= 3; ++i)
    sim.spawn(i, [&, i] {
      Core& c = mem.core(i);
      mem.compute(c, 1000.0 * i);  // replies at 500, 1000, 1500 ns
      mem.store(c, replies[size_t(i - 1)], 0, 7);
      last_store = std::max(last_store, sim.now_ns());
      mem.finish(c);
    });
  sim.run();
  // the last reply's store, then one re-read of it (the others were read meanwhile)
  const double reread_ns = *m.table.lookup(Op::Load, LineState::M, m.topo.core_distance(0, 3)) / m.freq_ghz;
  CHECK(done_all == Approx(last_store + reread_ns));
  CHECK(mem.core(0).time[CpuState::Spin] == Approx(done_all));
}
