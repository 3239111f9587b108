// rw_micro: read-mostly data protected by an rwlock, a seqlock or RCU. Every
// CPU loops { think in user mode; a read (or, with probability
// write_fraction, a write) of data_lines shared lines }. An op is a read or
// a write; its latency includes any waiting, retries and grace periods.
#include "models/sync/read_mostly.hpp"
#include "models/sync/lock.hpp"
#include "models/workload/harness_loop.hpp"
#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class RwMicro : public Workload {
 public:
  long long ops_per_cpu() const override { return ops_; }
  explicit RwMicro(const nlohmann::json& p)
      : kind_(p["sync"]), think_cycles_(p["think_cycles"]), loop_cycles_(p["loop_cycles"]),
        write_fraction_(p["write_fraction"]),
        read_cycles_(p["read_cycles"]), write_cycles_(p["write_cycles"]), data_lines_(p["data_lines"]),
        ops_(p["ops_per_core"]) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign&, OpRecorder& rec) override {
    if (!sync_) {
      sync_ = make_read_mostly(kind_, "data", mem);
      for (int i = 0; i < data_lines_; ++i) data_.push_back(mem.add_line("data" + std::to_string(i), 0));
    }
    rec.warm(c.id, mem.now_ns(c));
    for (long long i = 0; i < ops_; ++i) {
      mem.compute(c, loop_cycles_ + c.rng.exponential(think_cycles_), CpuState::User);  // in user mode: quiescent
      sync_->exit_quiescent(c);
      const double t0 = mem.now_ns(c);
      if (c.rng.uniform01() < write_fraction_) {
        sync_->write(c, [&] {
          mem.compute(c, write_cycles_, CpuState::Kernel);
          for (LineId d : data_) mem.store(c, d, 0, uint64_t(i));
        });
      } else {
        sync_->read(c, [&] {
          mem.compute(c, read_cycles_, CpuState::Kernel);
          for (LineId d : data_) mem.load(c, d, 0);
        });
      }
      rec.op_done(c.id, mem.now_ns(c), t0);
      sync_->enter_quiescent(c);
    }
  }

  std::vector<nlohmann::json> lock_rows() const override {
    std::vector<nlohmann::json> rows;
    for (bool w : {false, true}) {
      nlohmann::json r = lock_stats_json(std::string("data-") + (w ? "W" : "R"), kind_,
                                         w ? sync_->stats().write_side : sync_->stats().read_side);
      r["line_transfers"] = sync_->line_transfers();  // the scheme's lines, both sides
      rows.push_back(r);
    }
    return rows;
  }

  nlohmann::json metrics(const MemorySystem&) const override {
    const ReadMostlyStats& s = sync_->stats();
    return {{"sync", kind_},
            {"reads", s.reads},
            {"writes", s.writes},
            {"read_retries", s.read_retries},
            {"read_wait_ns", s.read_wait_ns},
            {"write_wait_ns", s.write_wait_ns},
            {"grace_periods", s.grace_periods},
            {"grace_period_avg_ns", s.grace_periods ? s.grace_period_ns / double(s.grace_periods) : 0.0}};
  }

 private:
  std::string kind_;
  double think_cycles_, loop_cycles_, write_fraction_, read_cycles_, write_cycles_;
  int data_lines_;
  long long ops_;
  std::unique_ptr<ReadMostly> sync_;
  std::vector<LineId> data_;
};

}  // namespace

WorkloadKind rw_micro_kind() {
  return {"rw_micro",
          "Read-mostly data under an rwlock, a seqlock or RCU: every CPU reads it (or writes it, now and then) "
          "between spells in user mode. op = a read or a write.",
          {{"sync", "enum", "", nullptr, 0, 0, read_mostly_kinds(), "The synchronization scheme (docs/locking/read_mostly.md)."},
           {"think_cycles", "number", "cycles", 2000, 0, 1e12, {}, "Mean user-mode time between operations (exponential)."},
           loop_cycles_param(),
           {"write_fraction", "number", "", 0.01, 0, 1, {}, "Probability that an operation is a write."},
           {"read_cycles", "number", "cycles", 200, 0, 1e12, {}, "Work inside a read-side section."},
           {"write_cycles", "number", "cycles", 200, 0, 1e12, {}, "Work inside a write-side section."},
           {"data_lines", "integer", "", 2, 0, 64, {}, "Shared lines a read loads and a write stores."},
           {"ops_per_core", "integer", "", 1000, 1, 1e9, {}, "Operations each CPU makes."}},
          [](const nlohmann::json& p, const WorkloadContext&) -> std::unique_ptr<Workload> {
            return std::make_unique<RwMicro>(p);
          }};
}

SMPSIM_REGISTER(WorkloadRegistry, rw_micro_kind);

}  // namespace smpsim
