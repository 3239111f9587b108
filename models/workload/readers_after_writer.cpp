// readers_after_writer: in every round CPU 0 writes a line, then every other
// active CPU reads it at (almost) the same moment. An op is one read; its
// latency shows how the home (or an inclusive LLC) answers a crowd of readers.
#include "models/workload/round_barrier.hpp"
#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class ReadersAfterWriter : public Workload {
 public:
  long long ops_per_cpu() const override { return rounds_; }
  ReadersAfterWriter(const nlohmann::json& p, int cores)
      : rounds_(p["rounds"]), gap_cycles_(p["gap_cycles"]), jitter_cycles_(p["jitter_cycles"]), barrier_(cores) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign&, OpRecorder& rec) override {
    if (line_ < 0) line_ = mem.add_line("published", 0);
    rec.warm(c.id, mem.now_ns(c));
    for (long long r = 0; r < rounds_; ++r) {
      barrier_.arrive_and_wait(c, mem);
      if (c.id == 0) mem.store(c, line_, 0, uint64_t(r + 1));
      barrier_.arrive_and_wait(c, mem);
      if (c.id != 0) {
        mem.compute(c, gap_cycles_ + jitter_cycles_ * c.rng.uniform01(), CpuState::Kernel);
        const double t0 = mem.now_ns(c);
        mem.load(c, line_, 0);
        rec.op_done(c.id, mem.now_ns(c), t0);
      }
    }
  }

 private:
  long long rounds_;
  double gap_cycles_, jitter_cycles_;
  RoundBarrier barrier_;
  LineId line_ = -1;
};

}  // namespace

WorkloadKind readers_after_writer_kind() {
  return {"readers_after_writer",
          "In rounds, CPU 0 writes a line, then every other active CPU reads it at once. op = a read.",
          {{"rounds", "integer", "", 200, 1, 1e9, {}, "Rounds."},
           {"gap_cycles", "number", "cycles", 100, 0, 1e9, {}, "Work before each read, after the write."},
           {"jitter_cycles", "number", "cycles", 20, 0, 1e9, {},
            "Uniform random delay added to each read, so requests reach the home in arbitrary order."}},
          [](const nlohmann::json& p, const WorkloadContext& ctx) -> std::unique_ptr<Workload> {
            if (ctx.cores < 2) throw ParamError("rounds", "needs at least 2 cores (a writer and a reader)");
            return std::make_unique<ReadersAfterWriter>(p, ctx.cores);
          }};
}

SMPSIM_REGISTER(WorkloadRegistry, readers_after_writer_kind);

}  // namespace smpsim
