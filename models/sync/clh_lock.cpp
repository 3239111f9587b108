// CLH queue lock (Craig; Landin and Hagersten). The lock is a tail pointer to
// a queue node; a waiter swaps its own node in and spins on its
// predecessor's node; on release it clears its node and adopts the
// predecessor's for its next acquisition, so nodes migrate between CPUs.
#include "models/sync/lock.hpp"

namespace smpsim {
namespace {

class ClhLock : public Lock {
 public:
  ClhLock(std::string name, MemorySystem& mem, int home_die) : Lock(std::move(name), mem) {
    tail_ = mem.add_line(name_ + ".tail", home_die);
    lines_.push_back(tail_);
    const Topology& t = mem.machine().topo;
    for (int i = 0; i <= mem.cores(); ++i) {  // one node per CPU, plus the initial (free) node
      node_.push_back(mem.add_line(name_ + ".node" + std::to_string(i), i < mem.cores() ? t.die_of(i) : home_die));
      lines_.push_back(node_.back());
      mine_.push_back(i);
    }
    pred_.assign(mem.cores(), -1);
    // Setup outside simulated time: the tail points at the free node.
    mem.dir().line(tail_).words[0] = uint64_t(mem.cores()) + 1;
  }
  const char* kind() const override { return "clh"; }

 protected:
  bool do_acquire(Core& c) override {
    const int n = mine_[c.id];
    mem_.store(c, node_[n], 0, 1);  // locked
    const int pred = int(mem_.swap(c, tail_, 0, uint64_t(n) + 1)) - 1;
    pred_[c.id] = pred;
    const uint64_t v = mem_.load(c, node_[pred], 0);
    if (v == 0) return false;
    mem_.spin_until(c, node_[pred], 0, [](uint64_t x) { return x == 0; });
    return true;
  }

  void do_release(Core& c) override {
    mem_.store(c, node_[mine_[c.id]], 0, 0);
    mine_[c.id] = pred_[c.id];  // adopt the predecessor's node
  }

 private:
  LineId tail_;
  std::vector<LineId> node_;
  std::vector<int> mine_, pred_;  // by CPU: its current node, its predecessor's
};

}  // namespace

std::unique_ptr<Lock> make_clh_lock(std::string name, MemorySystem& mem, int home_die) {
  return std::make_unique<ClhLock>(std::move(name), mem, home_die);
}

SMPSIM_REGISTER(LockRegistry, [] {
  return LockKind{"clh",
                  "CLH queue lock: each waiter spins on its predecessor's node; nodes migrate between CPUs",
                  make_clh_lock};
});

}  // namespace smpsim
