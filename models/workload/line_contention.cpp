// line_contention: in every round all active CPUs write one line at (almost)
// the same moment; the home serves them one after another. An op is one
// write; its latency (queueing + transfer) grows with the number of writers.
// Each CPU starts its write after a small random jitter, so the home sees the
// requests in an arbitrary order, as from a real barrier release.
#include "models/workload/round_barrier.hpp"
#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class LineContention : public Workload {
 public:
  long long ops_per_cpu() const override { return rounds_; }
  LineContention(const nlohmann::json& p, int cores)
      : atomic_(p["op"] == "atomic"), rounds_(p["rounds"]), gap_cycles_(p["gap_cycles"]),
        jitter_cycles_(p["jitter_cycles"]), barrier_(cores) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign&, OpRecorder& rec) override {
    if (line_ < 0) line_ = mem.add_line("contended", 0);
    rec.warm(c.id, mem.now_ns(c));
    for (long long r = 0; r < rounds_; ++r) {
      barrier_.arrive_and_wait(c, mem);
      mem.compute(c, gap_cycles_ + jitter_cycles_ * c.rng.uniform01(), CpuState::Kernel);
      const double t0 = mem.now_ns(c);
      if (atomic_) mem.fetch_add(c, line_, 0, 1);
      else {
        mem.store(c, line_, 0, uint64_t(c.id));
        mem.wait_store_drain(c);  // until the write is visible (a store buffer would hide it otherwise)
      }
      rec.op_done(c.id, mem.now_ns(c), t0);
    }
  }

 private:
  bool atomic_;
  long long rounds_;
  double gap_cycles_, jitter_cycles_;
  RoundBarrier barrier_;
  LineId line_ = -1;
};

}  // namespace

WorkloadKind line_contention_kind() {
  return {"line_contention",
          "In rounds, every active CPU writes one shared line at once. op = a write until it is visible (a store "
          "then the store buffer's drain, as a fenced store); its latency is queueing at the line's home plus the "
          "transfer.",
          {{"op", "enum", "", "store", 0, 0, {"store", "atomic"}, "The write."},
           {"rounds", "integer", "", 200, 1, 1e9, {}, "Rounds (each CPU writes once per round)."},
           {"gap_cycles", "number", "cycles", 1000, 0, 1e9, {}, "Work before each write, after the round barrier."},
           {"jitter_cycles", "number", "cycles", 20, 0, 1e9, {},
            "Uniform random delay added to each CPU's write, so requests reach the home in arbitrary order."}},
          [](const nlohmann::json& p, const WorkloadContext& ctx) -> std::unique_ptr<Workload> {
            return std::make_unique<LineContention>(p, ctx.cores);
          }};
}

SMPSIM_REGISTER(WorkloadRegistry, line_contention_kind);

}  // namespace smpsim
