// lock_micro: every CPU loops { think a cycles; lock; s cycles; unlock } on
// one shared lock. The classic experiment behind "Non-scalable locks are
// dangerous" (Boyd-Wickizer et al., 2012). An op is an acquisition; its
// latency is the lock's wait time.
#include "models/workload/harness_loop.hpp"
#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class LockMicro : public Workload {
 public:
  long long ops_per_cpu() const override { return acquisitions_; }
  bool counts_own_warmup() const override { return true; }
  LockMicro(const nlohmann::json& p, const WorkloadContext& ctx)
      : think_cycles_(p["think_cycles"]), exponential_(p["think"] == "exponential"), loop_cycles_(p["loop_cycles"]),
        cs_cycles_(p["cs_cycles"]),
        lock_kind_(p["lock"]), cs_lines_(p["cs_lines"]), acquisitions_(p["acquisitions_per_core"]),
        warmup_(ctx.warmup_ops) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign& design, OpRecorder& rec) override {
    Lock& lock = design.lock_for("micro", lock_kind_);
    if (data_.empty())  // the data the lock protects, homed on node 0
      for (int i = 0; i < cs_lines_; ++i) data_.push_back(mem.add_line("micro.data" + std::to_string(i), 0));
    if (warmup_ == 0) rec.warm(c.id, mem.now_ns(c));
    for (long long i = 0; i < acquisitions_; ++i) {
      mem.compute(c, loop_cycles_ + (exponential_ ? c.rng.exponential(think_cycles_) : think_cycles_),
                  CpuState::User);
      const double t0 = mem.now_ns(c);
      lock.acquire(c);
      rec.op_done(c.id, mem.now_ns(c), t0);
      mem.compute(c, cs_cycles_, CpuState::Kernel);
      for (LineId d : data_) mem.store(c, d, 0, uint64_t(i));
      lock.release(c);
      if (i + 1 == warmup_) rec.warm(c.id, mem.now_ns(c));
    }
  }

 private:
  double think_cycles_;
  bool exponential_;
  double loop_cycles_, cs_cycles_;
  std::string lock_kind_;
  int cs_lines_;
  long long acquisitions_, warmup_;
  std::vector<LineId> data_;
};

}  // namespace

WorkloadKind lock_micro_kind() {
  return {"lock_micro",
          "Every CPU loops { think; lock; critical section; unlock } on one lock. op = an acquisition; its latency "
          "is the lock's wait.",
          {{"think_cycles", "number", "cycles", nullptr, 0, 1e12, {}, "`a`: mean cycles between a release and the next acquire (user time)."},
           {"think", "enum", "", "exponential", 0, 0, {"exponential", "fixed"}, "Distribution of the think time."},
           loop_cycles_param(),
           {"cs_cycles", "number", "cycles", nullptr, 0, 1e12, {}, "`s`: cycles in the critical section (kernel time)."},
           {"lock", "enum", "", nullptr, 0, 0, lock_kinds(),
            "Lock algorithm (smpsim describe lock); a _irqsave suffix keeps interrupts off while held."},
           {"cs_lines", "integer", "", 0, 0, 64, {},
            "Shared cache lines the critical section writes (the data the lock protects), after its cycles."},
           {"acquisitions_per_core", "integer", "", nullptr, 1, 1e9, {}, "Acquisitions each CPU makes (warm-up included)."}},
          [](const nlohmann::json& p, const WorkloadContext& ctx) -> std::unique_ptr<Workload> {
            if (ctx.warmup_ops >= p["acquisitions_per_core"].get<long long>())
              throw ParamError("acquisitions_per_core", "expected more acquisitions than /run/warmup_ops (" +
                                                            std::to_string(ctx.warmup_ops) + ")");
            return std::make_unique<LockMicro>(p, ctx);
          }};
}

SMPSIM_REGISTER(WorkloadRegistry, lock_micro_kind);

}  // namespace smpsim
