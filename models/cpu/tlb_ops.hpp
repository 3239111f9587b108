// TLB operations over the memory system: a translation (a hit, or a page walk
// that loads page-table lines through the coherence model), an address-space
// switch, and a shootdown (the Linux/Windows protocol: write the request,
// IPI every CPU that ran the space, each invalidates and acknowledges, the
// initiator waits for every acknowledgement).
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "models/coherence/memory_system.hpp"
#include "models/cpu/address_space.hpp"

namespace smpsim {

// Translates `vpage` on c: a TLB hit costs nothing extra; a miss walks
// tlb_walk_levels page-table lines (time in the "tlb" state) and fills the TLB.
void tlb_translate(MemorySystem& mem, Core& c, AddressSpace& as, uint64_t vpage);

// Invalidates `pages` of address space `asid` in c's own TLB (INVLPG each, or
// a full flush above tlb_flush_ceiling).
void tlb_invalidate_local(MemorySystem& mem, Core& c, uint64_t asid, const std::vector<uint64_t>& pages);

// Runs `as` on c: records c in the space's CPU mask; without PCID the TLB is flushed.
void switch_mm(MemorySystem& mem, Core& c, AddressSpace& as);

// A shootdown's first step: reading mm_cpumask, the CPUs that ran the space (a miss after another CPU has
// set its bit in switch_mm).
void read_mm_cpumask(MemorySystem& mem, Core& c, AddressSpace& as);

// Invalidates `pages` on the initiator and on every other CPU that ran `as`.
// More pages than tlb_flush_ceiling flush whole TLBs. With `broadcast`, one
// IPI send (a shorthand) reaches all targets. Returns the number of targets.
// With `precise`, only CPUs whose TLB holds one of the pages are targets
// (RadixVM-style tracking of who mapped what); otherwise every CPU that ran
// the space (Linux's mm_cpumask). With `among`, only CPUs it accepts are
// targets (a ccCluster instance shoots down its own CPUs).
int tlb_shootdown(MemorySystem& mem, Core& initiator, AddressSpace& as, const std::vector<uint64_t>& pages,
                  bool broadcast, bool precise = false, const std::function<bool(int)>& among = nullptr);

}  // namespace smpsim
