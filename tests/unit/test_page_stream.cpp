// Zeroing and copying pages through the memory model (MemorySystem::stream):
// a cold page is line_fill_buffers misses at a time or the controller's
// bandwidth, whichever is slower; a page the CPU freed is zeroed in its cache;
// two CPUs of one die streaming at once share their controller.
#include <catch2/catch.hpp>

#include "machines.hpp"
#include "models/coherence/memory_system.hpp"

using namespace smpsim;

namespace {

Machine stream_machine(double memory_gb_per_s, double private_cache_bytes) {
  nlohmann::json j = smpsim::test::tiny_machine_json();
  j["memory_gb_per_s"] = memory_gb_per_s;
  j["line_fill_buffers"] = 8;
  j["private_cache_bytes"] = private_cache_bytes;
  static const std::string file = "<test>";
  return parse_machine(j, "/machine", file);
}

// Each CPU zeroes (or copies) `bytes` once, all starting at time 0; returns the time each took.
std::vector<double> stream_all(const Machine& m, int cpus, double bytes, bool copy, bool free_first = false) {
  Simulation sim(cpus);
  MemorySystem mem(m, cpus, sim, 1);
  std::vector<double> took(size_t(cpus), -1);
  for (int i = 0; i < cpus; ++i)
    sim.spawn(i, [&, i] {
      Core& c = mem.core(i);
      if (free_first) mem.page_freed_hot(c);
      const double t0 = mem.now_ns(c);
      mem.stream(c, bytes, copy);
      took[size_t(i)] = mem.now_ns(c) - t0;
      mem.finish(c);
    });
  sim.run();
  return took;
}

double local_ns(const Machine& m, Op op) { return *m.table.lookup(op, LineState::I, Distance::SameDie) / m.freq_ghz; }

}  // namespace

TEST_CASE("a cold page zeroing is its misses, line_fill_buffers at a time, unless the controller is slower",
          "[simgrid][memory][stream]") {
  // Fast memory: the CPU's misses bound it (64 lines, 8 in flight: 8 rounds of a store miss).
  const Machine fast = stream_machine(1000, 0);
  CHECK(stream_all(fast, 1, 4096, false)[0] == Approx(8 * local_ns(fast, Op::Store)));
  // A copy reads the source too: each round is a load miss and a store miss.
  CHECK(stream_all(fast, 1, 4096, true)[0] == Approx(8 * (local_ns(fast, Op::Store) + local_ns(fast, Op::Load))));
  // Slow memory: 8 KiB at the controller (the reads for ownership and the write-back) at 1 GB/s = 8192 ns.
  const Machine slow = stream_machine(1, 0);
  CHECK(stream_all(slow, 1, 4096, false)[0] == Approx(8192));
}

TEST_CASE("two CPUs of one die zeroing at once share its controller, and a page the CPU freed is zeroed in its cache",
          "[simgrid][memory][stream]") {
  const Machine slow = stream_machine(1, 0);
  const std::vector<double> two = stream_all(slow, 2, 4096, false);  // CPUs 0 and 1: one die
  CHECK(std::min(two[0], two[1]) == Approx(8192));
  CHECK(std::max(two[0], two[1]) == Approx(2 * 8192));  // the second waits for the first's bytes
  // A hot freed page: 64 lines at l1_cycles (1 cycle at 2 GHz), no controller; without a private cache it
  // does not stay hot.
  const Machine cached = stream_machine(1, 1 << 20);
  CHECK(stream_all(cached, 2, 4096, false, true)[1] == Approx(64 * 0.5));
  CHECK(stream_all(slow, 1, 4096, false, true)[0] == Approx(8192));
}
