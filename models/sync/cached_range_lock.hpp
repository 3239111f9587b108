// A range lock kept after use, released by a message back (Dillon, seed 001):
// on unlock the holder keeps its range (in the CPU's own cache of ranges, no
// shared access), so its next lock of the same range is private. A request
// that conflicts with a range another CPU keeps sends that CPU a message (an
// IPI and a request line); the keeper invalidates the range's PTEs and
// releases it (at once if idle in it, else at its own unlock) and replies;
// then the requester takes the range from the underlying range lock.
// Compared with release-on-unlock (RangeLock alone), it wins when a CPU
// maps the same range again and again and loses when CPUs alternate.
#pragma once
#include <map>
#include <vector>

#include "models/sync/range_lock.hpp"

namespace smpsim {

struct CachedRangeLockStats {
  long long hits = 0;           // locks served from the CPU's kept ranges
  long long messages_back = 0;  // revocations sent to keepers
};

class CachedRangeLock {
 public:
  // invalidate_cycles_per_page: the keeper's cost to invalidate a page's PTE and TLB entry on revocation.
  CachedRangeLock(const std::string& name, MemorySystem& mem, int home_die, double invalidate_cycles_per_page);
  void lock(Core& c, uint64_t start, uint64_t end);
  void unlock(Core& c, uint64_t start, uint64_t end);
  const CachedRangeLockStats& stats() const { return stats_; }
  RangeLock& ranges() { return ranges_; }

 private:
  struct Kept {
    uint64_t start, end;
    bool in_use;
    bool revoked;  // release at unlock instead of keeping
  };
  void revoke(Core& keeper, uint64_t start, uint64_t end);
  void release_kept(Core& keeper, const Kept& k);

  MemorySystem& mem_;
  RangeLock ranges_;
  double invalidate_cycles_per_page_;
  std::map<int, std::vector<Kept>> kept_;  // by CPU
  std::map<int, LineId> reply_;            // a requester's reply line
  std::map<int, uint64_t> seq_;
  CachedRangeLockStats stats_;
};

}  // namespace smpsim
