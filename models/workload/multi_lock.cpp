// multi_lock: lock_micro over N locks. Every CPU loops { think; pick a lock; lock; critical section;
// unlock }, picking uniformly (skew 0) or by a Zipf law of exponent `skew` (lock 0 the most popular), the
// locks' lines homed on one die or spread round-robin over the dies. The experiment between one global lock
// and per-object locks: a hash table's bucket locks, the dentry locks of a directory tree, per-inode locks
// with a hot directory. An op is an acquisition; its latency is the lock's wait.
#include "models/workload/harness_loop.hpp"
#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class MultiLock : public Workload {
 public:
  long long ops_per_cpu() const override { return acquisitions_; }
  MultiLock(const nlohmann::json& p, const WorkloadContext& ctx)
      : think_cycles_(p["think_cycles"]), loop_cycles_(p["loop_cycles"]), cs_cycles_(p["cs_cycles"]),
        lock_kind_(p["lock"]), locks_(p["locks"]), cs_lines_(p["cs_lines"]), spread_(p["home"] == "spread"),
        acquisitions_(p["acquisitions_per_core"]), dies_(ctx.machine.topo.dies()) {
    // Zipf: lock r drawn with probability proportional to 1 / (r + 1)^skew (skew 0: uniform).
    const double skew = p["skew"];
    double total = 0;
    for (int r = 0; r < locks_; ++r) cdf_.push_back(total += std::pow(double(r + 1), -skew));
    for (double& x : cdf_) x /= total;
    cdf_.back() = 1.0;
  }

  void run_core(Core& c, MemorySystem& mem, KernelDesign& design, OpRecorder& rec) override {
    if (locks_by_index_.empty())
      for (int i = 0; i < locks_; ++i) {
        const int home = spread_ ? i % dies_ : 0;
        locks_by_index_.push_back(&design.lock_for("lock" + std::to_string(i), lock_kind_, home));
        std::vector<LineId> lines;
        for (int l = 0; l < cs_lines_; ++l)
          lines.push_back(mem.add_line("lock" + std::to_string(i) + ".data" + std::to_string(l), home));
        data_.push_back(std::move(lines));
      }
    rec.warm(c.id, mem.now_ns(c));
    for (long long i = 0; i < acquisitions_; ++i) {
      mem.compute(c, loop_cycles_ + c.rng.exponential(think_cycles_), CpuState::User);
      const size_t k = size_t(std::lower_bound(cdf_.begin(), cdf_.end(), c.rng.uniform01()) - cdf_.begin());
      Lock& lock = *locks_by_index_[k];
      const double t0 = mem.now_ns(c);
      lock.acquire(c);
      rec.op_done(c.id, mem.now_ns(c), t0);
      mem.compute(c, cs_cycles_, CpuState::Kernel);
      for (LineId d : data_[k]) mem.store(c, d, 0, uint64_t(i));
      lock.release(c);
    }
  }

 private:
  double think_cycles_, loop_cycles_, cs_cycles_;
  std::string lock_kind_;
  int locks_, cs_lines_;
  bool spread_;
  long long acquisitions_;
  int dies_;
  std::vector<double> cdf_;  // by lock index
  std::vector<Lock*> locks_by_index_;
  std::vector<std::vector<LineId>> data_;  // by lock index
};

}  // namespace

WorkloadKind multi_lock_kind() {
  return {"multi_lock",
          "Every CPU loops { think; pick one of N locks (uniform or Zipf-skewed); lock; critical section; "
          "unlock }. op = an acquisition; its latency is the lock's wait.",
          {{"lock", "enum", "", nullptr, 0, 0, lock_kinds(),
            "Lock algorithm (smpsim describe lock); a _irqsave suffix keeps interrupts off while held."},
           {"locks", "integer", "", nullptr, 1, 4096, {}, "Number of locks (each its own line)."},
           {"skew", "number", "", 0, 0, 10, {},
            "Zipf exponent of the choice: lock r is picked with probability proportional to 1/(r+1)^skew "
            "(0: uniform; 1: the classic Zipf law, lock 0 the hottest)."},
           {"home", "enum", "", "spread", 0, 0, {"spread", "node0"},
            "Where the locks' lines (and their data) live: spread, lock i on die i mod dies; node0, all on die 0."},
           {"think_cycles", "number", "cycles", nullptr, 0, 1e12, {}, "Mean user time between a release and the next acquire (exponential)."},
           loop_cycles_param(),
           {"cs_cycles", "number", "cycles", nullptr, 0, 1e12, {}, "Cycles in the critical section (kernel time)."},
           {"cs_lines", "integer", "", 0, 0, 64, {},
            "Cache lines of the lock's data the critical section writes, after its cycles (homed with the lock)."},
           {"acquisitions_per_core", "integer", "", nullptr, 1, 1e9, {}, "Acquisitions each CPU makes (warm-up included)."}},
          [](const nlohmann::json& p, const WorkloadContext& ctx) -> std::unique_ptr<Workload> {
            return std::make_unique<MultiLock>(p, ctx);
          }};
}

SMPSIM_REGISTER(WorkloadRegistry, multi_lock_kind);

}  // namespace smpsim
