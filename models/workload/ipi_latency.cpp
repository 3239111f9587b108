// ipi_latency: CPU 0 sends an IPI to every other active CPU (a list of
// targets, or a broadcast shorthand); each handler runs handler_cycles and
// acknowledges on a shared counter; CPU 0 waits for all acknowledgements. An
// op is one round; its latency is CPU 0's, send to last acknowledgement. The
// targets are idle (blocked, interruptible) meanwhile. metrics.workload.one_way_ns:
// the mean time from the first ICR write to a handler's first instruction
// (with one target: the one-way IPI latency that sgx-step or ipi-heatmaps measure).
#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class IpiLatency : public Workload {
 public:
  long long ops_per_cpu() const override { return rounds_; }
  IpiLatency(const nlohmann::json& p, int cores)
      : broadcast_(p["mode"] == "broadcast"), rounds_(p["rounds"]), handler_cycles_(p["handler_cycles"]),
        gap_cycles_(p["gap_cycles"]), cores_(cores) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign&, OpRecorder& rec) override {
    if (acks_ < 0) acks_ = mem.add_line("ipi.acks", 0);
    rec.warm(c.id, mem.now_ns(c));
    if (c.id != 0) {
      mem.block(c, CpuState::Idle);  // until CPU 0 is done; IPIs are taken meanwhile
      return;
    }
    std::vector<int> targets;
    for (int i = 1; i < cores_; ++i) targets.push_back(i);
    const LineId acks = acks_;
    const double handler_cycles = handler_cycles_;
    for (long long r = 0; r < rounds_; ++r) {
      mem.compute(c, gap_cycles_, CpuState::Kernel);
      const double t0 = mem.now_ns(c);
      if (!targets.empty()) {
        mem.store(c, acks, 0, targets.size());
        mem.wait_store_drain(c);  // the write-up is visible before the IPI (Linux: llist_add is an atomic)
        const double sent_ns = mem.now_ns(c);
        mem.send_ipi(c, targets,
                     [this, &mem, acks, handler_cycles, sent_ns](Core& t) {
                       one_way_sum_ns_ += mem.now_ns(t) - sent_ns;
                       ++one_way_count_;
                       mem.compute(t, handler_cycles, CpuState::Irq);
                       mem.fetch_add(t, acks, 0, uint64_t(-1));
                     },
                     broadcast_);
        mem.spin_until(c, acks, 0, [](uint64_t v) { return v == 0; });
      }
      rec.op_done(c.id, mem.now_ns(c), t0);
    }
    for (int t : targets) mem.wake(mem.core(t));
  }

 private:
  bool broadcast_;
  long long rounds_;
  double handler_cycles_, gap_cycles_;
  int cores_;
  LineId acks_ = -1;
  double one_way_sum_ns_ = 0;
  long long one_way_count_ = 0;

 public:
  nlohmann::json metrics(const MemorySystem&) const override {
    return {{"one_way_ns", one_way_count_ ? one_way_sum_ns_ / double(one_way_count_) : 0.0}};
  }
};

}  // namespace

WorkloadKind ipi_latency_kind() {
  return {"ipi_latency",
          "CPU 0 interrupts every other active CPU and waits for their acknowledgements. op = a round; its latency "
          "is CPU 0's (send to last acknowledgement).",
          {{"mode", "enum", "", "list", 0, 0, {"list", "broadcast"},
            "One IPI send per target, or one broadcast shorthand for all."},
           {"rounds", "integer", "", 100, 1, 1e9, {}, "Rounds."},
           {"handler_cycles", "number", "cycles", 200, 0, 1e9, {}, "Work in each handler before it acknowledges."},
           {"gap_cycles", "number", "cycles", 5000, 0, 1e9, {}, "CPU 0's work between rounds."}},
          [](const nlohmann::json& p, const WorkloadContext& ctx) -> std::unique_ptr<Workload> {
            return std::make_unique<IpiLatency>(p, ctx.cores);
          }};
}

SMPSIM_REGISTER(WorkloadRegistry, ipi_latency_kind);

}  // namespace smpsim
