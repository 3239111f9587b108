// TLB operations over the memory system: a translation (a hit, or a page walk
// that loads page-table lines through the coherence model), an address-space
// switch, and a shootdown (the Linux/Windows protocol: write the request,
// IPI every CPU that ran the space, each invalidates and acknowledges, the
// initiator waits for every acknowledgement).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
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

// How the kernel carries a shootdown to its targets (both Linux, x86):
//  - CallFunction: smp_call_function_many_cond (Linux 3.x-6.x): a csd per target queued on the target's
//    call_single_queue; the initiator then waits on each target's csd in turn.
//  - FlushCpumask: Linux 2.6.2x (arch/x86/kernel/tlb_64.c): one request and one shared cpumask, whose bits
//    the targets clear with an atomic; the initiator spins until it is empty.
enum class ShootdownProtocol { CallFunction, FlushCpumask };
ShootdownProtocol shootdown_protocol_named(const std::string& name);

struct ShootdownOptions {
  bool broadcast = false;  // one IPI send (a shorthand) reaches all targets
  bool precise = false;    // only CPUs whose TLB holds one of the pages (RadixVM-style tracking)
  ShootdownProtocol protocol = ShootdownProtocol::CallFunction;
  std::function<bool(int)> among;  // only CPUs it accepts (a ccCluster instance shoots down its own CPUs)
};

// Invalidates `pages` on the initiator and on every other CPU that ran `as`
// (Linux's mm_cpumask), or those `o` selects. More pages than tlb_flush_ceiling
// flush whole TLBs. Returns the number of targets.
int tlb_shootdown(MemorySystem& mem, Core& initiator, AddressSpace& as, const std::vector<uint64_t>& pages,
                  const ShootdownOptions& o);

}  // namespace smpsim
