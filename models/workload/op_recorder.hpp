// What a workload reports while it runs. The measurement window is from the
// moment every CPU is past its warm-up to the moment the first CPU (or the
// last, per run.measure) is done; an op's latency is what the workload
// measures (a lock's wait, one access, one write).
//
// Memory does not grow with the number of ops: the window's ends are known
// only at the end of the run, but every CPU's ops end in increasing simulated
// time and every CPU's clock bounds what it does next (its next op, its warm
// point, its finish), so an op is folded into running sums as soon as the
// bounds classify it (before the window, or inside it); only ops the bounds
// cannot yet classify are kept (those near the moving ends).
#pragma once
#include <functional>
#include <limits>
#include <vector>

namespace smpsim {

class OpRecorder {
 public:
  // warmup_ops: each CPU's first warmup_ops ops are not measured (run.warmup_ops); 0 for a workload that marks
  // its own warm point (Workload::counts_own_warmup).
  OpRecorder(int cores, bool until_all_done, long long warmup_ops = 0)
      : cores_(cores), until_all_(until_all_done), warmup_(warmup_ops), per_core_(size_t(cores)) {}
  // Where each CPU's clock is (simulated ns): a lower bound of anything it does next. Without one, every op
  // is kept until the end (exact, but memory grows with the ops).
  void set_clock(std::function<double(int core)> now_ns) { now_ns_ = std::move(now_ns); }

  // An op of CPU `core` from start_ns to end_ns (simulated times). CPUs may run ahead of
  // each other in host order (private work makes no event), so the window
  // counts ops by their simulated end time, not by arrival here.
  void op_done(int core, double end_ns, double start_ns);
  // CPU `core` is ready to be measured (after its set-up); with warm-up ops, once they are done too. Once per
  // CPU (a second call is an internal error).
  void warm(int core, double t_ns);
  // CPU `core` has finished. The window ends when the first CPU that made ops finishes (a CPU that only
  // serves, or only holds a line, finishing early ends nothing), or with until_all_done when the last does.
  void core_done(int core, double t_ns);

  long long ops() const { return total_ops_; }
  // The mean latency of the window's ops (of every op when there is no window).
  double mean_latency_ns() const;
  // The latest CPU's warm point: its warm() call, or the end of its last warm-up op if later. -1 until every
  // CPU is warm (a CPU that made some ops but fewer than the warm-up never is).
  double window_start_ns() const;
  double window_end_ns() const;
  long long window_ops() const;
  bool window_valid() const { return window_start_ns() >= 0 && window_end_ns() > window_start_ns(); }
  // Ops held because the bounds could not yet classify them (for tests of the bound).
  size_t pending_ops() const { return pending_.size(); }

 private:
  struct Op {
    double end_ns, latency_ns;
  };
  struct PerCore {
    long long ops = 0;
    double warm_ns = -1, warmup_end_ns = -1, done_ns = -1;
  };
  // Folds the pending ops the bounds classify into the sums.
  void fold();
  // The window's start if no CPU can move it any more, else -1.
  double final_start_ns() const;
  // A lower bound of the window's end, given the CPUs' clocks.
  double end_lower_bound_ns() const;
  // The window's (count, latency sum) over pending ops and the folded sums, for a final window.
  std::pair<long long, double> window_sums() const;

  int cores_;
  bool until_all_;
  long long warmup_;
  std::vector<PerCore> per_core_;
  std::function<double(int)> now_ns_;
  std::vector<Op> pending_;
  size_t fold_at_ = 4096;
  long long total_ops_ = 0;
  double total_latency_ns_ = 0;
  long long window_ops_ = 0;  // folded: surely inside the window
  double window_latency_ns_ = 0;
  double start_lower_bound_ns_ = -1;  // the largest warm point seen: the window starts no earlier
  int warm_cores_ = 0, done_cores_ = 0;
  double last_done_ns_ = -1;
};

}  // namespace smpsim
