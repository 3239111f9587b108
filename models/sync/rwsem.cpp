// A reader-writer semaphore with Linux semantics (kernel/locking/rwsem.c,
// simplified), the mmap_sem model: readers share; a writer excludes all;
// once anyone sleeps on the wait queue, new arrivals queue behind it (a
// waiting writer blocks new readers); writers spin optimistically on the
// owner for a bounded time before sleeping; a release hands the semaphore to
// the head of the queue: the first writer alone, or every reader at the head.
#include <stdexcept>

#include "models/sync/read_mostly.hpp"
#include "models/sync/wait_queue.hpp"

namespace smpsim {
namespace {

constexpr double kWriterSpinCycles = 20000;

class RwSem : public ReadMostly {
 public:
  RwSem(const std::string& name, MemorySystem& mem)
      : mem_(mem), word_(mem.add_line(name + ".count", 0)), wq_(name, mem, 0) {}
  const char* kind() const override { return "rwsem"; }

  void read(Core& c, const std::function<void()>& body) override {
    const double t0 = mem_.now_ns(c);
    ++stats_.reads;
    const bool fast = try_read(c);
    if (!fast && !spin_then_read(c)) {
      wq_.wait_lock().acquire(c);
      // Take it, or announce a waiter, in one atomic (no lost wake-up).
      const bool took = mem_.rmw(c, word_, [](std::vector<uint64_t>& w) {
        if (!w[kWriter] && !w[kWaiters]) {
          ++w[kReaders];
          return std::pair{uint64_t(1), true};
        }
        w[kWaiters] = 1;
        return std::pair{uint64_t(0), true};
      });
      if (!took) wq_.enqueue(c, WaitQueue::Kind::Reader);
      wq_.wait_lock().release(c);
      if (!took) mem_.sleep(c);  // granted by the waker: our reader count is already in
    }
    stats_.read_wait_ns += mem_.now_ns(c) - t0;
    timed_body(mem_, c, false, !fast, t0, body);
    const bool last_with_waiters = mem_.rmw(c, word_, [](std::vector<uint64_t>& w) {
      --w[kReaders];
      return std::pair{uint64_t(w[kReaders] == 0 && w[kWaiters]), true};
    });
    if (last_with_waiters) wake(c);
  }

  void write(Core& c, const std::function<void()>& body) override {
    const double t0 = mem_.now_ns(c);
    ++stats_.writes;
    bool got = try_write(c);
    const bool fast = got;
    if (!got) {  // optimistic spinning while the semaphore is busy
      const double deadline = mem_.now_ns(c) + mem_.machine().ns(kWriterSpinCycles);
      uint64_t v = 0;
      while (!got && mem_.spin_until_deadline(c, word_, kWriter, [](uint64_t o) { return o == 0; }, deadline, &v)) {
        got = try_write(c);
        if (!got && mem_.load(c, word_, kReaders) != 0) break;  // readers inside: no owner to spin on
      }
    }
    if (!got) {
      wq_.wait_lock().acquire(c);
      const uint64_t me = uint64_t(c.id) + 1;
      const bool took = mem_.rmw(c, word_, [me](std::vector<uint64_t>& w) {
        if (!w[kWriter] && !w[kReaders] && !w[kWaiters]) {
          w[kWriter] = me;
          return std::pair{uint64_t(1), true};
        }
        w[kWaiters] = 1;
        return std::pair{uint64_t(0), true};
      });
      if (!took) wq_.enqueue(c, WaitQueue::Kind::Writer);
      wq_.wait_lock().release(c);
      if (!took) mem_.sleep(c);  // granted by the waker: we are the owner
    }
    stats_.write_wait_ns += mem_.now_ns(c) - t0;
    timed_body(mem_, c, true, !fast, t0, body);
    const bool waiters = mem_.rmw(c, word_, [](std::vector<uint64_t>& w) {
      w[kWriter] = 0;
      return std::pair{uint64_t(w[kWaiters] != 0), true};
    });
    if (waiters) wake(c);
  }

