// MCS queue lock (Mellor-Crummey and Scott, 1991). Each core spins on its own
// queue node, so a release writes only the successor's line: a hand-off costs
// a constant number of line transfers, whatever the number of waiters.
// Lines: `tail` (homed with the lock) and one queue node per core (homed on
// the core's own die, as per-CPU data is).
#include "models/sync/lock.hpp"

namespace smpsim {
namespace {

class McsLock : public Lock {
 public:
  McsLock(std::string name, MemorySystem& mem, int home_die) : Lock(std::move(name), mem) {
    tail_ = mem.add_line(name_ + ".tail", home_die);
    lines_.push_back(tail_);
    const Topology& t = mem.machine().topo;
    for (int i = 0; i < mem.cores(); ++i) {
      qnode_.push_back(mem.add_line(name_ + ".qnode" + std::to_string(i), t.die_of(i)));
      lines_.push_back(qnode_.back());
    }
  }
  const char* kind() const override { return "mcs"; }

 protected:
  // Queue node words; core ids are stored +1 so that 0 means "none".
  static constexpr int kNextWord = 0, kLockedWord = 1, kTailWord = 0;

  Outcome do_acquire(Core& c) override {
    const LineId me = qnode_[c.id];
    mem_.store(c, me, kNextWord, 0);
    mem_.store(c, me, kLockedWord, 1);
    const uint64_t pred = mem_.swap(c, tail_, kTailWord, uint64_t(c.id) + 1);
    const bool bounce = bounced(c);
    if (pred == 0) return {false, bounce};
    mem_.store(c, qnode_[pred - 1], kNextWord, uint64_t(c.id) + 1);
    mem_.spin_until(c, me, kLockedWord, [](uint64_t v) { return v == 0; });
    return {true, bounce};
  }

  void do_release(Core& c) override {
    const LineId me = qnode_[c.id];
    uint64_t next = mem_.load(c, me, kNextWord);
    if (next == 0) {
      if (mem_.cas(c, tail_, kTailWord, uint64_t(c.id) + 1, 0)) return;
      // A successor swapped itself in but has not linked yet: wait for it.
      next = mem_.spin_until(c, me, kNextWord, [](uint64_t v) { return v != 0; });
    }
    mem_.store(c, qnode_[next - 1], kLockedWord, 0);
  }

 private:
  LineId tail_;
  std::vector<LineId> qnode_;
};

}  // namespace

std::unique_ptr<Lock> make_mcs_lock(std::string name, MemorySystem& mem, int home_die) {
  return std::make_unique<McsLock>(std::move(name), mem, home_die);
}

}  // namespace smpsim
