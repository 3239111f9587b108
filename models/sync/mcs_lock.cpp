#include "models/sync/mcs_lock.hpp"

namespace smpsim {

McsLock::McsLock(std::string name, MemorySystem& mem, int home_die) : Lock(std::move(name), mem) {
  tail_ = mem.add_line(name_ + ".tail", home_die);
  lines_.push_back(tail_);
  const Topology& t = mem.machine().topo;
  for (int i = 0; i < mem.cores(); ++i) {
    qnode_.push_back(mem.add_line(name_ + ".qnode" + std::to_string(i), t.die_of(i)));
    lines_.push_back(qnode_.back());
  }
}

bool McsLock::do_acquire(Core& c) {
  const LineId me = qnode_[c.id];
  mem_.store(c, me, kNextWord, 0);
  mem_.store(c, me, kLockedWord, 1);
  const uint64_t pred = mem_.swap(c, tail_, kTailWord, uint64_t(c.id) + 1);
  if (pred == 0) return false;
  mem_.store(c, qnode_[pred - 1], kNextWord, uint64_t(c.id) + 1);
  mem_.spin_until(c, me, kLockedWord, [](uint64_t v) { return v == 0; });
  return true;
}

bool McsLock::has_waiter(Core& c) { return mem_.load(c, qnode_[c.id], kNextWord) != 0; }

void McsLock::do_release(Core& c) {
  const LineId me = qnode_[c.id];
  uint64_t next = mem_.load(c, me, kNextWord);
  if (next == 0) {
    if (mem_.cas(c, tail_, kTailWord, uint64_t(c.id) + 1, 0)) return;
    // A successor swapped itself in but has not linked yet: wait for it.
    next = mem_.spin_until(c, me, kNextWord, [](uint64_t v) { return v != 0; });
  }
  mem_.store(c, qnode_[next - 1], kLockedWord, 0);
}

std::unique_ptr<Lock> make_mcs_lock(std::string name, MemorySystem& mem, int home_die) {
  return std::make_unique<McsLock>(std::move(name), mem, home_die);
}

SMPSIM_REGISTER(LockRegistry, [] {
  return LockKind{"mcs",
                  "MCS queue lock: each waiter spins on its own node; a release writes only the successor's",
                  make_mcs_lock};
});

}  // namespace smpsim
