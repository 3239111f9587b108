#include "models/sync/read_mostly.hpp"

#include <stdexcept>

namespace smpsim {
namespace {

class SpinRwLock : public ReadMostly {
 public:
  SpinRwLock(const std::string& name, MemorySystem& mem) : mem_(mem), word_(mem.add_line(name + ".rw", 0)) {}
  const char* kind() const override { return "rwlock"; }

  void read(Core& c, const std::function<void()>& body) override {
    const double t0 = mem_.now_ns(c);
    bool contended = false;
    for (;;) {  // readers enter unless a writer holds or waits (writer preference)
      const bool in = mem_.rmw(c, word_, [](std::vector<uint64_t>& w) {
        if (w[kWriter]) return std::pair{uint64_t(0), false};
        ++w[kReaders];
        return std::pair{uint64_t(1), true};
      });
      if (in) break;
      contended = true;
      mem_.spin_until(c, word_, kWriter, [](uint64_t v) { return v == 0; });
    }
    stats_.read_wait_ns += mem_.now_ns(c) - t0;
    ++stats_.reads;
    timed_body(mem_, c, false, contended, t0, body);
    mem_.fetch_add(c, word_, kReaders, uint64_t(-1));
  }

  void write(Core& c, const std::function<void()>& body) override {
    const double t0 = mem_.now_ns(c);
    bool contended = false;
    for (;;) {
      const bool mine = mem_.rmw(c, word_, [](std::vector<uint64_t>& w) {
        if (w[kWriter]) return std::pair{uint64_t(0), false};
        w[kWriter] = 1;
        return std::pair{uint64_t(1), true};
      });
      if (mine) break;
      contended = true;
      mem_.spin_until(c, word_, kWriter, [](uint64_t v) { return v == 0; });
    }
    bool readers_inside = false;
    mem_.spin_until(c, word_, kReaders, [](uint64_t v) { return v == 0; }, &readers_inside);
    stats_.write_wait_ns += mem_.now_ns(c) - t0;
    ++stats_.writes;
    timed_body(mem_, c, true, contended || readers_inside, t0, body);
    mem_.store(c, word_, kWriter, 0);
  }

  long long line_transfers() const override { return mem_.dir().line(word_).transfers; }

 private:
  static constexpr int kReaders = 0, kWriter = 1;
  MemorySystem& mem_;
  LineId word_;
};

class SeqLock : public ReadMostly {
 public:
  SeqLock(const std::string& name, MemorySystem& mem)
      : mem_(mem), seq_(mem.add_line(name + ".seq", 0)), writers_(make_lock("ticket", name + ".lock", mem, 0)) {
    writers_->set_counted(false);  // record() counts the writer's wait
  }
  const char* kind() const override { return "seqlock"; }

  void read(Core& c, const std::function<void()>& body) override {
    const double t0 = mem_.now_ns(c);
    ++stats_.reads;
    bool contended = false;
    double body_ns = 0;
    for (;;) {
      bool odd = false;
      const uint64_t s = mem_.spin_until(c, seq_, 0, [](uint64_t v) { return v % 2 == 0; }, &odd);  // read_seqbegin
      contended |= odd;
      set_contended(c, contended);
      const double b0 = mem_.now_ns(c);
      body();
      body_ns = mem_.now_ns(c) - b0;
      mem_.full_barrier(c);  // smp_rmb (a full barrier in the model)
      if (mem_.load(c, seq_, 0) == s) break;  // read_seqretry
      ++stats_.read_retries;
      contended = true;
    }
    stats_.read_wait_ns += mem_.now_ns(c) - t0;
    record(c, false, contended, mem_.now_ns(c) - t0 - body_ns, body_ns);
  }

  void write(Core& c, const std::function<void()>& body) override {
    const double t0 = mem_.now_ns(c);
    const bool contended = writers_->acquire(c);
    stats_.write_wait_ns += mem_.now_ns(c) - t0;
    ++stats_.writes;
    mem_.store(c, seq_, 0, mem_.load(c, seq_, 0) + 1);  // odd: readers will retry
    mem_.store_barrier(c);
    timed_body(mem_, c, true, contended, t0, body);
    mem_.store_barrier(c);
    mem_.store(c, seq_, 0, mem_.load(c, seq_, 0) + 1);
    writers_->release(c);
  }

  long long line_transfers() const override { return mem_.dir().line(seq_).transfers + writers_->line_transfers(); }

 private:
  MemorySystem& mem_;
  LineId seq_;
  std::unique_ptr<Lock> writers_;
};

// Each CPU publishes (transitions << 1) | in_extended_quiescent_state on its
// own line, updated with an atomic at every kernel entry and exit, as RCU's
// dynticks counter is.
class Rcu : public ReadMostly {
 public:
  // With `batched`, writers use call_rcu: the freeing waits for a grace
  // period, the writer does not; one grace period serves kBatch callbacks
  // (RCU's callback batching), waited for by every kBatch-th writer.
  static constexpr int kBatch = 16;
  Rcu(const std::string& name, MemorySystem& mem, bool batched)
      : mem_(mem), writers_(make_lock("ticket", name + ".lock", mem, 0)), batched_(batched) {
    writers_->set_counted(false);  // record() counts the writer's wait
    for (int i = 0; i < mem.cores(); ++i) {
      qs_.push_back(mem.add_line(name + ".qs" + std::to_string(i), mem.machine().topo.die_of(i)));
      mem.dir().line(qs_.back()).words[0] = 1;  // set-up: every CPU starts outside the kernel
    }
  }
  const char* kind() const override { return batched_ ? "rcu_batched" : "rcu"; }

