// The store buffer (x86-TSO): stores retire at the issue cost and drain in
// order; a full buffer stalls; loads of a pending store's line are forwarded;
// fences and atomics wait for the drain, and without a buffer a store waits.
#include <catch2/catch.hpp>

#include "machines.hpp"
#include "models/coherence/memory_system.hpp"

using namespace smpsim;

namespace {

Machine buffered_machine(int entries) {
  Machine m = smpsim::test::tiny_machine();
  m.store_buffer_entries = entries;
  return m;
}

double cell_ns(const Machine& m, Op op, LineState st) { return *m.table.lookup(op, st, Distance::SameDie) / m.freq_ghz; }

}  // namespace

TEST_CASE("a burst of stores costs the issue until the buffer fills, misses overlap, commits are in order, and a "
          "fence waits for the drain",
          "[simgrid][coherence][store_buffer]") {
  constexpr int kEntries = 4, kStores = 5;
  const Machine m = buffered_machine(kEntries);
  Simulation sim(1);
  MemorySystem mem(m, 1, sim, 1);
  std::vector<LineId> lines;
  for (int i = 0; i < kStores; ++i) lines.push_back(mem.add_line("l" + std::to_string(i), 0));
  std::vector<double> after(kStores, -1), committed(kStores, -1);
  double after_fence = -1;
  sim.spawn(0, [&] {
    Core& c = mem.core(0);
    for (int i = 0; i < kStores; ++i) {
      mem.store(c, lines[size_t(i)], 0, 1);
      after[size_t(i)] = mem.now_ns(c);
      committed[size_t(i)] = c.last.done_ns;
    }
    mem.full_barrier(c);
    after_fence = mem.now_ns(c);
    mem.finish(c);
  });
  sim.run();
  const double issue = m.ns(m.l1_cycles), miss = cell_ns(m, Op::Store, LineState::I);  // each line comes from memory
  // Until the buffer is full the CPU pays the issue only, and each line is fetched from its store's issue.
  for (int i = 0; i < kEntries; ++i) {
    CHECK(after[size_t(i)] == Approx((i + 1) * issue));
    CHECK(committed[size_t(i)] == Approx(i * issue + miss));
  }
  // The fifth finds it full: it waits for the oldest store's commit, then issues; its miss starts then.
  CHECK(mem.core(0).counters.store_buffer_full_stalls == 1);
  CHECK(after[kEntries] == Approx(committed[0] + issue));
  CHECK(committed[kEntries] == Approx(committed[0] + miss));
  // The fence ends when the last store has committed, well after its own cost.
  CHECK(after_fence == Approx(committed[kStores - 1]));
  CHECK(after_fence > after[kStores - 1] + m.ns(m.barrier_cycles));
}

TEST_CASE("a store behind a miss commits after it, and a reader of its line sees it only then",
          "[simgrid][coherence][store_buffer]") {
  const Machine m = buffered_machine(8);
  Simulation sim(2);
  MemorySystem mem(m, 2, sim, 1);
  LineId far = mem.add_line("far", 1), mine = mem.add_line("mine", 0);
  double far_commit = -1, mine_commit = -1, seen = -1;
  sim.spawn(0, [&] {
    Core& c = mem.core(0);
    mem.store(c, mine, 0, 0);  // own the line (M), then drain
    mem.wait_store_drain(c);
    mem.store(c, far, 0, 1);  // a miss to the other socket's memory
    far_commit = c.last.done_ns;
    mem.store(c, mine, 0, 7);  // a hit, but in order behind the miss
    mine_commit = c.last.done_ns;
    mem.finish(c);
  });
  sim.spawn(1, [&] {
    Core& c = mem.core(1);
    mem.compute(c, 30);  // 15 ns: after CPU 0's last store's issue, before the far miss commits
    mem.spin_until(c, mine, 0, [](uint64_t v) { return v == 7; });
    seen = sim.now_ns();
  });
  sim.run();
  CHECK(mine_commit == Approx(far_commit));
  CHECK(mine_commit > 15);  // the reader's request came first
  CHECK(seen > mine_commit);
}

