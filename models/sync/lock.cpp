#include "models/sync/lock.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "engine/stats.hpp"

namespace smpsim {

bool Lock::acquire(Core& c) {
  if (irqsave_) mem_.irq_disable(c);
  Trace* tr = traced_ ? mem_.trace() : nullptr;
  const double t0 = mem_.now_ns(c);
  if (traced_) mem_.waits().want(c.id, this, name_);  // a lock inside another's algorithm: the outer one is the graph's
  if (tr) tr->counter_delta(c.id, "waiters " + name_, "waiters", 1, t0);
  const bool contended = do_acquire(c);
  if (traced_) mem_.waits().got(c.id, this);
  const double t1 = mem_.now_ns(c);
  if (tr) tr->counter_delta(c.id, "waiters " + name_, "waiters", -1, t1);
  if (tr && contended) {  // waits are async: they overlap other slices
    const unsigned long long id = tr->next_id();
    tr->async_begin(c.id, "wait " + name_, id, t0);
    tr->async_end(c.id, "wait " + name_, id, t1);
  }
  acquired_at_ns_ = t1;
  const double wait = t1 - t0;
  stats_.acquisitions++;
  stats_.contentions += contended;
  // lock_stat's bounces (lock_contended, lock_acquired): the lock was last acquired on another CPU.
  const bool bounced = last_cpu_ >= 0 && last_cpu_ != c.id;
  last_cpu_ = c.id;
  stats_.acq_bounces += bounced;
  stats_.con_bounces += contended && bounced;
  if (contended) {  // lock_stat records a wait only for a contended acquisition (lock_contended, lock_acquired)
    stats_.wait_total_ns += wait;
    stats_.wait_min_ns = std::min(stats_.wait_min_ns, wait);
    stats_.wait_max_ns = std::max(stats_.wait_max_ns, wait);
    if (counted_) c.counters.count_lock_wait(wait);  // not a lock inside another's algorithm: the outer one counts
  }
  return contended;
}

void Lock::release(Core& c) {
  // (A cohort passes its global lock within a socket: the releaser need not
  // be the CPU that acquired it. One holder at a time: one acquisition time.)
  const double hold = mem_.now_ns(c) - acquired_at_ns_;
  if (Trace* tr = mem_.trace(); tr && traced_)
    tr->complete(c.id, "hold " + name_, "lock", acquired_at_ns_, mem_.now_ns(c), {{"lock", name_}, {"kind", kind()}});
  stats_.hold_total_ns += hold;
  stats_.hold_min_ns = std::min(stats_.hold_min_ns, hold);
  stats_.hold_max_ns = std::max(stats_.hold_max_ns, hold);
  if (traced_) mem_.waits().released(c.id, this);
  do_release(c);
  if (irqsave_) mem_.irq_enable(c);
}

long long Lock::line_transfers() const {
  long long n = 0;
  for (LineId l : lines_) n += mem_.dir().line(l).transfers;
  return n;
}

const std::vector<LockKind>& lock_kind_list() { return LockRegistry::all(); }

const std::vector<std::string>& lock_kinds() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& k : lock_kind_list()) n.push_back(k.name);
    for (const auto& k : lock_kind_list())
      if (!k.sleeps) n.push_back(k.name + "_irqsave");
    return n;
  }();
  return names;
}

std::unique_ptr<Lock> make_lock(const std::string& kind, std::string name, MemorySystem& mem, int home_die) {
  static const std::string suffix = "_irqsave";
  const bool irqsave = kind.size() > suffix.size() && kind.compare(kind.size() - suffix.size(), suffix.size(), suffix) == 0;
  const std::string base = irqsave ? kind.substr(0, kind.size() - suffix.size()) : kind;
  for (const auto& k : lock_kind_list())
    if (k.name == base && !(irqsave && k.sleeps)) {
      std::unique_ptr<Lock> l = k.make(std::move(name), mem, home_die);
      l->set_irqsave(irqsave);
      return l;
    }
  throw std::invalid_argument("unknown lock kind " + kind);
}

nlohmann::json lock_stats_json(const std::string& name, const std::string& kind, const LockStats& s) {
  // Column names and meanings follow /proc/lock_stat (Documentation/locking/lockstat.rst): wait times are
  // samples of contended acquisitions only, so their average is over contentions; hold times are samples of
  // every acquisition. An unset minimum (no sample) is 0.
  const double n = s.acquisitions ? double(s.acquisitions) : 1.0;
  const double waits = s.contentions ? double(s.contentions) : 1.0;
  auto finite_or_zero = [](double v) { return std::isfinite(v) ? v : 0.0; };
  return {{"name", name},
          {"kind", kind},
          {"con_bounces", s.con_bounces},
          {"contentions", s.contentions},
          {"waittime_min_ns", finite_or_zero(s.wait_min_ns)},
          {"waittime_max_ns", s.wait_max_ns},
          {"waittime_total_ns", s.wait_total_ns},
          {"waittime_avg_ns", s.wait_total_ns / waits},
          {"acq_bounces", s.acq_bounces},
          {"acquisitions", s.acquisitions},
          {"holdtime_min_ns", finite_or_zero(s.hold_min_ns)},
          {"holdtime_max_ns", s.hold_max_ns},
          {"holdtime_total_ns", s.hold_total_ns},
          {"holdtime_avg_ns", s.hold_total_ns / n}};
}

}  // namespace smpsim

namespace smpsim {

// The columns of /proc/lock_stat (Documentation/locking/lockstat.rst), one row per lock class.
SMPSIM_REGISTER(StatRegistry, [] {
  return StatGroup{
      "locks",
      {"metrics.locks[]", "metrics.lock_instances[]", "locks.csv"},
      "lock_stat v0.4, one row per lock class (reader-writer kinds as NAME-R and NAME-W); with --lock-instances "
      "one per instance",
      {{"name", "text", "the lock class (an instance's key with --lock-instances)", {}},
       {"kind", "text", "the lock's algorithm (`smpsim describe lock`)", {}},
       {"con_bounces", "count",
        "contentions where the lock was last acquired on another CPU (lockdep's lock->cpu; a reader-writer lock's "
        "two sides share it)", {}},
       {"contentions", "count", "acquisitions that had to wait", {}},
       {"waittime_min_ns", "ns", "shortest wait of a contended acquisition (0 when never contended)", {}},
       {"waittime_max_ns", "ns", "longest wait, from the request to the acquisition", {}},
       {"waittime_total_ns", "ns", "sum of the waits of contended acquisitions", {}},
       {"waittime_avg_ns", "ns", "waittime_total_ns / contentions", {}},
       {"acq_bounces", "count", "acquisitions where the lock was last acquired on another CPU", {}},
       {"acquisitions", "count", "acquisitions, contended or not", {}},
       {"holdtime_min_ns", "ns", "shortest hold, from the acquisition to the release", {}},
       {"holdtime_max_ns", "ns", "longest hold", {}},
       {"holdtime_total_ns", "ns", "sum of every acquisition's hold", {}},
       {"holdtime_avg_ns", "ns", "holdtime_total_ns / acquisitions", {}},
       {"line_transfers", "count",
        "misses on the lock's lines (lock words and queue nodes); a reader-writer lock's two rows both give its "
        "lines' total", {}},
       {"contention_points", "rows",
        "a design's locks only: per op that waited, `op`, `contentions`, `waittime_total_ns` (lock_stat's "
        "contention points), most waited first", {}}}};
});

}  // namespace smpsim
