// A range lock: lock [start, end); requests that overlap a held range wait.
// Held ranges live in a tree protected by a spinlock (as in the Linux range
// lock proposals): a request takes the spinlock, looks for an overlap (one
// line per tree level it visits), inserts itself or queues, and sleeps if it
// must wait. A release removes its range and wakes every queued request that
// no longer overlaps a held range, in arrival order.
#pragma once
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "models/sync/lock.hpp"

namespace smpsim {

struct RangeLockStats {
  long long acquisitions = 0, contentions = 0;
  double wait_total_ns = 0, wait_max_ns = 0;
};

class RangeLock {
 public:
  RangeLock(const std::string& name, MemorySystem& mem, int home_die);
  void lock(Core& c, uint64_t start, uint64_t end);
  void unlock(Core& c, uint64_t start, uint64_t end);
  const RangeLockStats& stats() const { return stats_; }
  Lock& tree_lock() { return *spin_; }

 private:
  struct Range {
    uint64_t start, end;
    int cpu;
    bool held;
  };
  bool overlaps_held(uint64_t start, uint64_t end) const;
  void touch_tree(Core& c, bool write);  // the tree lines a lookup or an update visits

  MemorySystem& mem_;
  std::unique_ptr<Lock> spin_;
  std::vector<LineId> tree_lines_;  // one per tree level
  std::list<Range> ranges_;         // held and queued, in arrival order
  RangeLockStats stats_;
};

}  // namespace smpsim