  void read(Core& c, const std::function<void()>& body) override {
    ++stats_.reads;
    const double t0 = mem_.now_ns(c);
    mem_.compute(c, 2, CpuState::Kernel);  // rcu_read_lock: a per-CPU preemption count
    timed_body(mem_, c, false, false, t0, body);
    mem_.compute(c, 2, CpuState::Kernel);  // rcu_read_unlock
  }

  void write(Core& c, const std::function<void()>& body) override {
    const double t0 = mem_.now_ns(c);
    const bool contended = writers_->acquire(c);
    stats_.write_wait_ns += mem_.now_ns(c) - t0;
    ++stats_.writes;
    timed_body(mem_, c, true, contended, t0, body);
    writers_->release(c);
    if (!batched_) {
      synchronize(c);
      return;
    }
    mem_.compute(c, 50, CpuState::Kernel);  // call_rcu: queue the callback on this CPU
    if (int(queued_.size()) <= c.id) queued_.resize(size_t(c.id) + 1, 0);
    if (++queued_[size_t(c.id)] % kBatch == 0) synchronize(c);  // the batch's grace period
  }

  void enter_quiescent(Core& c) override { mem_.fetch_add(c, qs_[c.id], 0, 3); }  // +2 transitions, set bit 0
  void exit_quiescent(Core& c) override { mem_.fetch_add(c, qs_[c.id], 0, 1); }   // clears bit 0, +1 -> next even

  // synchronize_rcu: snapshot every other CPU's state; a CPU in an extended
  // quiescent state is done; any other must change its state (pass through a
  // quiescent state) before the grace period ends.
  void synchronize(Core& c) {
    const double t0 = mem_.now_ns(c);
    ++stats_.grace_periods;
    // synchronize_rcu sleeps: the CPU schedules away, itself a quiescent state
    // (without it two writers waiting for each other would never finish).
    enter_quiescent(c);
    std::vector<uint64_t> snap(qs_.size());
    for (size_t i = 0; i < qs_.size(); ++i)
      if (int(i) != c.id) snap[i] = mem_.load(c, qs_[i], 0);
    for (size_t i = 0; i < qs_.size(); ++i) {
      if (int(i) == c.id || (snap[i] & 1)) continue;
      const uint64_t s = snap[i];
      mem_.spin_until(c, qs_[i], 0, [s](uint64_t v) { return v != s; });
    }
    exit_quiescent(c);
    stats_.grace_period_ns += mem_.now_ns(c) - t0;
  }

  long long line_transfers() const override {
    long long n = writers_->line_transfers();
    for (LineId l : qs_) n += mem_.dir().line(l).transfers;
    return n;
  }

 private:
  MemorySystem& mem_;
  std::vector<LineId> qs_;
  std::unique_ptr<Lock> writers_;
  bool batched_;
  std::vector<int> queued_;  // callbacks queued per CPU
};

std::unique_ptr<ReadMostly> make_spin_rwlock(const std::string& name, MemorySystem& mem) {
  return std::make_unique<SpinRwLock>(name, mem);
}
std::unique_ptr<ReadMostly> make_seqlock(const std::string& name, MemorySystem& mem) {
  return std::make_unique<SeqLock>(name, mem);
}
std::unique_ptr<ReadMostly> make_rcu(const std::string& name, MemorySystem& mem) {
  return std::make_unique<Rcu>(name, mem, false);
}
std::unique_ptr<ReadMostly> make_rcu_batched(const std::string& name, MemorySystem& mem) {
  return std::make_unique<Rcu>(name, mem, true);
}

}  // namespace

SMPSIM_REGISTER(ReadMostlyRegistry, [] {
  return ReadMostlyKind{"rwlock",
                        "spinning reader-writer lock: readers add themselves to a count on the lock line, a writer "
                        "sets a flag (which stops new readers) and waits for the count to drain",
                        make_spin_rwlock};
});
SMPSIM_REGISTER(ReadMostlyRegistry, [] {
  return ReadMostlyKind{"seqlock",
                        "sequence lock: readers take nothing, read the count before and after and retry when a "
                        "writer (serialized by a ticket lock) made it odd or changed it",
                        make_seqlock};
});
SMPSIM_REGISTER(ReadMostlyRegistry, [] {
  return ReadMostlyKind{"rcu",
                        "RCU: readers touch nothing shared; a writer updates, then waits for a grace period (every "
                        "CPU passes a quiescent state; user mode and idle are quiescent already)",
                        make_rcu};
});
SMPSIM_REGISTER(ReadMostlyRegistry, [] {
  return ReadMostlyKind{"rcu_batched",
                        "RCU with call_rcu: a writer queues its free and goes on; one grace period serves a batch "
                        "of 16 callbacks, waited for by every 16th writer on a CPU",
                        make_rcu_batched};
});

const std::vector<std::string>& read_mostly_kinds() {
  static const std::vector<std::string> k = ReadMostlyRegistry::names();
  return k;
}

std::unique_ptr<ReadMostly> make_read_mostly(const std::string& kind, const std::string& name, MemorySystem& mem) {
  const ReadMostlyKind* k = ReadMostlyRegistry::find(kind);
  if (!k) throw std::invalid_argument("unknown read-mostly kind " + kind);
  std::unique_ptr<ReadMostly> r = k->make(name, mem);
  r->set_name(name);
  return r;
}

}  // namespace smpsim
