// Locks built on the coherence model: mutual exclusion, FIFO fairness of
// ticket and MCS, and hand-off costs that grow with waiters only for ticket.
#include <catch2/catch.hpp>

#include "machines.hpp"
#include "models/sync/lock.hpp"

using namespace smpsim;

namespace {

struct Outcome {
  long long max_inside = 0;
  long long acquisitions = 0;
  long long contentions = 0;
  double transfers_per_acq = 0;
  std::vector<int> order;
};

Outcome hammer(const std::string& kind, int cores, int rounds) {
  Machine m = smpsim::test::preset("opteron48");
  Simulation sim(cores);
  MemorySystem mem(m, cores, sim, 7);
  std::unique_ptr<Lock> lock = make_lock(kind, "l", mem, 0);
  Outcome o;
  long long inside = 0;
  for (int i = 0; i < cores; ++i)
    sim.spawn(i, [&, i] {
      Core& c = mem.core(i);
      for (int r = 0; r < rounds; ++r) {
        mem.compute(c, c.rng.exponential(200));
        lock->acquire(c);
        o.max_inside = std::max(o.max_inside, ++inside);
        o.order.push_back(i);
        mem.compute(c, 400);
        mem.flush(c);  // let time pass inside the critical section
        --inside;
        lock->release(c);
      }
      mem.finish(c);
    });
  sim.run();
  o.acquisitions = lock->stats().acquisitions;
  o.contentions = lock->stats().contentions;
  o.transfers_per_acq = double(lock->line_transfers()) / double(o.acquisitions);
  return o;
}

}  // namespace

TEST_CASE("ticket: mutual exclusion under contention", "[simgrid][locks]") {
  Outcome o = hammer("ticket", 24, 50);
  CHECK(o.max_inside == 1);
  CHECK(o.acquisitions == 24 * 50);
  CHECK(o.contentions > o.acquisitions / 2);
}

TEST_CASE("mcs: mutual exclusion under contention", "[simgrid][locks]") {
  Outcome o = hammer("mcs", 24, 50);
  CHECK(o.max_inside == 1);
  CHECK(o.acquisitions == 24 * 50);
  CHECK(o.contentions > o.acquisitions / 2);
}

TEST_CASE("ticket hand-offs cost transfers per waiter, MCS hand-offs a constant", "[simgrid][locks]") {
  // Saturated (think 200 cycles << critical section x waiters): the ticket
  // lock's line is re-read by every waiter at every release.
  const double ticket8 = hammer("ticket", 8, 40).transfers_per_acq;
  const double ticket32 = hammer("ticket", 32, 40).transfers_per_acq;
  const double mcs8 = hammer("mcs", 8, 40).transfers_per_acq;
  const double mcs32 = hammer("mcs", 32, 40).transfers_per_acq;
  CHECK(ticket32 > 3 * ticket8);
  CHECK(ticket32 > 20);
  CHECK(mcs32 < 1.5 * mcs8);
  CHECK(mcs32 < 8);
}

TEST_CASE("mcs grants the lock in arrival (FIFO) order once queued", "[simgrid][locks]") {
  // With everyone queued, each round visits every core exactly once.
  Outcome o = hammer("mcs", 6, 20);
  REQUIRE(o.order.size() == 120);
  for (size_t start = 12; start + 6 <= 114; start += 6) {
    std::vector<int> window(o.order.begin() + long(start), o.order.begin() + long(start) + 6);
    std::sort(window.begin(), window.end());
    CHECK(std::adjacent_find(window.begin(), window.end()) == window.end());
  }
}
