// Shared memory as the cores see it: word operations on modelled cache lines,
// each priced by the directory and charged with at most two events (one to
// catch up private time, one to wait for the line). Spinning is event-driven:
// a spinner blocks until a write to its line completes; the writer's
// completion re-reads the line on behalf of each spinner, in random order
// through the home's FIFO, and wakes only a spinner whose condition now
// holds. A hand-off therefore costs the line transfers that the waiters'
// re-reads cause, and O(1) events.
//
// Its jobs, a file each: memory operations, spinning and bulk transfers
// (memory_system.cpp), interrupts and IPIs (interrupts.cpp), blocking, waking
// and the end of a CPU's work (scheduling.cpp). Coherence itself is the
// directory's (directory.cpp) and the machine's protocol's (protocol.hpp).
#pragma once
#include <map>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "models/coherence/directory.hpp"
#include "models/cpu/core.hpp"
#include "models/cpu/interrupt_controller.hpp"
#include "models/sync/wait_for.hpp"
#include "engine/clock.hpp"
#include "engine/trace.hpp"

namespace smpsim {

class MemorySystem {
 public:
  using Pred = std::function<bool(uint64_t)>;
  using LinePred = std::function<bool(const std::vector<uint64_t>&)>;

  MemorySystem(const Machine& m, int cores, Clock& clock, uint64_t seed);
  Directory& dir() { return dir_; }
  const Directory& dir() const { return dir_; }
  Core& core(int i) { return cores_[i]; }
  int cores() const { return int(cores_.size()); }
  const Machine& machine() const { return dir_.machine(); }

  LineId add_line(std::string name, int home_die) { return dir_.add_line(std::move(name), home_die); }
  // A kernel variable's line by name, created on first use with that home.
  LineId named_line(const std::string& name, int home_die);
  // A kernel per-CPU variable's line: "cpu<N>.<what>", homed on CPU N's die.
  LineId percpu_line(const std::string& what, int cpu) {
    return named_line("cpu" + std::to_string(cpu) + "." + what, machine().topo.die_of(cpu));
  }

  double now_ns(const Core& c) const { return clock_.now_ns() + c.pending_ns; }
  // CPU `cpu`'s time as any caller can bound it: it does nothing earlier from now on (-inf: unknown).
  double cpu_lower_bound_ns(int cpu) const { return clock_.cpu_lower_bound_ns(cpu); }
  // A step of work that may make no event (a recipe step): counted by the runaway guards.
  void count_step() { clock_.count_steps(1); }
  // Private work in state `st` (user or kernel code): no event.
  void compute(Core& c, double cycles, CpuState st = CpuState::Kernel);
  // A full memory barrier (smp_mb): private, counted; it also waits for the
  // store buffer to drain. A store barrier (smp_wmb) costs its own cycles only
  // (x86 stores already drain in order).
  void full_barrier(Core& c);
  void store_barrier(Core& c);
  // Blocks until another CPU calls wake(c); the time is `st` (blocked or
  // idle). Interrupts are taken meanwhile.
  void block(Core& c, CpuState st = CpuState::Blocked);
  void wake(Core& target);

