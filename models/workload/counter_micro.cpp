// counter_micro: every CPU loops { think; increment a shared counter }, and
// reads it every read_every increments. An op is an increment (or a read).
#include "models/sync/counters.hpp"
#include "models/workload/harness_loop.hpp"
#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class CounterMicro : public Workload {
 public:
  long long ops_per_cpu() const override { return ops_; }
  explicit CounterMicro(const nlohmann::json& p)
      : kind_(p["counter"]), how_(shared_add_from(p["atomic_op"])), think_cycles_(p["think_cycles"]),
        loop_cycles_(p["loop_cycles"]), ops_(p["ops_per_core"]), read_every_(p["read_every"]),
        threshold_(p["sloppy_threshold"]) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign&, OpRecorder& rec) override {
    if (!counter_) counter_ = make_counter(kind_, "counter", mem, threshold_, how_);
    rec.warm(c.id, mem.now_ns(c));
    for (long long i = 0; i < ops_; ++i) {
      mem.compute(c, loop_cycles_ + c.rng.exponential(think_cycles_), CpuState::User);
      const double t0 = mem.now_ns(c);
      if (read_every_ > 0 && (i + 1) % read_every_ == 0)
        counter_->read(c);
      else
        counter_->add(c, 1);
      rec.op_done(c.id, mem.now_ns(c), t0);
    }
  }

  nlohmann::json metrics(const MemorySystem&) const override {
    return {{"counter", kind_}, {"cas_failures", counter_ ? counter_->cas_failures() : 0}};
  }

 private:
  std::string kind_;
  SharedAdd how_;
  double think_cycles_, loop_cycles_;
  long long ops_, read_every_;
  int threshold_;
  std::unique_ptr<Counter> counter_;
};

}  // namespace

WorkloadKind counter_micro_kind() {
  return {"counter_micro",
          "Every CPU increments one counter in a loop and reads it now and then. op = an increment or a read.",
          {{"counter", "enum", "", nullptr, 0, 0, counter_kinds(),
            "atomic: one shared line (a refcount); percpu: a line per CPU, reads sum them; sloppy: per-CPU counts "
            "spilled into a shared one every sloppy_threshold increments."},
           {"atomic_op", "enum", "", "fetch_add", 0, 0, shared_add_kinds(),
            "How the shared count is incremented (atomic; sloppy's spill): fetch_add, one locked fetch-and-add; "
            "cas_loop, read then compare-and-swap until it succeeds (docs/workloads/micro.md)."},
           {"think_cycles", "number", "cycles", 200, 0, 1e12, {}, "Mean work between operations (exponential)."},
           loop_cycles_param(),
           {"ops_per_core", "integer", "", 1000, 1, 1e9, {}, "Operations each CPU makes."},
           {"read_every", "integer", "", 0, 0, 1e9, {}, "Every n-th operation is a read (0: never)."},
           {"sloppy_threshold", "integer", "", 64, 1, 1e9, {}, "Local increments a sloppy counter keeps before spilling."}},
          [](const nlohmann::json& p, const WorkloadContext&) -> std::unique_ptr<Workload> {
            return std::make_unique<CounterMicro>(p);
          }};
}

SMPSIM_REGISTER(WorkloadRegistry, counter_micro_kind);

}  // namespace smpsim
