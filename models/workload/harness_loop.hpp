// The benchmark harness's own loop: what a micro-benchmark's CPU executes between two operations besides
// its think time (the loop counter's increment, compare and branch, the op count stored to the CPU's own
// counter, the call into the next operation). Declared once here, used by every micro-benchmark loop
// (lock_micro, multi_lock, counter_micro, rw_micro); docs/workloads/micro.md gives the derivation.
#pragma once
#include "engine/params.hpp"

namespace smpsim {

inline ParamSpec loop_cycles_param() {
  return {"loop_cycles", "number", "cycles", 6, 0, 1e9, {},
          "The harness's own loop between two operations (counter, compare, branch, the op count stored to "
          "the CPU's own line, the call), user time added to the think time. Default an estimate: about 6 "
          "instructions at one taken branch per cycle (docs/workloads/micro.md)."};
}

}  // namespace smpsim
