// OpRecorder folds ops into running sums as the CPUs' clocks allow: the same window, op count and mean
// latency as keeping every op, with the kept ops bounded by what the clocks cannot yet classify.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "models/workload/op_recorder.hpp"

using smpsim::OpRecorder;

namespace {

struct Ref {  // keeps every op, as OpRecorder did before it streamed
  struct Op {
    double end, lat;
  };
  std::vector<Op> ops;
};

// Drives `cores` CPUs through `ops_per_cpu` ops each in host order that interleaves them at random (a CPU may
// run ahead of others, as with private work), each CPU's ops ending in increasing time; CPU `idle_cpu` (if
// >= 0) makes no ops and finishes last. Returns (recorder, reference) after the run.
void drive(bool until_all, long long warmup, int cores, int ops_per_cpu, int idle_cpu, bool own_warm,
           unsigned seed, size_t* max_pending) {
  OpRecorder rec(cores, until_all, own_warm ? 0 : warmup);
  std::vector<double> clock(size_t(cores), 0.0);
  rec.set_clock([&clock](int i) { return clock[size_t(i)]; });
  Ref ref;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> dt(1.0, 100.0);
  std::vector<int> left(size_t(cores), ops_per_cpu);
  if (idle_cpu >= 0) left[size_t(idle_cpu)] = 0;
  std::vector<bool> done(size_t(cores), false);
  for (int i = 0; i < cores; ++i)
    if (!own_warm || i == idle_cpu) rec.warm(i, 0.0);
  std::vector<long long> made(size_t(cores), 0);
  int running = cores;
  *max_pending = 0;
  while (running > (idle_cpu >= 0 ? 1 : 0)) {
    const int i = int(rng() % unsigned(cores));
    if (done[size_t(i)] || i == idle_cpu) continue;
    if (left[size_t(i)] == 0) {
      rec.core_done(i, clock[size_t(i)]);
      done[size_t(i)] = true;
      --running;
      continue;
    }
    const double start = clock[size_t(i)];
    clock[size_t(i)] += dt(rng);
    rec.op_done(i, clock[size_t(i)], start);
    ref.ops.push_back({clock[size_t(i)], clock[size_t(i)] - start});
    --left[size_t(i)];
    if (own_warm && ++made[size_t(i)] == warmup) rec.warm(i, clock[size_t(i)]);
    *max_pending = std::max(*max_pending, rec.pending_ops());
  }
  if (idle_cpu >= 0) {
    double last = 0;
    for (double c : clock) last = std::max(last, c);
    clock[size_t(idle_cpu)] = last + 1;
    rec.core_done(idle_cpu, last + 1);
  }
  // the reference: every op by its end time against the final window
  const double a = rec.window_start_ns(), b = rec.window_end_ns();
  REQUIRE(rec.window_valid());
  long long n = 0;
  double sum = 0;
  for (const auto& o : ref.ops)
    if (o.end > a && o.end <= b) ++n, sum += o.lat;
  CHECK(rec.ops() == (long long)ref.ops.size());
  CHECK(rec.window_ops() == n);
  CHECK(rec.mean_latency_ns() == Approx(sum / double(n)).epsilon(1e-12));
}

}  // namespace

TEST_CASE("OpRecorder streams ops: the same window, count and mean as keeping every op, in bounded memory") {
  size_t pending = 0;
  for (unsigned seed = 1; seed <= 3; ++seed) {
    SECTION("until the first CPU is done, warm-up ops, seed " + std::to_string(seed)) {
      drive(false, 50, 8, 20000, -1, false, seed, &pending);
      CHECK(pending < 20000);  // not every op of 160,000
    }
    SECTION("until the last CPU is done, seed " + std::to_string(seed)) {
      drive(true, 50, 8, 20000, -1, false, seed, &pending);
      CHECK(pending < 20000);
    }
    SECTION("a workload's own warm points and a CPU that makes no ops, seed " + std::to_string(seed)) {
      drive(false, 100, 6, 20000, 5, true, seed, &pending);
    }
  }
}

TEST_CASE("OpRecorder without a clock keeps every op and still measures exactly") {
  OpRecorder rec(2, false, 1);
  rec.warm(0, 0);
  rec.warm(1, 0);
  rec.op_done(0, 10, 0);  // warm-up
  rec.op_done(1, 12, 0);  // warm-up: the window starts at 12
  rec.op_done(0, 20, 10);
  rec.op_done(1, 30, 12);
  rec.op_done(0, 40, 20);
  rec.core_done(0, 40);  // the window ends at 40
  rec.op_done(1, 50, 30);
  rec.core_done(1, 50);
  CHECK(rec.window_start_ns() == 12);
  CHECK(rec.window_end_ns() == 40);
  CHECK(rec.window_ops() == 3);
  CHECK(rec.mean_latency_ns() == Approx((10.0 + 18 + 20) / 3));
  CHECK(rec.ops() == 6);
  CHECK_THROWS_AS(rec.warm(0, 60), std::logic_error);
}
