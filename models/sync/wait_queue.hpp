// A kernel wait queue: a list of sleeping tasks protected by a spinlock
// (wait_lock). Its lines: the spinlock's, the list head, and one node per CPU
// (the task's on-stack waiter, on its own die). Callers hold wait_lock around
// enqueue / pop; sleeping and waking go through the scheduler model.
#pragma once
#include <deque>
#include <memory>
#include <string>

#include "models/sync/lock.hpp"

namespace smpsim {

class WaitQueue {
 public:
  enum class Kind { Reader, Writer };
  struct Waiter {
    int cpu;
    Kind kind;
    double since_ns;
  };

  WaitQueue(const std::string& name, MemorySystem& mem, int home_die)
      : mem_(mem), lock_(make_lock("qspinlock", name + ".wait_lock", mem, home_die)),
        head_(mem.add_line(name + ".wait_list", home_die)) {
    for (int i = 0; i < mem.cores(); ++i)
      node_.push_back(mem.add_line(name + ".waiter" + std::to_string(i), mem.machine().topo.die_of(i)));
  }
  Lock& wait_lock() { return *lock_; }
  // Misses on its lines: the wait lock's, the list head, the waiters' nodes.
  long long line_transfers() const {
    long long n = lock_->line_transfers() + mem_.dir().line(head_).transfers;
    for (LineId l : node_) n += mem_.dir().line(l).transfers;
    return n;
  }
  bool empty() const { return q_.empty(); }
  const Waiter& front() const { return q_.front(); }

  // Under wait_lock.
  void enqueue(Core& c, Kind k) {
    mem_.store(c, node_[c.id], 0, 1);
    mem_.store(c, head_, 0, q_.size() + 1);
    q_.push_back({c.id, k, mem_.now_ns(c)});
  }
  Waiter pop(Core& c) {
    Waiter w = q_.front();
    q_.pop_front();
    mem_.load(c, node_[w.cpu], 0);  // list_del touches the waiter's node
    mem_.store(c, head_, 0, q_.size());
    return w;
  }

 private:
  MemorySystem& mem_;
  std::unique_ptr<Lock> lock_;
  LineId head_;
  std::vector<LineId> node_;
  std::deque<Waiter> q_;
};

}  // namespace smpsim
