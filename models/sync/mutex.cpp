// A sleeping mutex with optimistic spinning (kernel/locking/mutex.c, simplified):
// fast path one cmpxchg of the owner; then spin on the owner field while it is
// held, for at most kSpinLimitCycles (Linux spins while the owner runs; here
// owners always run, so the limit stands in for need_resched); then sleep on a
// wait queue. A release with sleepers hands the mutex to the first of them
// and wakes it (a scheduler wake-up and a reschedule IPI).
#include "models/sync/wait_queue.hpp"

namespace smpsim {
namespace {

constexpr double kSpinLimitCycles = 20000;

class Mutex : public Lock {
 public:
  Mutex(std::string name, MemorySystem& mem, int home_die)
      : Lock(std::move(name), mem), word_(mem.add_line(name_ + ".owner", home_die)), wq_(name_, mem, home_die) {
    lines_ = {word_};
  }
  const char* kind() const override { return "mutex"; }

 protected:
  static constexpr int kOwner = 0, kWaiters = 1;

  bool try_take(Core& c) {
    const uint64_t me = uint64_t(c.id) + 1;
    return mem_.rmw(c, word_, [me](std::vector<uint64_t>& w) {
      if (w[kOwner] || w[kWaiters]) return std::pair{uint64_t(0), false};
      w[kOwner] = me;
      return std::pair{uint64_t(1), true};
    });
  }

  bool do_acquire(Core& c) override {
    if (try_take(c)) return false;
    // Optimistic spinning.
    const double deadline = mem_.now_ns(c) + mem_.machine().ns(kSpinLimitCycles);
    uint64_t v = 0;
    while (mem_.spin_until_deadline(c, word_, kOwner, [](uint64_t o) { return o == 0; }, deadline, &v)) {
      if (try_take(c)) return true;
    }
    // Sleep. Taking a free mutex or announcing a waiter is one atomic, so a
    // release cannot slip between the check and the announcement.
    wq_.wait_lock().acquire(c);
    const uint64_t me = uint64_t(c.id) + 1;
    const bool took = mem_.rmw(c, word_, [me](std::vector<uint64_t>& w) {
      if (w[kOwner] == 0 && w[kWaiters] == 0) {
        w[kOwner] = me;
        return std::pair{uint64_t(1), true};
      }
      w[kWaiters] = 1;
      return std::pair{uint64_t(0), true};
    });
    if (took) {
      wq_.wait_lock().release(c);
      return true;
    }
    wq_.enqueue(c, WaitQueue::Kind::Writer);
    wq_.wait_lock().release(c);
    mem_.sleep(c);  // woken by the releaser, which made us the owner
    return true;
  }

  void do_release(Core& c) override {
    if (mem_.load(c, word_, kWaiters) == 0) {
      const bool done = mem_.rmw(c, word_, [](std::vector<uint64_t>& w) {
        if (w[kWaiters]) return std::pair{uint64_t(0), false};
        w[kOwner] = 0;
        return std::pair{uint64_t(1), true};
      });
      if (done) return;
    }
    wq_.wait_lock().acquire(c);  // a waiter announced itself under it: it is queued by now
    const WaitQueue::Waiter w = wq_.pop(c);
    const bool last = wq_.empty();
    mem_.rmw(c, word_, [&](std::vector<uint64_t>& x) {  // hand-off
      x[kOwner] = uint64_t(w.cpu) + 1;
      if (last) x[kWaiters] = 0;
      return std::pair{uint64_t(0), true};
    });
    wq_.wait_lock().release(c);
    mem_.wake_up(c, w.cpu);
  }

 private:
  LineId word_;
  WaitQueue wq_;
};

}  // namespace

std::unique_ptr<Lock> make_mutex(std::string name, MemorySystem& mem, int home_die) {
  return std::make_unique<Mutex>(std::move(name), mem, home_die);
}

SMPSIM_REGISTER(LockRegistry, [] {
  return LockKind{"mutex",
                  "sleeping mutex: cmpxchg fast path, bounded optimistic spinning on the owner, then sleep on a "
                   "wait queue; a release hands off to the first sleeper and wakes it (wake-up + IPI)",
                  make_mutex, true};
});

}  // namespace smpsim
