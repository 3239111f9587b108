// MCS queue lock (Mellor-Crummey and Scott, 1991). Each CPU spins on its own
// queue node, so a release writes only the successor's line: a hand-off costs
// a constant number of line transfers, whatever the number of waiters.
// Lines: `tail` (homed with the lock) and one queue node per CPU (homed on
// the CPU's own die, as per-CPU data is).
#pragma once
#include "models/sync/lock.hpp"

namespace smpsim {

class McsLock : public Lock {
 public:
  McsLock(std::string name, MemorySystem& mem, int home_die);
  const char* kind() const override { return "mcs"; }
  // Whether a successor has linked itself behind c (c holds the lock): one
  // read of c's own node, as cohort locks do.
  bool has_waiter(Core& c);

 protected:
  bool do_acquire(Core& c) override;
  void do_release(Core& c) override;

 private:
  // Queue node words; CPU ids are stored +1 so that 0 means "none".
  static constexpr int kNextWord = 0, kLockedWord = 1, kTailWord = 0;
  LineId tail_;
  std::vector<LineId> qnode_;
};

}  // namespace smpsim
