// Lock cohorting (Dice, Marathe, Shavit, PPoPP 2012), C-TKT-MCS: a global
// ticket lock and one MCS lock per socket. A CPU takes its socket's MCS lock,
// then the global lock unless a socket-mate handed it over. On release, if a
// socket-mate waits and the cohort has passed the lock fewer than kPassLimit
// times, the global lock stays held and only the MCS lock is passed: the
// lock, and the data it protects, stay in one socket's caches.
#include "models/sync/mcs_lock.hpp"

namespace smpsim {
namespace {

constexpr int kPassLimit = 64;

class CohortLock : public Lock {
 public:
  CohortLock(std::string name, MemorySystem& mem, int home_die) : Lock(std::move(name), mem) {
    const Topology& t = mem.machine().topo;
    global_ = make_ticket_lock(name_ + ".global", mem, home_die);
    global_->set_traced(false);
    for (int s = 0; s < t.sockets; ++s) {
      const int die = s * t.dies_per_socket;
      local_.push_back(std::make_unique<McsLock>(name_ + ".local" + std::to_string(s), mem, die));
      local_.back()->set_traced(false);
      inherited_.push_back(mem.add_line(name_ + ".cohort" + std::to_string(s), die));
    }
    passes_.assign(t.sockets, 0);
  }
  const char* kind() const override { return "cohort"; }
  long long line_transfers() const override {
    long long n = global_->line_transfers();
    for (const auto& l : local_) n += l->line_transfers();
    return n;
  }

 protected:
  bool do_acquire(Core& c) override {
    const int s = mem_.machine().topo.socket_of(c.id);
    const bool local_contended = local_[s]->acquire(c);
    if (mem_.load(c, inherited_[s], 0) == 1) return true;  // the global lock came with the cohort
    const bool global_contended = global_->acquire(c);
    return local_contended || global_contended;
  }

  void do_release(Core& c) override {
    const int s = mem_.machine().topo.socket_of(c.id);
    if (passes_[s] < kPassLimit && local_[s]->has_waiter(c)) {
      ++passes_[s];
      mem_.store(c, inherited_[s], 0, 1);
      local_[s]->release(c);
      return;
    }
    passes_[s] = 0;
    mem_.store(c, inherited_[s], 0, 0);
    global_->release(c);
    local_[s]->release(c);
  }

 private:
  std::unique_ptr<Lock> global_;
  std::vector<std::unique_ptr<McsLock>> local_;
  std::vector<LineId> inherited_;  // per socket: 1 while the cohort holds the global lock
  std::vector<int> passes_;        // per socket; only the local lock's holder touches it
};

}  // namespace

std::unique_ptr<Lock> make_cohort_lock(std::string name, MemorySystem& mem, int home_die) {
  return std::make_unique<CohortLock>(std::move(name), mem, home_die);
}

SMPSIM_REGISTER(LockRegistry, [] {
  return LockKind{"cohort",
                  "lock cohorting (C-TKT-MCS): a per-socket MCS lock and a global ticket lock, passed within a "
                   "socket up to 64 times before the global lock is released",
                  make_cohort_lock};
});

}  // namespace smpsim
