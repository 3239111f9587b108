// tlb_shootdown: every active CPU has run one address space and cached a
// translation of its pages; CPU 0 (initiators: one) or every CPU (all)
// repeatedly changes `pages` pages and shoots them down on the others
// (munmap/mprotect). An op is one shootdown; its latency is the initiator's.
// With one initiator the other CPUs are idle, interruptible; with all, each
// is interrupted by the others' shootdowns between and during its own (each
// CPU changes pages of its own, so every shootdown targets every other CPU).
#include <numeric>

#include "models/cpu/tlb_ops.hpp"
#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class TlbShootdown : public Workload {
 public:
  long long ops_per_cpu() const override { return rounds_; }
  explicit TlbShootdown(const nlohmann::json& p)
      : broadcast_(p["mode"] == "broadcast"), all_(p["initiators"] == "all"),
        protocol_(shootdown_protocol_named(p["protocol"])), rounds_(p["rounds"]),
        pages_(p["pages"].get<int>()), gap_cycles_(p["gap_cycles"]) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign&, OpRecorder& rec) override {
    switch_mm(mem, c, as_);
    // Every initiator's pages, in every CPU's TLB (precise shootdowns target exactly the CPUs holding them).
    const int initiators = all_ ? mem.cores() : 1;
    for (int i = 0; i < initiators; ++i)
      for (uint64_t p : pages_of(i)) tlb_translate(mem, c, as_, p);
    rec.warm(c.id, mem.now_ns(c));
    if (c.id >= initiators) {
      mem.block(c, CpuState::Idle);
      return;
    }
    const std::vector<uint64_t> pages = pages_of(c.id);
    for (long long r = 0; r < rounds_; ++r) {
      mem.compute(c, gap_cycles_, CpuState::Kernel);  // let every CPU populate its TLB first
      const double t0 = mem.now_ns(c);
      tlb_shootdown(mem, c, as_, pages, ShootdownOptions{broadcast_, false, protocol_, {}});
      rec.op_done(c.id, mem.now_ns(c), t0);
    }
    if (!all_) {
      for (int t = 1; t < mem.cores(); ++t) mem.wake(mem.core(t));
      return;
    }
    // Every initiator stays interruptible (idle) until the last is done: the others' shootdowns need it.
    if (++finished_ < initiators) {
      mem.block(c, CpuState::Idle);
      return;
    }
    for (int t = 0; t < mem.cores(); ++t)
      if (t != c.id) mem.wake(mem.core(t));
  }

 private:
  std::vector<uint64_t> pages_of(int initiator) const {
    std::vector<uint64_t> v(size_t(pages_), 0);
    std::iota(v.begin(), v.end(), uint64_t(0x1000) + uint64_t(initiator) * uint64_t(pages_));
    return v;
  }

  bool broadcast_, all_;
  ShootdownProtocol protocol_;
  int finished_ = 0;
  long long rounds_;
  int pages_;
  double gap_cycles_;
  AddressSpace as_;
};

}  // namespace

WorkloadKind tlb_shootdown_kind() {
  return {"tlb_shootdown",
          "CPU 0 shoots down `pages` pages of an address space every active CPU has run (IPI each, invalidate, "
          "acknowledge, wait for all). op = a shootdown; its latency is the initiator's.",
          {{"mode", "enum", "", "broadcast", 0, 0, {"list", "broadcast"},
            "One IPI send per target, or one broadcast shorthand."},
           {"initiators", "enum", "", "one", 0, 0, {"one", "all"},
            "CPU 0 shoots down while the others idle, or every CPU shoots down its own pages at once."},
           {"protocol", "enum", "", "call_function", 0, 0, {"call_function", "flush_cpumask"},
            "Linux 3.x-6.x's smp_call_function_many (a csd per target, waited on one by one) or Linux 2.6.2x's "
            "shared flush cpumask (the design parameter ipi_shootdown)."},
           {"pages", "integer", "", 1, 1, 1e6, {}, "Pages per shootdown; above tlb_flush_ceiling, whole TLBs are flushed."},
           {"rounds", "integer", "", 100, 1, 1e9, {}, "Shootdowns."},
           {"gap_cycles", "number", "cycles", 20000, 0, 1e9, {}, "Initiator's work before each shootdown."}},
          [](const nlohmann::json& p, const WorkloadContext&) -> std::unique_ptr<Workload> {
            return std::make_unique<TlbShootdown>(p);
          }};
}

SMPSIM_REGISTER(WorkloadRegistry, tlb_shootdown_kind);

}  // namespace smpsim
