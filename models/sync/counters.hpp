// Scalable counting (Documentation: docs/locking/counters.md).
//  atomic: one shared line, fetch-and-add per increment (atomic_t, a refcount);
//  percpu: one line per CPU; an increment is local, a read sums every line
//          (percpu_counter_sum);
//  sloppy: per-CPU local counts spilled into the shared count with one
//          fetch-and-add every `threshold` increments (MOSBENCH's sloppy
//          counters, Boyd-Wickizer et al., OSDI 2010); a read sees the shared
//          count, short by at most threshold per CPU.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "models/coherence/memory_system.hpp"

namespace smpsim {

class Counter {
 public:
  virtual ~Counter() = default;
  virtual void add(Core& c, int64_t delta) = 0;
  virtual int64_t read(Core& c) = 0;
  // Compare-and-swaps that failed and were retried (a cas_loop's; 0 with fetch_add).
  long long cas_failures() const { return cas_failures_; }

 protected:
  long long cas_failures_ = 0;
};

const std::vector<std::string>& counter_kinds();

// How an increment of a shared count is made:
//  fetch_add: one locked fetch-and-add (x86 lock xadd, atomic_add);
//  cas_loop:  read the count, then compare-and-swap old -> old + delta, retrying with the value the
//             failed CAS returned (atomic_add_unless, refcount_inc_not_zero, or an ISA with only CAS):
//             MemorySystem::cas_loop_add.
enum class SharedAdd { FetchAdd, CasLoop };
const std::vector<std::string>& shared_add_kinds();  // by SharedAdd order
SharedAdd shared_add_from(const std::string& name);
// Returns true if a CAS failed (and was retried).
bool shared_add(MemorySystem& mem, Core& c, LineId line, int64_t delta, SharedAdd how);

std::unique_ptr<Counter> make_counter(const std::string& kind, const std::string& name, MemorySystem& mem,
                                      int sloppy_threshold, SharedAdd how = SharedAdd::FetchAdd);

}  // namespace smpsim
