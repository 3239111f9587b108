// A scripted workload: what each CPU does, in terms of kernel objects the
// design maps to locks and lines. Workloads are registered by kind with their
// declared parameters (registry.cpp); any design runs any workload on any
// machine.
#pragma once
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "models/design/kernel_design.hpp"
#include "engine/params.hpp"

namespace smpsim {

// What a workload reports while it runs. The measurement window is from the
// moment every CPU is past its warm-up to the moment the first CPU (or the
// last, per run.measure) is done; an op's latency is what the workload
// measures (a lock's wait, one access, one write).
class OpRecorder {
 public:
  // warmup_ops: each CPU's first warmup_ops ops are not measured (run.warmup_ops); 0 for a workload that marks
  // its own warm point (Workload::counts_own_warmup).
  OpRecorder(int cores, bool until_all_done, long long warmup_ops = 0)
      : cores_(cores), until_all_(until_all_done), warmup_(warmup_ops), per_core_(size_t(cores)) {}
  // An op of CPU `core` from start_ns to end_ns (simulated times). CPUs may run ahead of
  // each other in host order (private work makes no event), so the window
  // counts ops by their simulated end time, not by arrival here.
  void op_done(int core, double end_ns, double start_ns) {
    ops_.push_back({end_ns, end_ns - start_ns});
    PerCore& p = per_core_[size_t(core)];
    if (++p.ops == warmup_) p.warmup_end_ns = end_ns;
  }
  // CPU `core` is ready to be measured (after its set-up); with warm-up ops, once they are done too.
  void warm(int core, double t_ns) {
    PerCore& p = per_core_[size_t(core)];
    if (p.warm_ns < 0) ++warm_cores_;
    p.warm_ns = std::max(p.warm_ns, t_ns);
  }
  // CPU `core` has finished. The window ends when the first CPU that made ops finishes (a CPU that only
  // serves, or only holds a line, finishing early ends nothing), or with until_all_done when the last does.
  void core_done(int core, double t_ns) {
    PerCore& p = per_core_[size_t(core)];
    p.done_ns = t_ns;
    last_done_ns_ = std::max(last_done_ns_, t_ns);
    ++done_cores_;
  }
  long long ops() const { return (long long)ops_.size(); }
  // The mean latency of the window's ops (of every op when there is no window).
  double mean_latency_ns() const {
    const bool w = window_valid();
    const double a = window_start_ns(), b = window_end_ns();
    double total = 0;
    long long n = 0;
    for (const Op& o : ops_)
      if (!w || (o.end_ns > a && o.end_ns <= b)) total += o.latency_ns, ++n;
    return n ? total / double(n) : 0.0;
  }
  // The latest CPU's warm point: its warm() call, or the end of its last warm-up op if later. -1 until every
  // CPU is warm (a CPU that made some ops but fewer than the warm-up never is).
  double window_start_ns() const {
    if (warm_cores_ != cores_) return -1;
    double t = -1;
    for (const PerCore& p : per_core_) {
      double w = p.warm_ns;
      if (warmup_ > 0 && p.ops > 0) {
        if (p.ops < warmup_) return -1;
        w = std::max(w, p.warmup_end_ns);
      }
      t = std::max(t, w);
    }
    return t;
  }
  double window_end_ns() const {
    if (done_cores_ == 0) return -1;
    if (until_all_) return done_cores_ == cores_ ? last_done_ns_ : -1;
    double first = std::numeric_limits<double>::infinity(), first_any = first;
    for (const PerCore& p : per_core_)
      if (p.done_ns >= 0) {
        first_any = std::min(first_any, p.done_ns);
        if (p.ops > 0) first = std::min(first, p.done_ns);
      }
    return std::isinf(first) ? first_any : first;
  }
  long long window_ops() const {
    const double a = window_start_ns(), b = window_end_ns();
    long long n = 0;
    for (const Op& o : ops_) n += o.end_ns > a && o.end_ns <= b;
    return n;
  }
  bool window_valid() const { return window_start_ns() >= 0 && window_end_ns() > window_start_ns(); }

 private:
  struct Op {
    double end_ns, latency_ns;
  };
  struct PerCore {
    long long ops = 0;
    double warm_ns = -1, warmup_end_ns = -1, done_ns = -1;
  };
  int cores_;
  bool until_all_;
  long long warmup_;
  std::vector<PerCore> per_core_;
  std::vector<Op> ops_;
  int warm_cores_ = 0, done_cores_ = 0;
  double last_done_ns_ = -1;
};

class Workload {
 public:
  virtual ~Workload() = default;
  // The work of one CPU, called in that CPU's actor; the caller then ends it
  // (MemorySystem::finish, OpRecorder::core_done).
  virtual void run_core(Core& c, MemorySystem& mem, KernelDesign& design, OpRecorder& rec) = 0;
  // Workload-specific metrics, added under metrics.workload.
  virtual nlohmann::json metrics(const MemorySystem&) const { return nlohmann::json::object(); }
  // Lock-like rows the workload's own primitives add to metrics.locks (the
  // read and write sides of a reader-writer scheme, as lock_stat's -R and -W).
  virtual std::vector<nlohmann::json> lock_rows() const { return {}; }
  // Lock objects the workload itself owns (one per lock_stat row).
  virtual long long lock_objects() const { return (long long)lock_rows().size(); }
  // The ops each CPU that makes ops makes (-1: it varies): run.warmup_ops must be below it.
  virtual long long ops_per_cpu() const = 0;
  // True for a workload that calls OpRecorder::warm at its own warm point (after run.warmup_ops of its
  // own rounds); the others call it after their set-up and the recorder skips their first warm-up ops.
  virtual bool counts_own_warmup() const { return false; }
};

struct WorkloadContext {
  const Machine& machine;
  int cores;                 // active CPUs
  long long warmup_ops;      // per CPU
  std::vector<std::string> design_ops;  // the operations the design defines
  std::vector<std::string> recipe_args;  // op arguments its recipes count with ("repeat": "ARG")
};

// What a workload drives: the kernel design's ops (a scenario's design
// matters), or the hardware directly (locks, lines, IPIs, channels of its own:
// a design given to it would be ignored, so the loader rejects one).
enum class WorkloadDrives { Hardware, DesignOps };

struct WorkloadKind {
  std::string name;
  std::string description;
  std::vector<ParamSpec> params;
  // Builds the workload from its resolved parameters; throws ParamError for
  // a value that does not fit this machine or run.
  std::function<std::unique_ptr<Workload>(const nlohmann::json& params, const WorkloadContext&)> make;
  WorkloadDrives drives = WorkloadDrives::Hardware;
};

// Each workload's file registers it: SMPSIM_REGISTER(WorkloadRegistry, my_workload_kind).
using WorkloadRegistry = Registry<WorkloadKind>;
const std::vector<WorkloadKind>& workload_kinds();  // by name
const WorkloadKind* find_workload_kind(const std::string& name);
// What one op of the workload is: its description's "op = ..." sentence (every description has one), or "".
std::string what_one_op_is(const WorkloadKind& k);

}  // namespace smpsim
