// lock_micro: every core loops { think a cycles; lock; s cycles; unlock } on
// one shared lock. The classic experiment behind "Non-scalable locks are
// dangerous" (Boyd-Wickizer et al., 2012).
#include <stdexcept>

#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class LockMicro : public Workload {
 public:
  LockMicro(const WorkloadSpec& w, const RunSpec& r) : w_(w), warmup_(r.warmup_acquisitions) {}
  const char* kind() const override { return "lock_micro"; }

  void run_core(Core& c, MemorySystem& mem, KernelDesign& design, OpRecorder& rec) override {
    Lock& lock = design.lock_for("micro", w_.lock);
    const bool exponential = w_.think_dist == "exponential";
    if (warmup_ == 0) rec.warm(mem.now_ns(c));
    for (long long i = 0; i < w_.acquisitions_per_core; ++i) {
      mem.compute(c, exponential ? c.rng.exponential(w_.think_cycles) : w_.think_cycles, CpuState::User);
      lock.acquire(c);
      rec.op_done(mem.now_ns(c));
      mem.compute(c, w_.cs_cycles, CpuState::Kernel);
      lock.release(c);
      if (i + 1 == warmup_) rec.warm(mem.now_ns(c));
    }
    mem.finish(c);
    rec.core_done(mem.now_ns(c));
  }

 private:
  WorkloadSpec w_;
  long long warmup_;
};

}  // namespace

std::unique_ptr<Workload> make_workload(const WorkloadSpec& spec, const RunSpec& run) {
  if (spec.kind == "lock_micro") return std::make_unique<LockMicro>(spec, run);
  throw std::invalid_argument("unknown workload " + spec.kind);
}

}  // namespace smpsim
