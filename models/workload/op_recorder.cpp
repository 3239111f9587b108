#include "models/workload/op_recorder.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace smpsim {

void OpRecorder::op_done(int core, double end_ns, double start_ns) {
  const double latency = end_ns - start_ns;
  ++total_ops_;
  total_latency_ns_ += latency;
  PerCore& p = per_core_[size_t(core)];
  if (++p.ops == warmup_) {
    p.warmup_end_ns = end_ns;
    start_lower_bound_ns_ = std::max(start_lower_bound_ns_, end_ns);
  }
  if (end_ns <= start_lower_bound_ns_) return;  // before the window, whatever happens next
  pending_.push_back({end_ns, latency});
  if (pending_.size() >= fold_at_) {
    fold();
    fold_at_ = std::max<size_t>(4096, 2 * pending_.size());  // amortized: a fold at most every doubling
  }
}

void OpRecorder::warm(int core, double t_ns) {
  PerCore& p = per_core_[size_t(core)];
  // Once per CPU: a later second call could move a start the folding already took as final.
  if (p.warm_ns >= 0) throw std::logic_error("OpRecorder::warm called twice for CPU " + std::to_string(core));
  ++warm_cores_;
  p.warm_ns = std::max(p.warm_ns, t_ns);
  start_lower_bound_ns_ = std::max(start_lower_bound_ns_, p.warm_ns);
}

void OpRecorder::core_done(int core, double t_ns) {
  PerCore& p = per_core_[size_t(core)];
  p.done_ns = t_ns;
  last_done_ns_ = std::max(last_done_ns_, t_ns);
  ++done_cores_;
}

double OpRecorder::window_start_ns() const {
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

double OpRecorder::window_end_ns() const {
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

double OpRecorder::final_start_ns() const {
  // Every CPU is warm and none can move the start any more: each either made its warm-up ops or is done
  // without ops (a CPU still without ops could yet make its warm-up ops later).
  if (warm_cores_ != cores_) return -1;
  if (warmup_ > 0)
    for (const PerCore& p : per_core_)
      if (p.ops < warmup_ && !(p.ops == 0 && p.done_ns >= 0)) return -1;
  return window_start_ns();
}

double OpRecorder::end_lower_bound_ns() const {
  if (!now_ns_) return -std::numeric_limits<double>::infinity();
  // With until_all_done the window ends when the last CPU does: after every op. Otherwise when the first CPU
  // with ops is done, which no CPU still running does before its clock.
  if (until_all_) return std::numeric_limits<double>::infinity();
  double b = std::numeric_limits<double>::infinity();
  for (int i = 0; i < cores_; ++i) {
    const PerCore& p = per_core_[size_t(i)];
    if (p.done_ns < 0) b = std::min(b, now_ns_(i));
    else if (p.ops > 0) b = std::min(b, p.done_ns);
  }
  return b;
}

void OpRecorder::fold() {
  const double a = final_start_ns();
  const double b = a >= 0 ? end_lower_bound_ns() : -1;
  size_t kept = 0;
  for (const Op& o : pending_) {
    if (o.end_ns <= start_lower_bound_ns_) continue;  // before the window
    if (a >= 0 && o.end_ns <= b) {                    // inside it: the start is final, the end no earlier
      if (o.end_ns > a) {
        ++window_ops_;
        window_latency_ns_ += o.latency_ns;
      }
      continue;
    }
    pending_[kept++] = o;
  }
  pending_.resize(kept);
}

std::pair<long long, double> OpRecorder::window_sums() const {
  const double a = window_start_ns(), b = window_end_ns();
  long long n = window_ops_;
  double sum = window_latency_ns_;
  for (const Op& o : pending_)
    if (o.end_ns > a && o.end_ns <= b) ++n, sum += o.latency_ns;
  return {n, sum};
}

double OpRecorder::mean_latency_ns() const {
  if (!window_valid()) return total_ops_ ? total_latency_ns_ / double(total_ops_) : 0.0;
  const auto [n, sum] = window_sums();
  return n ? sum / double(n) : 0.0;
}

long long OpRecorder::window_ops() const { return window_sums().first; }

}  // namespace smpsim
