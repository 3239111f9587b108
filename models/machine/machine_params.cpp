#include "models/machine/machine_params.hpp"

#include <stdexcept>

#include "models/coherence/protocol.hpp"
#include "models/machine/topology.hpp"

namespace smpsim {

using nlohmann::json;

namespace {

// Binders: each stores a checked value in the member it names.
template <auto Member>
void set(Machine& m, const json& v) {
  m.*Member = v.get<std::decay_t<decltype(m.*Member)>>();
}
template <auto Member>
void set_topology(Machine& m, const json& v) {
  m.topo.*Member = v.get<std::decay_t<decltype(m.topo.*Member)>>();
}
void set_invalidation(Machine& m, const json& v) {
  m.invalidation = v.get<std::string>() == "broadcast" ? Invalidation::Broadcast : Invalidation::Directory;
}
void set_pcid(Machine& m, const json& v) { m.pcid = v.get<std::string>() == "on"; }
void set_apic_mode(Machine& m, const json& v) { m.apic_x2 = v.get<std::string>() == "x2apic"; }
void set_icr_fence(Machine& m, const json& v) { m.x2apic_icr_fence = v.get<std::string>() == "on"; }
void ignore(Machine&, const json&) {}  // documentation only (source)

}  // namespace

const std::vector<MachineParam>& machine_param_bindings() {
  static const std::vector<MachineParam> p = {
      {{"name", "string", "", nullptr, 0, 0, {}, "Machine name, shown in reports."},
       set<&Machine::name>},
      {{"source", "string", "", "", 0, 0, {}, "Where the numbers come from (paper, table)."},
       ignore},
      {{"protocol", "enum", "", nullptr, 0, 0, ProtocolRegistry::names(),
        "Coherence protocol (`smpsim describe protocol`). MOESI keeps a dirty line Owned on a remote load (the owner "
        "answers later loads); MESI and MESIF write it back and share it. A read of a shared line is answered by "
        "the nearest sharer (MESI, MOESI) or by the Forwarder, the latest reader, wherever it is (MESIF)."},
       set<&Machine::protocol>},
      {{"invalidation", "enum", "", "directory", 0, 0, {"directory", "broadcast"},
        "How a store to a shared line reaches the sharers: a directory that tracks sharers sends targeted "
        "invalidations; a probe filter that does not track sharers broadcasts a probe to every other die. The "
        "latency of either is the table's store/atomic S or O cell at the farthest sharer; the count of messages "
        "differs (metrics: invalidations_sent, probes_sent)."},
       set_invalidation},
      {{"freq_ghz", "number", "GHz", nullptr, 0.01, 100, {}, "Core clock: converts cycles to simulated time."},
       set<&Machine::freq_ghz>},
      {{"sockets", "integer", "", nullptr, 1, 1024, {}, "Packages."},
       set_topology<&Topology::sockets>},
      {{"dies_per_socket", "integer", "", nullptr, 1, 64, {},
        "Dies (or CCXs: a group of cores sharing a last-level cache) per package; each die is a NUMA memory node."},
       set_topology<&Topology::dies_per_socket>},
      {{"cores_per_die", "integer", "", nullptr, 1, 1024, {}, "Physical cores per die."},
       set_topology<&Topology::cores_per_die>},
      {{"threads_per_core", "integer", "", 1, 1, 16, {},
        "SMT threads per core. CPUs 0..P-1 are the first thread of each physical core, P..2P-1 the second, ..."},
       set_topology<&Topology::threads_per_core>},
      {{"interconnect", "enum", "", "fully_connected", 0, 0, interconnect_names(),
        "Socket interconnect, giving hops between dies of different sockets: fully_connected (1 hop), ring, "
        "hypercube (hops = differing bits of the socket ids), twisted_hypercube (hypercube edges 1 hop, all else 2), mesh (Manhattan distance on mesh_width columns). "
        "Ignored when die_hops is given."},
       nullptr},
      {{"mesh_width", "integer", "", 0, 0, 1024, {}, "Columns of a mesh interconnect (0: the square root of sockets)."},
       nullptr},
      {{"die_hops", "matrix", "hops", nullptr, 1, kMaxHops, {},
        "Optional dies x dies matrix of interconnect hops between dies of different sockets (entries for dies of "
        "one socket are ignored); overrides interconnect."},
       nullptr},
      {{"l1_cycles", "number", "cycles", nullptr, 0, 1e4, {}, "A hit in the requester's own cache."},
       set<&Machine::l1_cycles>},
      {{"ram_cycles", "number", "cycles", nullptr, 0, 1e5, {},
        "Local memory latency, for reports (misses to memory use coherence_cycles.load.I)."},
       set<&Machine::ram_cycles>},
      {{"barrier_cycles", "number", "cycles", nullptr, 0, 1e4, {},
        "A full memory barrier (mfence). An atomic that hits costs l1_cycles + barrier_cycles; an atomic that "
        "misses costs its table cell, which includes the barrier."},
       set<&Machine::barrier_cycles>},
      {{"store_barrier_cycles", "number", "cycles", 0, 0, 1e4, {},
        "A store barrier (smp_wmb). Free on x86, where stores are not reordered with stores."},
       set<&Machine::store_barrier_cycles>},
      {{"home_requests_in_flight", "integer", "", 0, 0, 4096, {},
        "Requests a die's home agent (directory, probe filter) serves at once; each holds it for its kind's "
        "occupancy (home_*_ns). 0: home agents are not modelled (only a line's own home FIFO queues)."},
       set<&Machine::home_requests_in_flight>},
      {{"home_read_ns", "number", "ns", 0, 0, 1e4, {},
        "Home agent occupancy of a read (a load miss sent to the line's home)."},
       set<&Machine::home_read_ns>},
      {{"home_rfo_ns", "number", "ns", 0, 0, 1e4, {},
        "Home agent occupancy of a read-for-ownership (a store or atomic miss that needs the data)."},
       set<&Machine::home_rfo_ns>},
      {{"home_upgrade_ns", "number", "ns", 0, 0, 1e4, {},
        "Home agent occupancy of an upgrade (a store to a line the requester shares: no data)."},
       set<&Machine::home_upgrade_ns>},
      {{"home_writeback_ns", "number", "ns", 0, 0, 1e4, {},
        "Home agent occupancy of a writeback of a dirty line (MESI and MESIF write back on a remote read of a "
        "Modified line; a streaming store's eviction)."},
       set<&Machine::home_writeback_ns>},
      {{"home_probe_ns", "number", "ns", 0, 0, 1e4, {},
        "Occupancy of a die's agent by one incoming invalidation probe (a broadcast probes every other die)."},
       set<&Machine::home_probe_ns>},
      {{"link_die_gb_per_s", "number", "GB/s", 0, 0, 1e5, {},
        "Bandwidth per direction of the link between two dies of one package. 0: not modelled."},
       set<&Machine::link_die_gb_per_s>},
      {{"link_socket_gb_per_s", "number", "GB/s", 0, 0, 1e5, {},
        "Bandwidth per direction of one link between dies of different packages (HyperTransport, QPI, UPI, "
        "xGMI, a mesh link); a route of h hops crosses h links. 0: not modelled."},
       set<&Machine::link_socket_gb_per_s>},
      {{"data_packet_bytes", "number", "bytes", 72, 1, 4096, {},
        "Bytes a cache line's data message occupies on a link (64 B of data plus its header)."},
       set<&Machine::data_packet_bytes>},
      {{"control_packet_bytes", "number", "bytes", 8, 1, 4096, {},
        "Bytes a control message (request, forward, probe, acknowledgement) occupies on a link."},
       set<&Machine::control_packet_bytes>},
      {{"llc_requests_in_flight", "integer", "", 0, 0, 4096, {},
        "Reads a die's last-level cache serves at once. Non-zero: a read of a line that a cache of the requester's "
        "die holds is served by the die's LLC (an inclusive LLC or one with shadow tags) without going to the "
        "home, and such reads of a Shared line overlap. 0: every miss goes to the line's home."},
       set<&Machine::llc_requests_in_flight>},
      {{"llc_read_ns", "number", "ns", 0, 0, 1e4, {}, "LLC occupancy of one read it serves."},
       set<&Machine::llc_read_ns>},
      {{"memory_gb_per_s", "number", "GB/s", 0, 0, 1e5, {},
        "Bandwidth of a memory node's controller(s): a line read from or written back to memory holds it for "
        "64 B / this. 0: not modelled."},
       set<&Machine::memory_gb_per_s>},
      {{"line_fill_buffers", "integer", "", 10, 1, 1024, {},
        "Cache misses one CPU can have outstanding at once (line fill buffers, miss address buffers): the "
        "memory-level parallelism of a streaming loop (the bandwidth workload)."},
       set<&Machine::line_fill_buffers>},
      {{"store_buffer_entries", "integer", "", 0, 0, 1024, {},
        "Entries of each CPU's store buffer (x86-TSO): a plain store retires into it and the CPU goes on; stores "
        "drain to the cache in program order (each drain is the store's coherence transaction, priced and queued "
        "as a store miss), a load of a line with a pending store is forwarded from the buffer, a full fence or an "
        "atomic waits for the drain, a full buffer stalls the CPU. 0: no store buffer, a store waits for its line."},
       set<&Machine::store_buffer_entries>},
      {{"private_cache_bytes", "number", "bytes", 0, 0, 1e9, {},
        "A CPU's private cache (a core's L2, divided among its hardware threads): a page the CPU frees goes to "
        "the head of its free list still in this cache (Linux's per-CPU lists are LIFO), so its next "
        "allocations zero up to this many bytes of pages in the cache instead of from memory. 0: every page "
        "zeroing streams from memory."},
       set<&Machine::private_cache_bytes>},
      {{"home_hop_cycles", "number", "cycles", 0, 0, 1e6, {},
        "Protocols that send every request to the line's home first (a directory or probe filter, as AMD's HT "
        "Assist) take a detour when the home is on a third die: a cache-to-cache miss from requester r to owner o "
        "costs its latency-table cell plus (hops(r, home) + hops(home, o) - hops(r, o)) x this (the table's cells "
        "have the home at one end: SOSP'13 section 5.2). 0: requests go straight to the owner (snooping), or the "
        "detour is not modelled."},
       set<&Machine::home_hop_cycles>},
      {{"apic_mode", "enum", "", "xapic", 0, 0, {"xapic", "x2apic"},
        "How a CPU sends an IPI (Intel SDM vol. 3A ch. 10): xapic writes the interrupt command register by uncached "
        "MMIO, which is serializing (the store buffer drains first), one write per target in Linux's physical "
        "destination mode; x2apic writes it with one WRMSR, and in cluster mode one write reaches every target of a "
        "cluster of x2apic_cluster_cpus CPUs (datasheet)."},
       set_apic_mode},
      {{"x2apic_cluster_cpus", "integer", "", 16, 0, 1024, {},
        "x2APIC cluster mode: the logical CPUs one ICR write can address (16: the cluster is x2APIC ID bits 31:4, "
        "Intel SDM 10.12.10; Linux's x2apic_cluster driver sends one IPI per cluster). IDs number a package's "
        "cores with their hardware threads side by side, so a cluster is the threads of x2apic_cluster_cpus / "
        "threads_per_core consecutive cores of one package. 0: physical mode, one write per target."},
       set<&Machine::x2apic_cluster_cpus>},
      {{"x2apic_icr_fence", "enum", "", "on", 0, 0, {"on", "off"},
        "x2APIC only: an ICR write waits for the store buffer to drain first. The WRMSR is not serializing (SDM "
        "10.12.3), so Linux puts MFENCE+LFENCE before it on Intel (commit 25a068b8e9a4) and nothing on AMD "
        "(commit 04c3024560d3). An xAPIC write always drains (uncached MMIO)."},
       set_icr_fence},
      {{"ipi_send_cycles", "number", "cycles", 298, 0, 1e6, {},
        "Sender's cost of one ICR write, the time until it may go on: 298 cycles, the sender side of an IPI "
        "measured on a Xeon E5-2658 (Shinjuku, NSDI'19, Table 1; secondary). A broadcast shorthand is one write; "
        "x2APIC cluster mode one per cluster of targets; xAPIC physical mode one per target."},
       set<&Machine::ipi_send_cycles>},
      {{"ipi_wire_cycles", "number", "cycles", 23, 0, 1e6, {},
        "The interrupt controllers' own delivery time: an IPI to a CPU at distance d arrives ipi_wire_cycles + "
        "coherence_cycles.load.M[d] after its ICR write, plus the queueing its message (a control packet) meets on "
        "the links it crosses. Derived: the measured one-way IPI (send + delivery + entry: about 800 cycles on the "
        "Multikernel's Opteron 8350, secondary) less ipi_send_cycles, irq_entry_cycles and a one-hop load.M "
        "(800 - 298 - 307 - 172 = 23); presets of other machines derive it from their own measurement "
        "(docs/calibration/primitives.json)."},
       set<&Machine::ipi_wire_cycles>},
      {{"irq_entry_cycles", "number", "cycles", 307, 0, 1e6, {},
        "Target's cost from the interrupt's acceptance to its handler's first instruction (IDT vectoring, stack "
        "switch, register save). Derived: half of 614 cycles, an int + iret round trip through an interrupt gate "
        "measured on a Xeon E3-1270 v5 (x86.lol kernel-entry benchmark); the even split is an assumption."},
       set<&Machine::irq_entry_cycles>},
      {{"irq_exit_cycles", "number", "cycles", 307, 0, 1e6, {},
        "Target's cost from the handler's end to the interrupted code (EOI, register restore, iret). Derived: the "
        "other half of the 614-cycle int + iret round trip (see irq_entry_cycles)."},
       set<&Machine::irq_exit_cycles>},
      {{"shootdown_setup_cycles", "number", "cycles", 100, 0, 1e6, {},
        "Initiator's software of a Linux IPI shootdown, once (flush_tlb_mm_range and native_flush_tlb_multi "
        "around their line accesses: get_cpu, the flush_tlb_info fill, the call setup). The line accesses (tlb_gen, "
        "mm_cpumask, the request) are modelled separately. Estimate: no measurement separating it from the IPI "
        "and the remote flush was found (Amit's concurrent-flush series reports only end-to-end times)."},
       set<&Machine::shootdown_setup_cycles>},
      {{"call_function_queue_cycles", "number", "cycles", 50, 0, 1e6, {},
        "Initiator's software per target of smp_call_function_many_cond (the cpumask walk, the is_lazy "
        "condition, csd_lock and the csd fill, llist_add), on top of its line accesses: a read of the target's "
        "cpu_tlbstate_shared, a store to the csd, a cmpxchg on the target's call_single_queue. Estimate (none "
        "measured)."},
       set<&Machine::call_function_queue_cycles>},
      {{"call_function_handler_cycles", "number", "cycles", 100, 0, 1e6, {},
        "Target's software per call in the call-function interrupt (the queue walk, csd_do_func, "
        "flush_tlb_func's generation checks), on top of its line accesses (the queue, the csd, the request, "
        "tlb_gen, the csd unlock) and the invalidation itself (tlb_invalidate_cycles). Estimate (none measured)."},
       set<&Machine::call_function_handler_cycles>},
      {{"sched_wakeup_cycles", "number", "cycles", 1500, 0, 1e7, {},
        "A waker's cost to wake a sleeping task (try_to_wake_up), before the reschedule IPI (estimate)."},
       set<&Machine::sched_wakeup_cycles>},
      {{"context_switch_cycles", "number", "cycles", 3000, 0, 1e7, {},
        "A woken CPU's cost to switch to the woken task (about 1 us, the order lmbench's lat_ctx reports; estimate)."},
       set<&Machine::context_switch_cycles>},
      {{"tlb_entries", "integer", "", 64, 1, 1e6, {}, "Entries of each CPU's TLB (LRU)."},
       set<&Machine::tlb_entries>},
      {{"tlb_walk_levels", "integer", "", 4, 1, 5, {},
        "Page-table levels a TLB miss walks; each level is a load of a page-table line through the coherence model."},
       set<&Machine::tlb_walk_levels>},
      {{"tlb_invalidate_cycles", "number", "cycles", 150, 0, 1e6, {},
        "One single-entry invalidation (invlpg): 95-320 cycles on x86-64 (Multikernel paper)."},
       set<&Machine::tlb_invalidate_cycles>},
      {{"tlb_flush_cycles", "number", "cycles", 500, 0, 1e6, {}, "A full TLB flush (CR3 write; estimate)."},
       set<&Machine::tlb_flush_cycles>},
      {{"tlb_flush_ceiling", "integer", "", 33, 0, 1e6, {},
        "A shootdown of more pages than this flushes the whole TLB instead (Linux tlb_single_page_flush_ceiling)."},
       set<&Machine::tlb_flush_ceiling>},
      {{"pcid", "enum", "", "on", 0, 0, {"on", "off"},
        "ASID/PCID tagging: off flushes the TLB at every address-space switch; on keeps other spaces' entries."},
       set_pcid},
      {{"coherence_cycles", "table", "cycles", nullptr, 0, 1e6, {},
        "Latency by operation (load, store, atomic) x previous line state (M, O, E, S, I) x distance (same_core, "
        "same_die, same_package, one_hop, two_hops, three_hops, max_hops: hop counts between one_hop and max_hops "
        "are interpolated). Missing cells: store/atomic on I = load I; atomic on E = atomic on M; atomic on O = "
        "atomic on S; store on O = store on S. Every cell the topology can reach must resolve."},
       nullptr},
  };
  return p;
}

const std::vector<ParamSpec>& machine_params() {
  static const std::vector<ParamSpec> specs = [] {
    std::vector<ParamSpec> v;
    for (const MachineParam& p : machine_param_bindings()) v.push_back(p.spec);
    return v;
  }();
  return specs;
}

const ParamSpec& machine_param(const std::string& name) {
  for (const auto& p : machine_params())
    if (p.name == name) return p;
  throw std::logic_error("no machine parameter " + name);
}

}  // namespace smpsim
