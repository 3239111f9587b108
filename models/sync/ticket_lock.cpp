// Ticket spinlock (Linux before 4.2): take a ticket with fetch-and-add on
// `next`, spin until `owner` (now serving) reaches it; release by storing
// owner + 1. Every waiter spins on the same line, so each release is followed
// by a re-read from every waiter, served one at a time by the line's home:
// the hand-off grows with the number of waiters.
// ticket_backoff (proportional backoff, as proposed for Linux after
// "Non-scalable locks are dangerous"): a waiter k places from the head reads
// now-serving only every k x kHandoffCycles, so fewer reads queue at the home.
#include "models/sync/lock.hpp"

namespace smpsim {
namespace {

constexpr double kHandoffCycles = 300;  // expected time per waiter ahead: about one cross-die hand-off

class TicketLock : public Lock {
 public:
  TicketLock(std::string name, MemorySystem& mem, int home_die, bool backoff)
      : Lock(std::move(name), mem), backoff_(backoff) {
    // One line, two words, as in arch_spinlock_t.
    line_ = mem.add_line(name_ + ".tickets", home_die);
    lines_ = {line_};
  }
  const char* kind() const override { return backoff_ ? "ticket_backoff" : "ticket"; }

 protected:
  static constexpr int kNext = 0, kOwner = 1;

  bool do_acquire(Core& c) override {
    const uint64_t ticket = mem_.fetch_add(c, line_, kNext, 1);
    uint64_t serving = mem_.load(c, line_, kOwner);
    if (serving == ticket) return false;
    if (!backoff_) {
      mem_.spin_until(c, line_, kOwner, [ticket](uint64_t v) { return v == ticket; });
      return true;
    }
    while (serving != ticket) {
      mem_.compute(c, double(ticket - serving) * kHandoffCycles, CpuState::Spin);
      serving = mem_.load(c, line_, kOwner);
    }
    return true;
  }

  void do_release(Core& c) override {
    const uint64_t serving = mem_.load(c, line_, kOwner);
    mem_.store(c, line_, kOwner, serving + 1);
  }

 private:
  bool backoff_;
  LineId line_;
};

}  // namespace

std::unique_ptr<Lock> make_ticket_lock(std::string name, MemorySystem& mem, int home_die) {
  return std::make_unique<TicketLock>(std::move(name), mem, home_die, false);
}
std::unique_ptr<Lock> make_ticket_backoff_lock(std::string name, MemorySystem& mem, int home_die) {
  return std::make_unique<TicketLock>(std::move(name), mem, home_die, true);
}

SMPSIM_REGISTER(LockRegistry, [] {
  return LockKind{"ticket",
                  "ticket lock: fetch-and-add a ticket, spin on now-serving (Linux before 4.2)",
                  make_ticket_lock};
});

SMPSIM_REGISTER(LockRegistry, [] {
  return LockKind{"ticket_backoff",
                  "ticket lock with proportional backoff: wait (ticket - now serving) x a hand-off time "
                   "between reads instead of spinning on the line",
                  make_ticket_backoff_lock};
});

}  // namespace smpsim
