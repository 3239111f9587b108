// rwlock, seqlock and RCU: who waits for whom.
#include <catch2/catch.hpp>

#include "machines.hpp"
#include "models/sync/counters.hpp"
#include "models/sync/read_mostly.hpp"

using namespace smpsim;

TEST_CASE("RCU: readers never wait, a grace period ends only after every CPU passed a quiescent state",
          "[simgrid][rcu]") {
  Machine m = smpsim::test::preset("opteron48");
  Simulation sim(3);
  MemorySystem mem(m, 3, sim, 1);
  std::unique_ptr<ReadMostly> rcu;
  double reader_left = -1, sync_done = -1, reader_in = -1, reader_started = -1;
  sim.spawn(1, [&] {  // a long reader, entering the kernel at 1,000 cycles
    Core& c = mem.core(1);
    mem.compute(c, 1000, CpuState::User);
    rcu->exit_quiescent(c);
    reader_started = mem.now_ns(c);
    rcu->read(c, [&] {
      reader_in = mem.now_ns(c);
      mem.compute(c, 30000, CpuState::Kernel);
    });
    rcu->enter_quiescent(c);
    reader_left = mem.now_ns(c);
    mem.finish(c);
  });
  sim.spawn(2, [&] {  // a CPU that stays in user mode: quiescent throughout
    Core& c = mem.core(2);
    mem.compute(c, 50000, CpuState::User);
    mem.finish(c);
  });
  sim.spawn(0, [&] {  // the writer starts while the reader is inside
    Core& c = mem.core(0);
    mem.compute(c, 5000, CpuState::User);
    rcu->exit_quiescent(c);
    rcu->write(c, [&] { mem.compute(c, 100, CpuState::Kernel); });
    sync_done = mem.now_ns(c);
    rcu->enter_quiescent(c);
    mem.finish(c);
  });
  rcu = make_read_mostly("rcu", "x", mem);
  sim.run();
  CHECK(reader_in - reader_started < m.ns(10));  // rcu_read_lock is local: no waiting
  CHECK(mem.core(1).time[CpuState::Spin] == 0);
  CHECK(rcu->stats().read_wait_ns == 0);
  CHECK(sync_done > reader_left);                 // waited for the reader's quiescent state
  CHECK(sync_done < reader_left + m.ns(2000));    // and not for CPU 2, in user mode
  CHECK(rcu->stats().grace_periods == 1);
}

TEST_CASE("seqlock: a read that overlaps a write retries and a writer never waits for readers", "[simgrid][seqlock]") {
  Machine m = smpsim::test::preset("opteron48");
  Simulation sim(2);
  MemorySystem mem(m, 2, sim, 1);
  std::unique_ptr<ReadMostly> seq;
  int bodies = 0;
  double write_wait = -1;
  sim.spawn(1, [&] {
    Core& c = mem.core(1);
    seq->read(c, [&] {
      ++bodies;
      mem.compute(c, 20000, CpuState::Kernel);  // long: the write lands in the middle
    });
    mem.finish(c);
  });
  sim.spawn(0, [&] {
    Core& c = mem.core(0);
    mem.compute(c, 5000, CpuState::Kernel);
    const double t0 = mem.now_ns(c);
    seq->write(c, [&] { mem.compute(c, 100, CpuState::Kernel); });
    write_wait = mem.now_ns(c) - t0;
    mem.finish(c);
  });
  seq = make_read_mostly("seqlock", "x", mem);
  sim.run();
  CHECK(bodies == 2);
  CHECK(seq->stats().read_retries == 1);
  CHECK(write_wait < m.ns(3000));
}

TEST_CASE("rwlock: readers share, a writer excludes them", "[simgrid][rwlock]") {
  Machine m = smpsim::test::preset("opteron48");
  const int n = 8;
  Simulation sim(n);
  MemorySystem mem(m, n, sim, 3);
  std::unique_ptr<ReadMostly> rw;
  int readers_in = 0, writers_in = 0, max_readers = 0;
  bool violated = false;
  for (int i = 0; i < n; ++i)
    sim.spawn(i, [&, i] {
      Core& c = mem.core(i);
      for (int k = 0; k < 60; ++k) {
        mem.compute(c, c.rng.exponential(300), CpuState::User);
        if (c.rng.uniform01() < 0.2) {
          rw->write(c, [&] {
            violated |= readers_in > 0 || writers_in > 0;
            ++writers_in;
            mem.compute(c, 300, CpuState::Kernel);
            mem.flush(c);
            --writers_in;
          });
        } else {
          rw->read(c, [&] {
            violated |= writers_in > 0;
            max_readers = std::max(max_readers, ++readers_in);
            mem.compute(c, 300, CpuState::Kernel);
            mem.flush(c);
            --readers_in;
          });
        }
      }
      mem.finish(c);
      (void)i;
    });
  rw = make_read_mostly("rwlock", "x", mem);
  sim.run();
  CHECK_FALSE(violated);
  CHECK(max_readers > 1);
  CHECK(rw->stats().writes > 0);
}

