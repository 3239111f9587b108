// Test-and-set locks.
//  tas:  atomic exchange in a loop. Every try takes the line exclusive, so
//        waiters' exchanges queue at the line's home in front of the holder's
//        release: the more waiters, the later the release lands.
//  ttas: test-and-test-and-set with exponential backoff: spin reading until
//        the lock looks free, then try the exchange; after a failed try wait
//        a random time up to base x 2^failures (capped) before reading again.
#include "models/sync/lock.hpp"

namespace smpsim {
namespace {

constexpr double kBackoffBaseCycles = 128;   // first backoff window
constexpr double kBackoffCapCycles = 8192;   // largest window

class TasLock : public Lock {
 public:
  TasLock(std::string name, MemorySystem& mem, int home_die, bool test_first)
      : Lock(std::move(name), mem), test_first_(test_first) {
    word_ = mem.add_line(name_ + ".word", home_die);
    lines_ = {word_};
  }
  const char* kind() const override { return test_first_ ? "ttas" : "tas"; }

 protected:
  bool do_acquire(Core& c) override {
    bool first = true, waited = false;
    double window = kBackoffBaseCycles;
    for (;;) {
      if (test_first_) {
        bool w = false;
        mem_.spin_until(c, word_, 0, [](uint64_t v) { return v == 0; }, &w);
        waited |= w;
      }
      const uint64_t old = mem_.swap(c, word_, 0, 1);
      if (old == 0) return waited || !first;
      first = false;
      if (test_first_) {
        mem_.compute(c, window * c.rng.uniform01(), CpuState::Spin);
        window = std::min(window * 2, kBackoffCapCycles);
      }
    }
  }
  void do_release(Core& c) override { mem_.store(c, word_, 0, 0); }

 private:
  bool test_first_;
  LineId word_;
};

}  // namespace

std::unique_ptr<Lock> make_tas_lock(std::string name, MemorySystem& mem, int home_die) {
  return std::make_unique<TasLock>(std::move(name), mem, home_die, false);
}
std::unique_ptr<Lock> make_ttas_lock(std::string name, MemorySystem& mem, int home_die) {
  return std::make_unique<TasLock>(std::move(name), mem, home_die, true);
}

SMPSIM_REGISTER(LockRegistry, [] {
  return LockKind{"tas",
                  "test-and-set: atomic exchange until it returns 0; every waiter retries on every release",
                  make_tas_lock};
});

SMPSIM_REGISTER(LockRegistry, [] {
  return LockKind{"ttas",
                  "test-and-test-and-set with exponential backoff: spin reading, then try the exchange; back off "
                   "after a failed try",
                  make_ttas_lock};
});

}  // namespace smpsim