  // Interrupts. Disabling and enabling take effect at the CPU's true time;
  // interrupts that arrived meanwhile are taken at the enable.
  void irq_disable(Core& c);
  void irq_enable(Core& c);
  // Bulk data over SimGrid links (Clock::bulk_transfer): `bytes` from node
  // `from_node` to `to_node` across the cluster network, or through the
  // node's memory bus when they are equal; the CPU waits, in state `st`.
  void bulk_transfer(Core& c, int from_node, int to_node, double bytes, CpuState st = CpuState::Stall);
  void configure_bulk(double memory_bytes_per_s, double network_bytes_per_s, double network_latency_ns) {
    clock_.configure_bulk(memory_bytes_per_s, network_bytes_per_s, network_latency_ns * 1e-9);
  }
  // A CPU zeroes (`copy` false) or copies `bytes` of memory homed on its own die, as clear_page and
  // copy_page do: cached stores to lines it does not hold. Each line is a miss to local memory (a
  // read-for-ownership of the destination, and a read of the source for a copy); the CPU keeps
  // line_fill_buffers of them in flight. The die's memory controller carries the reads and the
  // destination's write-back, and a busy controller delays the end. No engine event: the time is the
  // CPU's private work. A zeroing first takes the CPU's cache-hot free pages (page_freed_hot): those lines are written in the
  // cache at l1_cycles each, no memory traffic. Returns {queueing at the controller, bytes done in cache}.
  struct StreamCost {
    double queued_ns = 0;
    double cached_bytes = 0;
  };
  StreamCost stream(Core& c, double bytes, bool copy);
  // The CPU frees a page it has in its cache: the head of its free list, hot for its next allocation
  // (at most private_cache_bytes of them are kept).
  void page_freed_hot(Core& c);
  // Sends an IPI to each target as the interrupt controller does (interrupts.cpp): ICR writes of
  // ipi_send_cycles (one per target, per x2APIC cluster, or one broadcast shorthand), after a store-buffer
  // drain where the write is serializing; each message crosses the links to its target's die; it arrives
  // ipi_wire_cycles + the load-M latency at its distance after its write, plus the queueing on the links,
  // and runs `handler` on the target between irq_entry_cycles and irq_exit_cycles.
  void send_ipi(Core& sender, const std::vector<int>& targets, const std::function<void(Core&)>& handler,
                bool broadcast = false, IrqVector vector = IrqVector::CallFunction);
  double ipi_arrival_cycles(int from, int to) const;
  void flush(Core& c);                   // hand private time to the engine (taking interrupts)
  void flush(Core& c, bool take_irqs);

  uint64_t load(Core& c, LineId l, int word);
  // Independent accesses issued together (a streaming loop with as many misses
  // in flight as the CPU's line fill buffers): each is priced and queued as
  // one access at the same time; the CPU waits for the last (one event).
  // No spinner is notified (streamed lines are private to the loop).
  void access_batch(Core& c, Op op, const std::vector<LineId>& lines);
  // A plain store. With a store buffer (machine.store_buffer_entries > 0) it
  // retires into the buffer at the cost of a hit and drains in program order
  // while the CPU goes on: the line changes hands at the home's pace, after the
  // CPU's earlier stores, and spinners see the value when the drain completes
  // (their re-reads queue behind it). A full buffer stalls the CPU until its
  // oldest store has drained; a load of a pending store's line is forwarded;
  // an atomic or full_barrier waits for the drain. Without a store buffer the
  // CPU waits for the line.
  void store(Core& c, LineId l, int word, uint64_t v);
  // A message send: issue_cycles of marshalling (writing the payload), then the store that publishes it
  // (buffered when the CPU has a store buffer; without one the sender waits for the line).
  void post_store(Core& c, LineId l, int word, uint64_t v, double issue_cycles);
  // Waits (private time, counted as barrier) until the store buffer has drained.
  void wait_store_drain(Core& c);
  uint64_t fetch_add(Core& c, LineId l, int word, uint64_t delta);
  uint64_t swap(Core& c, LineId l, int word, uint64_t v);
  bool cas(Core& c, LineId l, int word, uint64_t expected, uint64_t desired);
  // Adds `delta` with a CAS loop (atomic_add_unless, a CAS-only ISA): read the word, then cmpxchg old ->
  // old + delta. The read takes the line shared and the cmpxchg takes it exclusive; if the word changed in
  // between, the cmpxchg fails and returns the word as it is now, and the CPU retries at once, while the
  // line is still in its cache (the retry is a few cycles away, the next requester's probe a one-way trip
  // of tens of cycles): the retry is an atomic hit. Returns true if the first cmpxchg failed.
  bool cas_loop_add(Core& c, LineId l, int word, uint64_t delta);
  // A general atomic read-modify-write of the whole line (a CAS on a packed
  // lock word): f(words) returns {result, wrote}.
  using Rmw = std::function<std::pair<uint64_t, bool>(std::vector<uint64_t>&)>;
  uint64_t rmw(Core& c, LineId l, const Rmw& f);
  // Spins (event-driven) until pred(word) holds; returns the value seen.
  // *waited (if given) tells whether the first read did not satisfy it.
  uint64_t spin_until(Core& c, LineId l, int word, const Pred& pred, bool* waited = nullptr);
  // The same, polling with prefetchw (ssmp's receive loop): each read asks for the line exclusive, so the
  // spinner ends up owning it (a later write by it hits; the next writer's store finds it Modified here).
  uint64_t spin_until_owned(Core& c, LineId l, int word, const Pred& pred);
  // The same, giving up at deadline_ns: returns false (and stops spinning)
  // if the condition did not hold by then; *value gets the last value seen.
  bool spin_until_deadline(Core& c, LineId l, int word, const Pred& pred, double deadline_ns, uint64_t* value);
  // Polls several lines until pred(word) holds on every one (a CPU polling a
  // set of reply channels): the reads overlap (memory-level parallelism), so
  // the wait ends when the last condition is seen, not after a sum of reads.
  void spin_until_all(Core& c, const std::vector<LineId>& lines, int word, const Pred& pred);
  // Spins until a condition over the whole line holds (several fields of one
  // lock word read at once).
  void spin_until_line(Core& c, LineId l, const LinePred& pred);
  // One store that writes several words of a line (a wider store).
  void store_words(Core& c, LineId l, const std::vector<std::pair<int, uint64_t>>& words);

