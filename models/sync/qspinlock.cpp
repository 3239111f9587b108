// Linux's queued spinlock (kernel/locking/qspinlock.c), simplified to its
// three paths over one lock word, modelled as three words of the lock line
// (its bytes): `locked`, `pending` and `tail` (the last queued CPU + 1). A
// release is a plain store to `locked` alone, as in Linux.
//  - fast path: the word is 0: set locked with one cmpxchg;
//  - pending: the lock is held but nobody waits: set pending, spin until the
//    locked bit clears, then take the lock and clear pending in one store
//    (clear_pending_set_locked);
//  - queue: anything more: MCS-queue on a per-CPU node; the queue head spins
//    until locked and pending are both clear (one condition on one word),
//    takes the lock (cmpxchg if it is the last in the queue, else a plain
//    store of the locked bit) and hands the head of the queue to its successor.
#include "models/sync/lock.hpp"

namespace smpsim {
namespace {

class QSpinLock : public Lock {
 public:
  QSpinLock(std::string name, MemorySystem& mem, int home_die) : Lock(std::move(name), mem) {
    word_ = mem.add_line(name_ + ".val", home_die);
    lines_.push_back(word_);
    const Topology& t = mem.machine().topo;
    for (int i = 0; i < mem.cores(); ++i) {
      qnode_.push_back(mem.add_line(name_ + ".qnode" + std::to_string(i), t.die_of(i)));
      lines_.push_back(qnode_.back());
    }
  }
  const char* kind() const override { return "qspinlock"; }

 protected:
  static constexpr int kLocked = 0, kPending = 1, kTail = 2;  // words of the lock line
  static constexpr int kNext = 0, kMcsLocked = 1;               // words of a queue node

  bool do_acquire(Core& c) override {
    const uint64_t me = uint64_t(c.id) + 1;
    // Fast path: one cmpxchg; on failure it tells what the word held.
    constexpr uint64_t kGot = 1, kSawWaiters = 2;
    const uint64_t fast = mem_.rmw(c, word_, [=](std::vector<uint64_t>& w) {
      if (!w[kLocked] && !w[kPending] && !w[kTail]) {
        w[kLocked] = 1;
        return std::pair{kGot, true};
      }
      return std::pair{(w[kPending] || w[kTail]) ? kSawWaiters : uint64_t(0), false};
    });
    if (fast == kGot) return false;

    // Pending path: the lock is held and nobody else waits: one fetch-or of pending.
    if (fast != kSawWaiters) {
      const bool pending = mem_.rmw(c, word_, [](std::vector<uint64_t>& w) {
        if (w[kPending] || w[kTail]) return std::pair{uint64_t(0), false};
        w[kPending] = 1;
        return std::pair{uint64_t(1), true};
      });
      if (pending) {
        mem_.spin_until(c, word_, kLocked, [](uint64_t v) { return v == 0; });
        mem_.store_words(c, word_, {{kLocked, 1}, {kPending, 0}});  // clear_pending_set_locked
        return true;
      }
    }

    // Queue.
    const LineId node = qnode_[c.id];
    mem_.store(c, node, kNext, 0);
    mem_.store(c, node, kMcsLocked, 1);
    const uint64_t prev = mem_.rmw(c, word_, [me](std::vector<uint64_t>& w) {
      const uint64_t old = w[kTail];
      w[kTail] = me;
      return std::pair{old, true};
    });
    if (prev != 0) {
      mem_.store(c, qnode_[prev - 1], kNext, me);
      mem_.spin_until(c, node, kMcsLocked, [](uint64_t v) { return v == 0; });
    }
    // Head of the queue: nobody but us may take the lock now (the tail is
    // set, so the fast and pending paths are closed); wait for the owner and
    // any pending waiter to go.
    mem_.spin_until_line(c, word_, [](const std::vector<uint64_t>& w) { return !w[kLocked] && !w[kPending]; });
    const bool last = mem_.rmw(c, word_, [me](std::vector<uint64_t>& w) {
      if (w[kTail] != me) return std::pair{uint64_t(0), false};
      w[kLocked] = 1;
      w[kTail] = 0;
      return std::pair{uint64_t(1), true};
    });
    if (last) return true;
    mem_.store(c, word_, kLocked, 1);  // set_locked
    const uint64_t next = mem_.spin_until(c, node, kNext, [](uint64_t v) { return v != 0; });
    mem_.store(c, qnode_[next - 1], kMcsLocked, 0);
    return true;
  }

  void do_release(Core& c) override { mem_.store(c, word_, kLocked, 0); }

 private:
  LineId word_;
  std::vector<LineId> qnode_;
};

}  // namespace

std::unique_ptr<Lock> make_qspinlock(std::string name, MemorySystem& mem, int home_die) {
  return std::make_unique<QSpinLock>(std::move(name), mem, home_die);
}

SMPSIM_REGISTER(LockRegistry, [] {
  return LockKind{"qspinlock",
                  "Linux qspinlock: a locked byte, a pending bit for the first waiter, then an MCS queue",
                  make_qspinlock};
});

}  // namespace smpsim
