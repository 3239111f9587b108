// Reader-writer synchronization for read-mostly data (docs/locking/read_mostly.md):
//  rwlock:  a spinning reader-writer lock: readers add themselves to a count,
//           a writer sets a flag (which stops new readers) and waits for the
//           count to drain;
//  seqlock: readers take no lock; they retry when the sequence count was odd or
//           changed across their read; writers serialize on a spinlock;
//  rcu:     readers touch nothing shared; a writer updates, then waits for a
//           grace period: every CPU has passed a quiescent state (a CPU in
//           user mode or idle is in an extended quiescent state already).
#pragma once
#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/sync/lock.hpp"

namespace smpsim {

struct ReadMostlyStats {
  long long reads = 0, writes = 0, read_retries = 0, grace_periods = 0;
  double read_wait_ns = 0, write_wait_ns = 0, grace_period_ns = 0;
  LockStats read_side, write_side;  // lock_stat's -R and -W rows
};

class ReadMostly {
 public:
  virtual ~ReadMostly() = default;
  virtual const char* kind() const = 0;
  virtual void read(Core& c, const std::function<void()>& body) = 0;
  virtual void write(Core& c, const std::function<void()>& body) = 0;

 protected:
  // Runs body, recording the side's wait (from t0) and hold.
  void timed_body(MemorySystem& mem, Core& c, bool write, bool contended, double t0,
                  const std::function<void()>& body) {
    set_contended(c, contended);
    const double start = mem.now_ns(c);
    body();
    record(c, write, contended, start - t0, mem.now_ns(c) - start);
    if (Trace* tr = mem.trace())
      tr->complete(c.id, "hold " + name_ + (write ? "-W" : "-R"), "lock", start, mem.now_ns(c),
                   {{"lock", name_}, {"kind", kind()}, {"side", write ? "write" : "read"}, {"contended", contended}});
  }

 public:
  // The CPU leaves the kernel for user mode or idle, and comes back: RCU's
  // extended quiescent states. No-ops for the others.
  virtual void enter_quiescent(Core&) {}
  virtual void exit_quiescent(Core&) {}
  const ReadMostlyStats& stats() const { return stats_; }
  // Misses on every line the scheme uses (counts, sequence words, queues, its spinlocks), both sides
  // together: readers and writers share them.
  virtual long long line_transfers() const = 0;
  void set_name(std::string n) { name_ = std::move(n); }
  const std::string& name() const { return name_; }
  // Whether CPU c's last read or write had to wait (known once its body runs).
  bool last_contended(int cpu) const { return cpu < int(contended_.size()) && contended_[size_t(cpu)]; }
  void set_contended(const Core& c, bool v) {
    if (int(contended_.size()) <= c.id) contended_.resize(size_t(c.id) + 1, false);
    contended_[size_t(c.id)] = v;
  }
  // Records CPU c's acquisition of one side: waited `wait_ns` (contended: not on
  // the fast path), held `hold_ns`. Each scheme calls it from read() and write().
  // Bounces as lock_stat counts them: the lock (both sides: one lockdep map) was
  // last acquired on another CPU.
  void record(Core& c, bool write, bool contended, double wait_ns, double hold_ns) {
    LockStats& s = write ? stats_.write_side : stats_.read_side;
    ++s.acquisitions;
    const bool bounced = last_cpu_ >= 0 && last_cpu_ != c.id;
    last_cpu_ = c.id;
    s.acq_bounces += bounced;
    s.con_bounces += contended && bounced;
    if (contended) {  // as lock_stat: a wait is recorded for a contended acquisition only
      ++s.contentions;
      s.wait_total_ns += wait_ns;
      s.wait_min_ns = std::min(s.wait_min_ns, wait_ns);
      s.wait_max_ns = std::max(s.wait_max_ns, wait_ns);
      c.counters.count_lock_wait(wait_ns);
    }
    s.hold_total_ns += hold_ns;
    s.hold_min_ns = std::min(s.hold_min_ns, hold_ns);
    s.hold_max_ns = std::max(s.hold_max_ns, hold_ns);
  }

 protected:
  ReadMostlyStats stats_;
  std::vector<bool> contended_;
  std::string name_;
  int last_cpu_ = -1;  // lockdep's lock->cpu
};

// The reader-writer schemes a scenario may name (a lock kind of a kernel
// object, rw_micro's sync), each with what it models; each scheme's file
// registers it: SMPSIM_REGISTER(ReadMostlyRegistry, ...).
struct ReadMostlyKind {
  std::string name;
  std::string description;
  std::unique_ptr<ReadMostly> (*make)(const std::string& name, MemorySystem& mem);
};
using ReadMostlyRegistry = Registry<ReadMostlyKind>;
const std::vector<std::string>& read_mostly_kinds();  // every registered name
// A lock kind with read and write sides (a registered reader-writer scheme).
inline bool is_read_mostly_kind(const std::string& kind) { return ReadMostlyRegistry::find(kind) != nullptr; }
std::unique_ptr<ReadMostly> make_read_mostly(const std::string& kind, const std::string& name, MemorySystem& mem);

}  // namespace smpsim
