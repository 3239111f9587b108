// An address space as the hardware sees it: an ASID, the page-table lines a
// TLB miss walks (created on first use, homed on the space's node), and the
// CPUs that have run it (mm_cpumask: the targets of a TLB shootdown).
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <utility>

#include "models/coherence/directory.hpp"

namespace smpsim {

struct AddressSpace {
  uint64_t asid = 1;
  int home_die = 0;
  std::map<std::pair<int, uint64_t>, LineId> pt_lines;  // (level, index) -> line
  std::set<int> cpus_ran;                               // ordered: deterministic shootdowns
  LineId cpumask_line = -1;  // where mm_cpumask lives (in the mm, homed with it): set by switch_mm, read by a shootdown
  LineId tlb_gen_line = -1;  // mm->context.tlb_gen: a shootdown increments it, each target's flush reads it
};

}  // namespace smpsim
