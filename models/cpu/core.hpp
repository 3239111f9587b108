// One simulated CPU's private state: its clock offset (private time not yet
// handed to the event engine), its time accounting and its random stream.
#pragma once
#include <algorithm>
#include <array>
#include <deque>
#include <functional>
#include <memory>

#include "models/coherence/directory.hpp"
#include "models/cpu/tlb.hpp"
#include "engine/clock.hpp"
#include "engine/rng.hpp"
#include "engine/stats.hpp"

namespace smpsim {

// The fixed states a CPU's time is accounted in. Their sum is the end of the
// run on every CPU.
enum class CpuState { User = 0, Kernel, Spin, Blocked, Irq, Tlb, Stall, Barrier, Idle };
constexpr int kCpuStateCount = 9;
const char* cpu_state_name(CpuState s);  // "user", "kernel", ...

struct Core;

struct CoreTime {
  std::array<double, kCpuStateCount> ns{};
  double& operator[](CpuState s) { return ns[int(s)]; }
  double operator[](CpuState s) const { return ns[int(s)]; }
  double total() const {
    double t = 0;
    for (double v : ns) t += v;
    return t;
  }
  static const StatTable<CoreTime>& table();  // one statistic per state, "<state>_ns" (core.cpp)
  void add(const CoreTime& o) {
    for (int i = 0; i < kCpuStateCount; ++i) ns[i] += o.ns[i];
  }
};

// Event counters that are not coherence traffic.
struct CoreCounters {
  long long full_barriers = 0;   // explicit smp_mb() and those implied by atomics
  long long store_barriers = 0;  // smp_wmb()
  long long ipis_sent = 0, ipis_received = 0;
  long long icr_writes = 0;        // interrupt command register writes (an IPI to many targets may take one)
  long long interrupts_taken = 0;  // interrupt entries (IPIs pending together with one vector are one)
  long long tlb_shootdowns = 0;  // initiated
  long long context_switches = 0;           // sleeps that switched to another task and back
  long long store_buffer_full_stalls = 0;   // stores that found the store buffer full
  long long store_forwards = 0;             // loads served from the CPU's own store buffer
  long long pages_zeroed_cached = 0;        // page zeroings done in the CPU's cache (a hot freed page)
  long long pages_zeroed_from_memory = 0;   // page zeroings that streamed from memory
  // This CPU's contended lock acquisitions, every lock (perf lock contention's per-thread view; threads are
  // pinned, so per CPU): count, total and longest wait, as lock_stat counts a wait.
  long long lock_contentions = 0;
  double lock_wait_total_ns = 0, lock_wait_max_ns = 0;
  void count_lock_wait(double wait_ns) {
    ++lock_contentions;
    lock_wait_total_ns += wait_ns;
    lock_wait_max_ns = std::max(lock_wait_max_ns, wait_ns);
  }
  static const StatTable<CoreCounters>& table();  // the fields as statistics (core.cpp)
};

// An interrupt delivered to a CPU and not yet handled.
// The interrupt vector an IPI raises. Interrupts of one vector that are
// pending together are taken as one (the local APIC's IRR holds one bit per
// vector; Linux's call-function handler runs every queued call).
enum class IrqVector { CallFunction, Reschedule };

struct PendingIrq {
  std::function<void(Core&)> handler;
  IrqVector vector = IrqVector::CallFunction;
  int sender = -1;
  double sent_ns = 0;
  unsigned long long flow = 0;  // the trace's flow id (0: not traced)
};

struct Core {
  int id = 0;
  // Pages this CPU freed while they were in its private cache, at the head of its free list
  // (MemorySystem::page_freed_hot): its next zeroings find them there.
  int hot_free_pages = 0;
  // Interrupts: disabled while irq_off_depth > 0 (local_irq_save nests).
  int irq_off_depth = 0;
  bool in_irq = false;
  bool interruptible = false;      // in a wait an interrupt may cut short
  std::deque<PendingIrq> pending_irqs;
  double irq_wall_ns = 0;          // time spent inside handlers, to exclude from waits
  long long wake_tokens = 0;       // non-interrupt wake-ups (barriers) not yet consumed
  CpuState stall_state = CpuState::Stall;  // where a miss's time goes (stall, tlb, irq)
  Tlb tlb;
  double pending_ns = 0;  // private time accumulated since the last event
  // The store buffer (x86-TSO): each pending store's line and when its drain
  // completes; drains complete in program order, so done_ns only grows.
  struct PendingStore {
    LineId line;
    double done_ns;
  };
  std::deque<PendingStore> store_buffer;
  // When the buffer will have drained (its last store's commit); 0 if empty.
  double store_drain_ns() const { return store_buffer.empty() ? 0 : store_buffer.back().done_ns; }
  CoreTime time;
  CoreCounters counters;
  Rng rng;
  std::unique_ptr<WaitPoint> wait_point;
  AccessResult last;          // the last access, for lock statistics
  uint64_t last_version = 0;  // the line version the last access observed
  double done_at_ns = -1;     // when the CPU finished its work
  const char* blocked_in = "";  // where the CPU last blocked, for deadlock reports
  int spinning_on = -1;         // the line of the last spin
};

}  // namespace smpsim
