#include "models/sync/lock.hpp"

#include <algorithm>
#include <stdexcept>

namespace smpsim {

void Lock::acquire(Core& c) {
  const double t0 = mem_.now_ns(c);
  Outcome o = do_acquire(c);
  const double t1 = mem_.now_ns(c);
  if (int(acquired_at_ns_.size()) <= c.id) acquired_at_ns_.resize(c.id + 1, 0);
  acquired_at_ns_[c.id] = t1;
  const double wait = t1 - t0;
  stats_.acquisitions++;
  stats_.contentions += o.contended;
  stats_.acq_bounces += o.bounced;
  stats_.con_bounces += o.contended && o.bounced;
  stats_.wait_total_ns += wait;
  stats_.wait_min_ns = std::min(stats_.wait_min_ns, wait);
  stats_.wait_max_ns = std::max(stats_.wait_max_ns, wait);
}

void Lock::release(Core& c) {
  const double hold = mem_.now_ns(c) - acquired_at_ns_[c.id];
  stats_.hold_total_ns += hold;
  stats_.hold_min_ns = std::min(stats_.hold_min_ns, hold);
  stats_.hold_max_ns = std::max(stats_.hold_max_ns, hold);
  do_release(c);
}

long long Lock::line_transfers() const {
  long long n = 0;
  for (LineId l : lines_) n += mem_.dir().line(l).transfers;
  return n;
}

const std::vector<std::string>& lock_kinds() {
  static const std::vector<std::string> k = {"ticket", "mcs"};
  return k;
}

std::unique_ptr<Lock> make_lock(const std::string& kind, std::string name, MemorySystem& mem, int home_die) {
  if (kind == "ticket") return make_ticket_lock(std::move(name), mem, home_die);
  if (kind == "mcs") return make_mcs_lock(std::move(name), mem, home_die);
  throw std::invalid_argument("unknown lock kind " + kind);
}

}  // namespace smpsim
