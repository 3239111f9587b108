// A kernel design maps the kernel objects a workload names onto locks and
// cache lines. The workload never knows which design runs it, and the design
// never knows which workload calls it.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "models/sync/lock.hpp"

namespace smpsim {

class KernelDesign {
 public:
  virtual ~KernelDesign() = default;
  virtual const char* kind() const = 0;
  // The lock protecting kernel object `object`, of kind `lock_kind` (the
  // workload's request; a design may map it to its own primitive).
  virtual Lock& lock_for(const std::string& object, const std::string& lock_kind) = 0;
  virtual std::vector<const Lock*> locks() const = 0;
};

// The designs a scenario may name, and a factory over them.
const std::vector<std::string>& design_kinds();
std::unique_ptr<KernelDesign> make_design(const std::string& kind, MemorySystem& mem);

}  // namespace smpsim