TEST_CASE("a load of a pending store's line is forwarded, a load of another line does not wait for the drain",
          "[simgrid][coherence][store_buffer]") {
  const Machine m = buffered_machine(8);
  Simulation sim(1);
  MemorySystem mem(m, 1, sim, 1);
  LineId a = mem.add_line("a", 0), b = mem.add_line("b", 0);
  uint64_t seen = 0;
  double after_forward = -1, after_other = -1, a_drained = -1;
  sim.spawn(0, [&] {
    Core& c = mem.core(0);
    mem.store(c, a, 0, 42);
    a_drained = c.last.done_ns;
    seen = mem.load(c, a, 0);
    after_forward = mem.now_ns(c);
    mem.load(c, b, 0);
    after_other = mem.now_ns(c);
    mem.finish(c);
  });
  sim.run();
  const double issue = m.ns(m.l1_cycles);
  CHECK(seen == 42);
  CHECK(after_forward == Approx(2 * issue));  // the store's issue, then a hit in the buffer
  CHECK(mem.core(0).counters.store_forwards == 1);
  CHECK(after_forward < a_drained);
  // TSO lets the load of b pass the pending store: it costs its own miss from the forward's end.
  CHECK(after_other == Approx(after_forward + cell_ns(m, Op::Load, LineState::I)));
  CHECK(after_other < a_drained + cell_ns(m, Op::Load, LineState::I));
}

TEST_CASE("an atomic waits for the store buffer to drain, and without a buffer a store waits for its line",
          "[simgrid][coherence][store_buffer]") {
  for (int entries : {8, 0}) {
    DYNAMIC_SECTION("store_buffer_entries " << entries) {
      const Machine m = buffered_machine(entries);
      Simulation sim(1);
      MemorySystem mem(m, 1, sim, 1);
      LineId a = mem.add_line("a", 0), b = mem.add_line("b", 0);
      double after_store = -1, after_atomic = -1;
      sim.spawn(0, [&] {
        Core& c = mem.core(0);
        mem.store(c, a, 0, 1);
        after_store = mem.now_ns(c);
        mem.fetch_add(c, b, 0, 1);
        after_atomic = mem.now_ns(c);
        mem.finish(c);
      });
      sim.run();
      const double drain = cell_ns(m, Op::Store, LineState::I);
      CHECK(after_store == Approx(entries > 0 ? m.ns(m.l1_cycles) : drain));
      // Either way the atomic starts once a's store is visible.
      CHECK(after_atomic == Approx(drain + cell_ns(m, Op::Atomic, LineState::I)));
    }
  }
}

TEST_CASE("buffered stores fetch at most line_fill_buffers lines at once", "[simgrid][coherence][store_buffer]") {
  Machine m = buffered_machine(8);
  m.line_fill_buffers = 2;
  Simulation sim(1);
  MemorySystem mem(m, 1, sim, 1);
  std::vector<LineId> lines;
  for (int i = 0; i < 4; ++i) lines.push_back(mem.add_line("l" + std::to_string(i), 0));
  std::vector<double> committed;
  sim.spawn(0, [&] {
    Core& c = mem.core(0);
    for (LineId l : lines) {
      mem.store(c, l, 0, 1);
      committed.push_back(c.last.done_ns);
    }
    mem.finish(c);
  });
  sim.run();
  const double issue = m.ns(m.l1_cycles), miss = cell_ns(m, Op::Store, LineState::I);
  CHECK(committed[0] == Approx(miss));
  CHECK(committed[1] == Approx(issue + miss));  // two fetches in flight
  CHECK(committed[2] == Approx(committed[0] + miss));  // the third waits for the first's fill buffer
  CHECK(committed[3] == Approx(committed[1] + miss));
}
