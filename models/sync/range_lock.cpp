#include "models/sync/range_lock.hpp"

#include <algorithm>
#include <cmath>

namespace smpsim {

RangeLock::RangeLock(const std::string& name, MemorySystem& mem, int home_die)
    : mem_(mem), spin_(make_lock("qspinlock", name + ".tree_lock", mem, home_die)) {
  for (int level = 0; level < 4; ++level) tree_lines_.push_back(mem.add_line(name + ".tree" + std::to_string(level), home_die));
}

bool RangeLock::overlaps_held(uint64_t start, uint64_t end) const {
  for (const Range& r : ranges_)
    if (r.held && r.start < end && start < r.end) return true;
  return false;
}

void RangeLock::touch_tree(Core& c, bool write) {
  // A balanced tree of the ranges: log2(n) levels visited, at most the lines modelled.
  const int n = int(ranges_.size()) + 1;
  const int levels = std::min<int>(int(tree_lines_.size()), 1 + int(std::log2(double(n))));
  for (int i = 0; i < levels; ++i) {
    if (write && i == levels - 1)
      mem_.store(c, tree_lines_[i], 0, ranges_.size());
    else
      mem_.load(c, tree_lines_[i], 0);
  }
}

void RangeLock::lock(Core& c, uint64_t start, uint64_t end) {
  const double t0 = mem_.now_ns(c);
  ++stats_.acquisitions;
  spin_->acquire(c);
  touch_tree(c, true);
  // FIFO among conflicting requests: wait if a held range or an earlier queued
  // request overlaps.
  bool wait = overlaps_held(start, end);
  for (const Range& r : ranges_)
    if (!r.held && r.start < end && start < r.end) wait = true;
  ranges_.push_back({start, end, c.id, !wait});
  spin_->release(c);
  if (wait) {
    ++stats_.contentions;
    mem_.sleep(c);  // the releaser marked us held before waking us
    const double w = mem_.now_ns(c) - t0;  // a wait, as lock_stat counts one: contended acquisitions only
    stats_.wait_total_ns += w;
    stats_.wait_max_ns = std::max(stats_.wait_max_ns, w);
    c.counters.count_lock_wait(w);
  }
}

void RangeLock::unlock(Core& c, uint64_t start, uint64_t end) {
  spin_->acquire(c);
  touch_tree(c, true);
  auto me = std::find_if(ranges_.begin(), ranges_.end(),
                         [&](const Range& r) { return r.held && r.cpu == c.id && r.start == start && r.end == end; });
  if (me != ranges_.end()) ranges_.erase(me);
  // Grant queued requests in arrival order while they fit.
  std::vector<int> woken;
  for (auto it = ranges_.begin(); it != ranges_.end(); ++it) {
    if (it->held) continue;
    bool blocked = false;
    for (auto prev = ranges_.begin(); prev != it; ++prev)
      if (prev->start < it->end && it->start < prev->end) blocked = true;  // held, or queued before it
    if (!blocked) {
      it->held = true;
      woken.push_back(it->cpu);
    }
  }
  spin_->release(c);
  for (int cpu : woken) mem_.wake_up(c, cpu);
}

}  // namespace smpsim
