#include "models/cpu/tlb_ops.hpp"

#include <map>
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

ShootdownProtocol shootdown_protocol_named(const std::string& name) {
  return name == "flush_cpumask" ? ShootdownProtocol::FlushCpumask : ShootdownProtocol::CallFunction;
}

namespace {

LineId tlb_gen_line(MemorySystem& mem, AddressSpace& as) {
  if (as.tlb_gen_line < 0) as.tlb_gen_line = mem.add_line("mm" + std::to_string(as.asid) + ".tlb_gen", as.home_die);
  return as.tlb_gen_line;
}

// smp_call_function_many_cond as flush_tlb_mm_range uses it (Linux 3.x-6.x), as line accesses plus named
// software costs:
//  initiator: the request (its per-CPU flush_tlb_info line); per target: a read of the target's
//    cpu_tlbstate_shared (is_lazy), csd_lock and fill of its per-CPU csd for that target (a store),
//    llist_add of the csd to the target's call_single_queue (a cmpxchg on the target's line); the IPIs;
//    then csd_lock_wait on each target's csd in turn (a read each: k replies, k reads).
//  target: llist_del_all of its queue (an xchg), reads of the csd, the request and tlb_gen, the local
//    flush, csd_unlock (a store to the initiator's csd line).
// Linux sends no IPI to a target whose queue was not empty; here every target gets one (pending IPIs of one
// vector still take one entry and exit).
void call_function_many(MemorySystem& mem, Core& initiator, AddressSpace& as, const std::vector<uint64_t>& pages,
                        const std::vector<int>& targets, bool broadcast) {
  const Machine& m = mem.machine();
  const LineId info = mem.percpu_line("flush_tlb_info", initiator.id), gen = tlb_gen_line(mem, as);
  mem.store(initiator, info, 0, pages.size());
  // Per target: its call queue and the initiator's csd for it (found once; the handlers look them up by CPU).
  auto lines = std::make_shared<std::map<int, std::pair<LineId, LineId>>>();
  for (int t : targets) {
    mem.load(initiator, mem.percpu_line("tlbstate_shared", t), 0);  // tlb_is_not_lazy(t)
    const LineId csd = mem.percpu_line("cfd.csd" + std::to_string(t), initiator.id);
    mem.store(initiator, csd, 0, 1);  // csd_lock, func, info
    const LineId queue = mem.percpu_line("call_single_queue", t);
    mem.fetch_add(initiator, queue, 0, 1);  // llist_add
    mem.compute(initiator, m.call_function_queue_cycles, CpuState::Kernel);
    lines->emplace(t, std::make_pair(queue, csd));
  }
  const uint64_t asid = as.asid;
  auto page_list = std::make_shared<std::vector<uint64_t>>(pages);
  mem.send_ipi(initiator, targets,
               [&mem, info, gen, asid, page_list, lines](Core& t) {
                 const auto [queue, csd] = lines->at(t.id);
                 mem.swap(t, queue, 0, 0);  // llist_del_all
                 mem.load(t, csd, 0);       // the call's func and info
                 mem.compute(t, mem.machine().call_function_handler_cycles, CpuState::Irq);
                 mem.load(t, info, 0);  // the request
                 mem.load(t, gen, 0);   // the mm's tlb_gen against the CPU's
                 tlb_invalidate_local(mem, t, asid, *page_list);
                 mem.store(t, csd, 0, 0);  // csd_unlock
               },
               broadcast);
  for (int t : targets)  // csd_lock_wait, target by target
    mem.spin_until(initiator, lines->at(t).second, 0, [](uint64_t v) { return v == 0; });
}

// Linux 2.6.2x's flush_tlb_others (x86-64): the sender's group of the static flush state (kernel data, on
// node 0) holds the request and the cpumask of targets still to acknowledge; each target reads the request,
// flushes and clears its bit (an atomic on the shared line); the initiator spins until the mask is empty.
// One group per initiator here (Linux had 8, each under a spinlock that initiators sharing it contend on).
void flush_cpumask(MemorySystem& mem, Core& initiator, AddressSpace& as, const std::vector<uint64_t>& pages,
                   const std::vector<int>& targets, bool broadcast) {
  const std::string group = "flush_state" + std::to_string(initiator.id);
  const LineId info = mem.named_line(group + ".request", 0), acks = mem.named_line(group + ".cpumask", 0);
  mem.store(initiator, info, 0, pages.size());
  mem.store(initiator, acks, 0, targets.size());
  const uint64_t asid = as.asid;
  auto page_list = std::make_shared<std::vector<uint64_t>>(pages);
  mem.send_ipi(initiator, targets,
               [&mem, info, acks, asid, page_list](Core& t) {
                 mem.load(t, info, 0);  // read the request
                 mem.compute(t, mem.machine().call_function_handler_cycles, CpuState::Irq);
                 tlb_invalidate_local(mem, t, asid, *page_list);
                 mem.fetch_add(t, acks, 0, uint64_t(-1));  // cpu_clear(cpu, flush_cpumask)
               },
               broadcast);
  mem.spin_until(initiator, acks, 0, [](uint64_t v) { return v == 0; });
}

}  // namespace

int tlb_shootdown(MemorySystem& mem, Core& initiator, AddressSpace& as, const std::vector<uint64_t>& pages,
                  const ShootdownOptions& o) {
  const Machine& m = mem.machine();
  ++initiator.counters.tlb_shootdowns;
  if (Trace* tr = mem.trace()) tr->instant(initiator.id, "TLB shootdown", mem.now_ns(initiator));
  if (o.protocol == ShootdownProtocol::CallFunction) mem.fetch_add(initiator, tlb_gen_line(mem, as), 0, 1);  // inc_mm_tlb_gen
  tlb_invalidate_local(mem, initiator, as.asid, pages);
  // The targets come from mm_cpumask: a read of its line (a miss after another CPU has set its bit).
  read_mm_cpumask(mem, initiator, as);
  std::vector<int> targets;
  for (int cpu : as.cpus_ran) {
    if (cpu == initiator.id || (o.among && !o.among(cpu))) continue;
    bool holds = !o.precise;
    for (size_t i = 0; i < pages.size() && !holds; ++i) holds = mem.core(cpu).tlb.holds(as.asid, pages[i]);
    if (holds) targets.push_back(cpu);
  }
  if (targets.empty()) return 0;
  mem.compute(initiator, m.shootdown_setup_cycles, CpuState::Kernel);
  if (o.protocol == ShootdownProtocol::CallFunction)
    call_function_many(mem, initiator, as, pages, targets, o.broadcast);
  else
    flush_cpumask(mem, initiator, as, pages, targets, o.broadcast);
  return int(targets.size());
}

}  // namespace smpsim
