#include "models/cpu/tlb_ops.hpp"

#include <memory>

namespace smpsim {

namespace {

LineId pt_line(MemorySystem& mem, AddressSpace& as, int level, uint64_t index) {
  auto key = std::make_pair(level, index);
  auto it = as.pt_lines.find(key);
  if (it != as.pt_lines.end()) return it->second;
  const LineId l = mem.add_line("pt" + std::to_string(as.asid) + ".L" + std::to_string(level) + "." +
                                    std::to_string(index),
                                as.home_die);
  as.pt_lines[key] = l;
  return l;
}


}  // namespace

void tlb_invalidate_local(MemorySystem& mem, Core& c, uint64_t asid, const std::vector<uint64_t>& pages) {
  const Machine& m = mem.machine();
  if (int(pages.size()) > m.tlb_flush_ceiling) {
    c.tlb.flush_all();
    mem.compute(c, m.tlb_flush_cycles, c.in_irq ? CpuState::Irq : CpuState::Kernel);
    return;
  }
  for (uint64_t p : pages) c.tlb.invalidate(asid, p);
  mem.compute(c, m.tlb_invalidate_cycles * double(pages.size()), c.in_irq ? CpuState::Irq : CpuState::Kernel);
}

void tlb_translate(MemorySystem& mem, Core& c, AddressSpace& as, uint64_t vpage) {
  if (c.tlb.lookup(as.asid, vpage)) return;
  const CpuState saved = c.stall_state;
  if (!c.in_irq) c.stall_state = CpuState::Tlb;
  // Walk from the top level down; a level's line covers 512 entries below it.
  for (int level = mem.machine().tlb_walk_levels - 1; level >= 0; --level) {
    uint64_t index = vpage;
    for (int k = 0; k <= level; ++k) index >>= (k == 0 ? 3 : 9);  // 8 PTEs per 64-byte line at the bottom
    mem.load(c, pt_line(mem, as, level, index), 0);
  }
  c.stall_state = saved;
  c.tlb.insert(as.asid, vpage);
}

// The line of the mm that holds mm_cpumask.
static LineId cpumask_line(MemorySystem& mem, AddressSpace& as) {
  if (as.cpumask_line < 0) as.cpumask_line = mem.add_line("mm" + std::to_string(as.asid) + ".cpumask", as.home_die);
  return as.cpumask_line;
}

void read_mm_cpumask(MemorySystem& mem, Core& c, AddressSpace& as) { mem.load(c, cpumask_line(mem, as), 0); }

void switch_mm(MemorySystem& mem, Core& c, AddressSpace& as) {
  // cpumask_set_cpu(cpu, mm_cpumask(next)): a locked bit set on the mask's line, once per CPU here (the
  // model's CPUs do not switch away from a space they ran).
  if (as.cpus_ran.insert(c.id).second) mem.fetch_add(c, cpumask_line(mem, as), 0, 0);
  if (!mem.machine().pcid) {
    c.tlb.flush_all();
    mem.compute(c, mem.machine().tlb_flush_cycles, CpuState::Kernel);
  }
}

int tlb_shootdown(MemorySystem& mem, Core& initiator, AddressSpace& as, const std::vector<uint64_t>& pages,
                  bool broadcast, bool precise, const std::function<bool(int)>& among) {
  ++initiator.counters.tlb_shootdowns;
  if (Trace* tr = mem.trace()) tr->instant(initiator.id, "TLB shootdown", mem.now_ns(initiator));
  tlb_invalidate_local(mem, initiator, as.asid, pages);
  // The targets come from mm_cpumask: a read of its line (a miss after another CPU has set its bit).
  read_mm_cpumask(mem, initiator, as);
  std::vector<int> targets;
  for (int cpu : as.cpus_ran) {
    if (cpu == initiator.id || (among && !among(cpu))) continue;
    bool holds = !precise;
    for (size_t i = 0; i < pages.size() && !holds; ++i) holds = mem.core(cpu).tlb.holds(as.asid, pages[i]);
    if (holds) targets.push_back(cpu);
  }
  if (targets.empty()) return 0;

  // The request (flush_tlb_info) and the acknowledgement counter, per initiator.
  auto it = as.shootdown_lines.find(initiator.id);
  if (it == as.shootdown_lines.end()) {
    const int die = mem.machine().topo.die_of(initiator.id);
    const std::string tag = "shootdown" + std::to_string(initiator.id);
    it = as.shootdown_lines.emplace(initiator.id, std::make_pair(mem.add_line(tag + ".info", die),
                                                                 mem.add_line(tag + ".acks", die))).first;
  }
  const LineId info = it->second.first, acks = it->second.second;  // (named: lambdas capture them)
  mem.store(initiator, info, 0, pages.size());
  mem.store(initiator, acks, 0, targets.size());

  const uint64_t asid = as.asid;
  auto page_list = std::make_shared<std::vector<uint64_t>>(pages);
  mem.send_ipi(initiator, targets,
               [&mem, info, acks, asid, page_list](Core& t) {
                 mem.load(t, info, 0);  // read the request
                 tlb_invalidate_local(mem, t, asid, *page_list);
                 mem.fetch_add(t, acks, 0, uint64_t(-1));  // acknowledge
               },
               broadcast);
  mem.spin_until(initiator, acks, 0, [](uint64_t v) { return v == 0; });
  return int(targets.size());
}

}  // namespace smpsim