TEST_CASE("counters: every increment counts, sloppy reads lag by at most the threshold per CPU", "[simgrid][counters]") {
  for (const std::string kind : {"atomic", "percpu", "sloppy"}) {
    Machine m = smpsim::test::preset("opteron48");
    const int n = 6;
    Simulation sim(n);
    MemorySystem mem(m, n, sim, 1);
    std::unique_ptr<Counter> ctr = make_counter(kind, "c", mem, 16);
    int64_t final_read = -1;
    int done = 0;
    for (int i = 0; i < n; ++i)
      sim.spawn(i, [&, i] {
        Core& c = mem.core(i);
        for (int k = 0; k < 100; ++k) {
          mem.compute(c, 50, CpuState::Kernel);
          ctr->add(c, 1);
        }
        if (++done == n) final_read = ctr->read(c);
        mem.finish(c);
        (void)i;
      });
    sim.run();
    CAPTURE(kind);
    if (kind == "sloppy") {
      CHECK(final_read <= 600);
      CHECK(final_read >= 600 - n * 16);
    } else {
      CHECK(final_read == 600);
    }
  }
}

TEST_CASE("rwsem: readers share, a writer excludes them, and a writer is not starved by a stream of readers",
          "[simgrid][rwsem]") {
  Machine m = smpsim::test::preset("opteron48");
  const int n = 9;
  Simulation sim(n);
  MemorySystem mem(m, n, sim, 5);
  std::unique_ptr<ReadMostly> sem;
  int readers_in = 0, writers_in = 0, max_readers = 0;
  bool violated = false;
  double writer_wait = -1, reads_done_at = 0;
  for (int i = 1; i < n; ++i)  // readers back to back, overlapping: never a moment without one
    sim.spawn(i, [&, i] {
      Core& c = mem.core(i);
      mem.compute(c, 100 * i, CpuState::User);
      for (int k = 0; k < 40; ++k) {
        sem->read(c, [&] {
          violated |= writers_in > 0;
          max_readers = std::max(max_readers, ++readers_in);
          mem.compute(c, 2000, CpuState::Kernel);
          mem.flush(c);
          --readers_in;
        });
        mem.compute(c, 50, CpuState::User);
      }
      reads_done_at = std::max(reads_done_at, mem.now_ns(c));
      mem.finish(c);
    });
  sim.spawn(0, [&] {
    Core& c = mem.core(0);
    mem.compute(c, 10000, CpuState::User);
    const double t0 = mem.now_ns(c);
    sem->write(c, [&] {
      violated |= readers_in > 0 || writers_in > 0;
      ++writers_in;
      mem.compute(c, 1000, CpuState::Kernel);
      mem.flush(c);
      --writers_in;
    });
    writer_wait = mem.now_ns(c) - t0;
    mem.finish(c);
  });
  sem = make_read_mostly("rwsem", "mmap_sem", mem);
  sim.run();
  CHECK_FALSE(violated);
  CHECK(max_readers > 4);
  REQUIRE(writer_wait > 0);
  // The writer queues, new readers queue behind it, the readers inside drain:
  // it waits for them, the readers queued for wait_lock and a wake-up, not for
  // the stream of readers (40 sections each).
  CHECK(writer_wait < 0.25 * reads_done_at);
  CHECK(mem.core(0).done_at_ns < 0.5 * reads_done_at);
}

TEST_CASE("mutex: a waiter that spins past its budget sleeps and is woken by the release", "[simgrid][mutex]") {
  Machine m = smpsim::test::preset("opteron48");
  Simulation sim(2);
  MemorySystem mem(m, 2, sim, 1);
  std::unique_ptr<Lock> mtx = make_lock("mutex", "m", mem, 0);
  double got_at = -1, released_at = -1;
  sim.spawn(0, [&] {
    Core& c = mem.core(0);
    mtx->acquire(c);
    mem.compute(c, 100000, CpuState::Kernel);  // far longer than the spin budget
    released_at = mem.now_ns(c);
    mtx->release(c);
    mem.finish(c);
  });
  sim.spawn(1, [&] {
    Core& c = mem.core(1);
    mem.compute(c, 1000, CpuState::Kernel);
    mtx->acquire(c);
    got_at = mem.now_ns(c);
    mtx->release(c);
    mem.finish(c);
  });
  sim.run();
  const Core& w = mem.core(1);
  CHECK(got_at > released_at);
  CHECK(w.time[CpuState::Blocked] > m.ns(50000));  // slept
  CHECK(w.time[CpuState::Spin] >= m.ns(19000));    // after spinning its budget
  CHECK(w.counters.ipis_received == 1);             // the wake-up's reschedule IPI
  CHECK(got_at - released_at > m.ns(m.sched_wakeup_cycles + m.context_switch_cycles));
  CHECK(w.time.total() == Approx(w.done_at_ns));
}
