// Cross-CPU calls (the transport of ccCluster's doors and of msgport's
// messages): the caller writes a request line, interrupts the serving CPU and
// spins on a reply line; the server runs the call in its kernel (at once if it
// is outside the kernel, else at its next kernel exit) and writes the reply.
// The transport also keeps the kernel depth of every CPU (a call may only run
// at a kernel exit) and the design's message counters.
#pragma once
#include <nlohmann/json.hpp>

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/coherence/memory_system.hpp"
#include "models/design/kernel_design.hpp"
#include "models/design/kernel_objects.hpp"
#include "engine/stats.hpp"

namespace smpsim {

class CrossCalls {
 public:
  struct Call {
    std::string op;
    OpArgs args;
    int caller;
    uint64_t seq;
    int slot;       // the caller's request and reply lines (one pair per outstanding call)
    bool lockfree;  // takes no lock: may be served inside a kernel path that holds locks
  };
  // What the serving CPU does with a call (between reading the request and writing the reply).
  using Server = std::function<void(Core& server, const Call& call)>;

  CrossCalls(MemorySystem& mem, KernelObjects& objs);
  void set_server(Server s) { server_ = std::move(s); }
  // The call path's software (doors: the caller's door_call, the server's door_return), paid by the caller
  // before its request is written and by the server before its reply is written. 0 by default (msgport's
  // port costs are its own).
  void set_software_cycles(double call_cycles, double return_cycles) {
    call_cycles_ = call_cycles;
    return_cycles_ = return_cycles;
  }

  // Kernel entry and exit of c (calls to c wait for its outermost exit).
  void enter(const Core& c) { ++in_kernel_[size_t(c.id)]; }
  void leave(const Core& c) { --in_kernel_[size_t(c.id)]; }

  // A call that waits for its reply (doors, msgport's domsg).
  void call(Core& c, int server, const std::string& op, const OpArgs& args);
  // msgport's sendmsg: the request goes and the caller goes on; its reply
  // port is one of kAsyncSlots reply lines, waited for only when the slot is
  // needed again (a bounded number of messages in flight per CPU).
  void send(Core& c, int server, const std::string& op, const OpArgs& args);
  // The parts of a call, for callers that overlap several: writes the request
  // line of `slot` and interrupts the server; then spins on the reply.
  uint64_t start(Core& c, int server, const std::string& op, const OpArgs& args, int slot, bool lockfree = false);
  void wait(Core& c, int slot, uint64_t seq, bool lockfree_only = false);
  // Serves the calls queued for s (at its outermost kernel exit, or only the lock-free ones).
  void serve_queued(Core& s, bool lockfree_only = false);

  // Counters: a message to the CPU's own port; time spent waiting for replies.
  void count_local_message(const Core& c) { ++counters_[size_t(c.id)].messages_local; }
  void add_wait_ns(const Core& c, double ns) { counters_[size_t(c.id)].wait_ns += ns; }
  nlohmann::json cpu_counters(int cpu) const;

 private:
  static constexpr int kAsyncSlots = 4, kAsyncSlot0 = 100;  // slots 0.. are for waited calls
  // The caller's request or reply line of a slot.
  LineId line(int caller, bool reply, int slot);
  void arrives(Core& s, const Call& d);
  void publish(Core& c, LineId l, uint64_t seq, double software_cycles);
  void serve(Core& s, const Call& d);

  MemorySystem& mem_;
  KernelObjects& objs_;
  Server server_;
  std::vector<std::deque<Call>> queued_;  // calls queued per server CPU
  std::vector<int> in_kernel_;            // per CPU: depth of kernel code running
  std::vector<uint64_t> seq_;
  std::map<int, int> async_next_;                          // per CPU: its next reply slot
  std::map<std::pair<int, int>, uint64_t> async_pending_;  // (CPU, slot) -> the reply awaited

 public:
  struct Counters {  // per CPU (public: its statistics are registered)
    long long calls = 0, served = 0, messages_local = 0;
    double wait_ns = 0;
    static const StatTable<Counters>& table();
  };

 private:
  std::vector<Counters> counters_;
  int req_field_, rep_field_;  // the channel lines' field ids
  double call_cycles_ = 0, return_cycles_ = 0;
};

}  // namespace smpsim
