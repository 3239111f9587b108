// TLB shootdown strategies: how a design makes every CPU that may cache a
// translation drop it.
//  - IpiShootdown: the Linux/Windows protocol (tlb_ops.hpp), to every CPU that
//    ran the space (mm_cpumask) or only to those that cached a page (precise);
//  - CrossInstanceShootdown: ccCluster with one address space across
//    instances: IPIs inside the initiator's instance, one cross call to each
//    other instance, whose server IPIs its own CPUs (McVoy: a shootdown is a
//    cross call);
//  - MessageShootdown (message_shootdown.hpp): messages, unicast or multicast.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "models/coherence/memory_system.hpp"
#include "models/cpu/address_space.hpp"
#include "models/cpu/tlb_ops.hpp"
#include "models/design/kernel_design.hpp"

namespace smpsim {

class CrossCalls;
class InstancePlacement;

class ShootdownStrategy {
 public:
  virtual ~ShootdownStrategy() = default;
  // Shoots down `pages` of `as` for op arguments `a`; returns the number of
  // target CPUs and sets *calls to the cross calls it made.
  virtual int run(Core& initiator, AddressSpace& as, const std::vector<uint64_t>& pages, const OpArgs& a,
                  int* calls) = 0;
  // On a CPU that received a shootdown call (cross-instance strategies).
  virtual void serve(Core&, AddressSpace&, const std::vector<uint64_t>&) {}
};

class IpiShootdown : public ShootdownStrategy {
 public:
  IpiShootdown(MemorySystem& mem, ShootdownOptions o) : mem_(mem), o_(std::move(o)) {}
  int run(Core& c, AddressSpace& as, const std::vector<uint64_t>& pages, const OpArgs& a, int* calls) override;

 private:
  MemorySystem& mem_;
  ShootdownOptions o_;
};

class CrossInstanceShootdown : public ShootdownStrategy {
 public:
  // The op name of the call that carries a shootdown to another instance.
  static constexpr const char* kCallOp = "tlb_shootdown_instance";
  CrossInstanceShootdown(MemorySystem& mem, ShootdownOptions o, const InstancePlacement& place, CrossCalls& calls)
      : mem_(mem), o_(std::move(o)), place_(place), calls_(calls) {}
  int run(Core& c, AddressSpace& as, const std::vector<uint64_t>& pages, const OpArgs& a, int* calls) override;
  void serve(Core& s, AddressSpace& as, const std::vector<uint64_t>& pages) override;

 private:
  MemorySystem& mem_;
  ShootdownOptions o_;
  const InstancePlacement& place_;
  CrossCalls& calls_;
};

// The pages an op's arguments name: `pages` pages from `addr`.
std::vector<uint64_t> shootdown_pages(const OpArgs& a);

}  // namespace smpsim
