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
};

const std::vector<std::string>& counter_kinds();
std::unique_ptr<Counter> make_counter(const std::string& kind, const std::string& name, MemorySystem& mem,
                                      int sloppy_threshold);

}  // namespace smpsim
