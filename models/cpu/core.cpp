#include "models/cpu/core.hpp"

namespace smpsim {

const char* cpu_state_name(CpuState s) {
  static const char* const names[kCpuStateCount] = {"user", "kernel", "spin", "blocked", "irq",
                                                    "tlb",  "stall",  "barrier", "idle"};
  return names[int(s)];
}

}  // namespace smpsim
