// A lock whose cost is the cache-line traffic its algorithm causes, with
// lock_stat-style statistics (Documentation/locking/lockstat.rst columns).
#pragma once
#include <nlohmann/json.hpp>

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "engine/registry.hpp"
#include "models/coherence/memory_system.hpp"

namespace smpsim {

struct LockStats {
  long long acquisitions = 0;
  long long contentions = 0;   // acquisitions that had to wait
  long long acq_bounces = 0;   // acquisitions where the lock was last acquired on another CPU (lockdep's lock->cpu)
  long long con_bounces = 0;   // contentions where it was last acquired on another CPU
  double wait_total_ns = 0, wait_min_ns = std::numeric_limits<double>::infinity(), wait_max_ns = 0;
  double hold_total_ns = 0, hold_min_ns = std::numeric_limits<double>::infinity(), hold_max_ns = 0;
};

class Lock {
 public:
  Lock(std::string name, MemorySystem& mem) : name_(std::move(name)), mem_(mem) {}
  virtual ~Lock() = default;
  virtual const char* kind() const = 0;

  // Returns whether the acquisition had to wait.
  bool acquire(Core& c);
  void release(Core& c);
  // The irqsave variant (spin_lock_irqsave): interrupts off from before the
  // acquire until after the release.
  void set_irqsave(bool on) { irqsave_ = on; }
  // A lock inside another lock's algorithm (a cohort's parts) stays out of
  // traces and of the deadlock detector's graph.
  void set_traced(bool on) { traced_ = counted_ = on; }
  // A lock whose waits its owner records (a seqlock's or RCU's writer lock: ReadMostly::record) stays out of
  // the CPU's lock-wait counters, which would count the wait twice.
  void set_counted(bool on) { counted_ = on; }
  bool irqsave() const { return irqsave_; }

  const std::string& name() const { return name_; }
  const LockStats& stats() const { return stats_; }
  // Misses on every line the lock uses (lock words and queue nodes).
  virtual long long line_transfers() const;

 protected:
  // Returns whether the first attempt did not get the lock (a contention).
  virtual bool do_acquire(Core& c) = 0;
  virtual void do_release(Core& c) = 0;

  std::string name_;
  MemorySystem& mem_;
  std::vector<LineId> lines_;  // for line_transfers()

 private:
  LockStats stats_;
  double acquired_at_ns_ = 0;  // of the current holder
  int last_cpu_ = -1;          // lockdep's lock->cpu: the CPU that acquired it last (-1: none yet)
  bool irqsave_ = false;
  bool traced_ = true;
  bool counted_ = true;
};

// One lock_stat row (the columns of /proc/lock_stat, times in ns) of a lock or lock class.
nlohmann::json lock_stats_json(const std::string& name, const std::string& kind, const LockStats& s);

// The lock kinds a scenario may name, each with what it models, and a factory.
// Each lock's file registers it: SMPSIM_REGISTER(LockRegistry, ...).
struct LockKind {
  std::string name;
  std::string description;
  std::unique_ptr<Lock> (*make)(std::string name, MemorySystem& mem, int home_die);
  bool sleeps = false;  // a sleeping lock has no _irqsave variant
};
using LockRegistry = Registry<LockKind>;
const std::vector<LockKind>& lock_kind_list();  // every registered kind, by name
const std::vector<std::string>& lock_kinds();
// Kind names may end in "_irqsave" for the irqsave variant of any lock.
std::unique_ptr<Lock> make_lock(const std::string& kind, std::string name, MemorySystem& mem, int home_die);

// The ticket lock, for locks built of locks (cohort).
std::unique_ptr<Lock> make_ticket_lock(std::string name, MemorySystem& mem, int home_die);

}  // namespace smpsim
