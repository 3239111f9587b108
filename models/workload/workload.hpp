// A scripted workload: what each CPU does, in terms of kernel objects the
// design maps to locks and lines. Workloads are registered by kind with their
// declared parameters (registry.cpp); any design runs any workload on any
// machine.
#pragma once
#include <nlohmann/json.hpp>

#include <algorithm>
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
  OpRecorder(int cores, bool until_all_done) : cores_(cores), until_all_(until_all_done) {}
  // An op from start_ns to end_ns (simulated times). CPUs may run ahead of
  // each other in host order (private work makes no event), so the window
  // counts ops by their simulated end time, not by arrival here.
  void op_done(double end_ns, double start_ns) {
    ends_ns_.push_back(end_ns);
    latency_total_ns_ += end_ns - start_ns;
  }
  void warm(double t_ns) {
    warm_ns_ = std::max(warm_ns_, t_ns);
    ++warm_cores_;
  }
  void core_done(double t_ns) {
    first_done_ns_ = std::min(first_done_ns_, t_ns);
    last_done_ns_ = std::max(last_done_ns_, t_ns);
    ++done_cores_;
  }
  long long ops() const { return (long long)ends_ns_.size(); }
  double mean_latency_ns() const { return ends_ns_.empty() ? 0.0 : latency_total_ns_ / double(ends_ns_.size()); }
  double window_start_ns() const { return warm_cores_ == cores_ ? warm_ns_ : -1; }
  double window_end_ns() const {
    if (done_cores_ == 0) return -1;
    return until_all_ ? (done_cores_ == cores_ ? last_done_ns_ : -1) : first_done_ns_;
  }
  long long window_ops() const {
    const double a = window_start_ns(), b = window_end_ns();
    long long n = 0;
    for (double t : ends_ns_) n += t > a && t <= b;
    return n;
  }
  bool window_valid() const { return window_start_ns() >= 0 && window_end_ns() > window_start_ns(); }

 private:
  int cores_;
  bool until_all_;
  std::vector<double> ends_ns_;
  double latency_total_ns_ = 0;
  int warm_cores_ = 0, done_cores_ = 0;
  double warm_ns_ = -1;
  double first_done_ns_ = std::numeric_limits<double>::infinity(), last_done_ns_ = -1;
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

}  // namespace smpsim
