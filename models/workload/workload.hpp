// A scripted workload: what each core does, in terms of kernel objects the
// design maps to locks and lines.
#pragma once
#include <memory>

#include "models/design/kernel_design.hpp"

namespace smpsim {

// What a workload reports while it runs: the measurement window is from the
// moment every core is past its warm-up to the moment the first core (or the
// last, per run.measure) is done.
class OpRecorder {
 public:
  OpRecorder(int cores, bool until_all_done) : cores_(cores), until_all_(until_all_done) {}
  void op_done(double t_ns) {
    ++ops_;
    if (t_ns > last_op_ns_) last_op_ns_ = t_ns;
  }
  void warm(double t_ns) {
    if (++warm_cores_ == cores_) window_start_ns_ = t_ns, ops_at_start_ = ops_;
  }
  void core_done(double t_ns) {
    ++done_cores_;
    if ((!until_all_ && done_cores_ == 1) || done_cores_ == cores_) {
      if (window_end_ns_ < 0) window_end_ns_ = t_ns, ops_at_end_ = ops_;
    }
  }
  long long ops() const { return ops_; }
  double window_start_ns() const { return window_start_ns_; }
  double window_end_ns() const { return window_end_ns_; }
  long long window_ops() const { return ops_at_end_ - ops_at_start_; }
  bool window_valid() const { return window_start_ns_ >= 0 && window_end_ns_ > window_start_ns_; }

 private:
  int cores_;
  bool until_all_;
  long long ops_ = 0, ops_at_start_ = 0, ops_at_end_ = 0;
  int warm_cores_ = 0, done_cores_ = 0;
  double window_start_ns_ = -1, window_end_ns_ = -1, last_op_ns_ = 0;
};

class Workload {
 public:
  virtual ~Workload() = default;
  virtual const char* kind() const = 0;
  // The whole life of one core; called in that core's actor.
  virtual void run_core(Core& c, MemorySystem& mem, KernelDesign& design, OpRecorder& rec) = 0;
};

std::unique_ptr<Workload> make_workload(const WorkloadSpec& spec, const RunSpec& run);

}  // namespace smpsim