  // Scheduling, one task per CPU: sleep() parks the CPU (idle, interruptible)
  // until a wake_up(); the waker pays sched_wakeup_cycles and sends a
  // reschedule IPI, the woken CPU pays context_switch_cycles.
  void sleep(Core& c);
  void wake_up(Core& waker, int target);
  // A kernel design's wake-up path (try_to_wake_up: the target's run queue);
  // without one, a wake-up costs sched_wakeup_cycles.
  void set_wake_hook(std::function<void(Core& waker, int target)> hook) { wake_hook_ = std::move(hook); }
  // The timeline, when --trace asks for one (null otherwise).
  void set_trace(Trace* t) {
    trace_ = t;
    dir_.interconnect().set_trace(t);
  }
  Trace* trace() const { return trace_; }
  // Who holds and who waits for which lock (the deadlock detector's graph).
  WaitForGraph& waits() { return waits_; }
  const WaitForGraph& waits() const { return waits_; }
  // Ends the core's work: flushes private time and records the finish time.
  void finish(Core& c);
  // After finish(): the CPU idles (still taking interrupts: shootdowns, wake-ups)
  // until every CPU has finished; the last one releases them all.
  void retire(Core& c);

 private:
  struct Watcher {
    Core* core;
    int word;
    const LinePred* pred;
    uint64_t seen_version;
    Op poll = Op::Load;  // how each re-read asks for the line (Op::Store: for ownership, a prefetchw)
    uint64_t value = 0;
    double done_ns = 0;
    bool satisfied = false;
  };
  void handle_irqs(Core& c);
  void take_irqs_while_waiting(Core& c);
  bool spin_impl(Core& c, LineId l, int word, const LinePred& pred, double deadline_ns, uint64_t* value, bool* waited,
                 Op poll = Op::Load);
  bool can_take_irq(const Core& c) const { return c.irq_off_depth == 0 && !c.in_irq; }
  int icr_write_key(int target) const;  // which ICR write of a send carries an IPI to `target`
  // apply(words) performs the operation and returns {result, wrote}.
  template <class F>
  uint64_t access(Core& c, Op op, LineId l, F&& apply);
  // The store buffer (see store()).
  template <class F>
  void store_impl(Core& c, LineId l, F&& apply);
  template <class F>
  void buffered_store(Core& c, LineId l, F&& apply, double issue_ns);
  template <class F>
  uint64_t forward_load(Core& c, LineId l, F&& apply);
  bool pending_store(const Core& c, LineId l) const;  // a store to l not committed by the CPU's true time
  static void retire_drained(Core& c, double now);
  void notify(LineId l, uint64_t version);
  // Re-reads the line on behalf of `due` spinners, in that order; wakes those whose condition holds.
  // (signal = false: the caller is the only spinner and is not waiting yet.)
  void reread(LineId l, const std::vector<Watcher*>& due, bool signal = true);

  Directory dir_;
  Clock& clock_;
  WaitForGraph waits_;
  std::vector<Core> cores_;
  std::vector<std::vector<Watcher*>> watchers_;  // by line
  std::vector<Watcher*> due_scratch_;            // notify's list of spinners to re-read
  Rng order_rng_;  // the order in which the home answers simultaneous re-reads
  std::unique_ptr<InterruptController> irqs_;
  int retired_ = 0;
  std::function<void(Core&, int)> wake_hook_;
  Trace* trace_ = nullptr;
  std::map<std::string, LineId> named_lines_;
};

}  // namespace smpsim