  long long line_transfers() const override { return mem_.dir().line(word_).transfers + wq_.line_transfers(); }

 private:
  static constexpr int kReaders = 0, kWriter = 1, kWaiters = 2;

  bool try_read(Core& c) {
    return mem_.rmw(c, word_, [](std::vector<uint64_t>& w) {
      if (w[kWriter] || w[kWaiters]) return std::pair{uint64_t(0), false};
      ++w[kReaders];
      return std::pair{uint64_t(1), true};
    });
  }
  // Readers too spin, for a bounded time, while a writer owns the semaphore
  // and nobody sleeps (Linux >= 5.3), before they queue.
  bool spin_then_read(Core& c) {
    const double deadline = mem_.now_ns(c) + mem_.machine().ns(kWriterSpinCycles);
    uint64_t v = 0;
    while (mem_.load(c, word_, kWaiters) == 0 &&
           mem_.spin_until_deadline(c, word_, kWriter, [](uint64_t o) { return o == 0; }, deadline, &v))
      if (try_read(c)) return true;
    return false;
  }

  bool try_write(Core& c) {
    const uint64_t me = uint64_t(c.id) + 1;
    return mem_.rmw(c, word_, [me](std::vector<uint64_t>& w) {
      if (w[kWriter] || w[kReaders] || w[kWaiters]) return std::pair{uint64_t(0), false};
      w[kWriter] = me;
      return std::pair{uint64_t(1), true};
    });
  }

  // Hands the semaphore to the head of the queue if it is free for it.
  void wake(Core& c) {
    std::vector<int> woken;
    wq_.wait_lock().acquire(c);
    if (!wq_.empty()) {
      if (wq_.front().kind == WaitQueue::Kind::Writer) {
        const int cpu = wq_.front().cpu;
        const bool granted = mem_.rmw(c, word_, [cpu](std::vector<uint64_t>& w) {
          if (w[kWriter] || w[kReaders]) return std::pair{uint64_t(0), false};
          w[kWriter] = uint64_t(cpu) + 1;
          return std::pair{uint64_t(1), true};
        });
        if (granted) woken.push_back(wq_.pop(c).cpu);
      } else {
        int n = 0;
        std::vector<int> readers;
        while (!wq_.empty() && wq_.front().kind == WaitQueue::Kind::Reader) readers.push_back(wq_.pop(c).cpu), ++n;
        const bool granted = mem_.rmw(c, word_, [n](std::vector<uint64_t>& w) {
          if (w[kWriter]) return std::pair{uint64_t(0), false};
          w[kReaders] += uint64_t(n);
          return std::pair{uint64_t(1), true};
        });
        // With waiters announced, only wake() grants: no writer can hold it here.
        if (!granted) throw std::logic_error("rwsem: readers at the head found a writer inside");
        woken = readers;
      }
      const bool empty = wq_.empty();
      if (empty)
        mem_.rmw(c, word_, [](std::vector<uint64_t>& w) {
          w[kWaiters] = 0;
          return std::pair{uint64_t(0), true};
        });
    }
    wq_.wait_lock().release(c);
    for (int cpu : woken) mem_.wake_up(c, cpu);
  }

  MemorySystem& mem_;
  LineId word_;
  WaitQueue wq_;
};

std::unique_ptr<ReadMostly> make_rwsem(const std::string& name, MemorySystem& mem) {
  return std::make_unique<RwSem>(name, mem);
}

}  // namespace

SMPSIM_REGISTER(ReadMostlyRegistry, [] {
  return ReadMostlyKind{"rwsem",
                        "sleeping reader-writer semaphore (Linux rw_semaphore, mmap_sem): a count word taken with "
                        "atomics, optimistic spinning on a writer owner, then sleep on a wait queue; wake-ups go "
                        "through the scheduler",
                        make_rwsem};
});

}  // namespace smpsim
