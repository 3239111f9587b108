#include "models/cpu/core.hpp"

namespace smpsim {

const char* cpu_state_name(CpuState s) {
  static const char* const names[kCpuStateCount] = {"user", "kernel", "spin", "blocked", "irq",
                                                    "tlb",  "stall",  "barrier", "idle"};
  return names[int(s)];
}

}  // namespace smpsim

namespace smpsim {

const StatTable<CoreCounters>& CoreCounters::table() {
  using T = StatTable<CoreCounters>;
  static const T t({
      T::count("full_barriers", "full memory barriers: explicit smp_mb() and those implied by atomics",
               &CoreCounters::full_barriers),
      T::count("store_barriers", "store barriers (smp_wmb())", &CoreCounters::store_barriers),
      T::count("ipis_sent", "inter-processor interrupts sent, one per target CPU", &CoreCounters::ipis_sent),
      T::count("ipis_received", "inter-processor interrupts delivered to this CPU", &CoreCounters::ipis_received),
      T::count("icr_writes", "interrupt command register writes (an IPI to many targets may take one)",
               &CoreCounters::icr_writes),
      T::count("interrupts_taken", "interrupt entries (IPIs pending together with one vector are one)",
               &CoreCounters::interrupts_taken),
      T::count("tlb_shootdowns", "TLB shootdowns initiated", &CoreCounters::tlb_shootdowns),
      T::count("context_switches", "sleeps that switched to another task and back", &CoreCounters::context_switches),
      T::count("store_buffer_full_stalls", "stores that found the store buffer full",
               &CoreCounters::store_buffer_full_stalls),
      T::count("store_forwards", "loads served from the CPU's own store buffer", &CoreCounters::store_forwards),
      T::count("pages_zeroed_cached", "page zeroings done in the CPU's cache (a hot freed page)",
               &CoreCounters::pages_zeroed_cached),
      T::count("pages_zeroed_from_memory", "page zeroings that streamed from memory",
               &CoreCounters::pages_zeroed_from_memory),
      T::count("lock_contentions", "contended lock acquisitions by the CPU, every lock (lock_stat's contentions)",
               &CoreCounters::lock_contentions),
      T::number("lock_wait_total_ns", "ns", "the CPU's waits of contended acquisitions, every lock",
                &CoreCounters::lock_wait_total_ns),
      T::number("lock_wait_max_ns", "ns", "the CPU's longest such wait (over CPUs: the longest of all)",
                &CoreCounters::lock_wait_max_ns, StatSum::Max),
  });
  return t;
}

const StatTable<CoreTime>& CoreTime::table() {
  static const char* const what[kCpuStateCount] = {
      "running user code (a workload's think time)",
      "running kernel code (a design's op steps, handlers' software, TLB flushes outside interrupts)",
      "spinning for a lock, a barrier flag or a reply",
      "asleep in a blocking lock's wait queue (the CPU idles or runs another task)",
      "taking interrupts: entry, handler and exit",
      "stalled on the misses of page-table walks after TLB misses",
      "stalled on cache misses and shared-resource queueing",
      "draining the store buffer at memory barriers",
      "with nothing to do: done before the last CPU, or waiting for another CPU to finish (a target CPU of a latency workload)"};
  static const StatTable<CoreTime> t = [] {
    std::vector<StatTable<CoreTime>::Field> f;
    for (int i = 0; i < kCpuStateCount; ++i)
      f.push_back({{std::string(cpu_state_name(CpuState(i))) + "_ns", "ns", what[i], {}},
                   [i](const CoreTime& v) { return nlohmann::json(v.ns[size_t(i)]); },
                   [i](CoreTime& into, const CoreTime& from) { into.ns[size_t(i)] += from.ns[size_t(i)]; }});
    return StatTable<CoreTime>(std::move(f));
  }();
  return t;
}

SMPSIM_REGISTER(StatRegistry, [] {
  return CoreCounters::table().group("events", {"metrics.events", "metrics.cores[]"},
                                     "CPU events, per CPU and summed over CPUs (with the design's counters)");
});
SMPSIM_REGISTER(StatRegistry, [] {
  return CoreTime::table().group("time", {"metrics.time_ns", "metrics.cores[].time_ns"},
                                 "simulated time by CPU state; a CPU's states add up to the makespan");
});

}  // namespace smpsim
