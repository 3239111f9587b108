// A timeline in the Chrome Trace Event format (opens in ui.perfetto.dev):
// pid = the machine (or a ccCluster instance), tid = CPU. Complete events for
// ops, lock holds, interrupt handlers, IPI sends and think time, each with
// args; async events for lock waits (they overlap holds), flow events from an
// IPI's send slice to its handler, instant events for TLB shootdowns.
// Timestamps in microseconds. Slices nest on each CPU (document()).
#pragma once
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace smpsim {

class Trace {
 public:
  void complete(int tid, const std::string& name, const char* cat, double start_ns, double end_ns,
                nlohmann::json args = nlohmann::json::object());
  void async_begin(int tid, const std::string& name, unsigned long long id, double ts_ns);
  void async_end(int tid, const std::string& name, unsigned long long id, double ts_ns);
  void flow_start(int tid, unsigned long long id, double ts_ns);
  void flow_end(int tid, unsigned long long id, double ts_ns);
  void instant(int tid, const std::string& name, double ts_ns, const char* cat = "tlb");
  // A counter track (Perfetto draws one per name) that changes by `delta` at
  // ts_ns. CPUs report in host order, not time order: the values are summed
  // in time order when the document is written.
  void counter_delta(int tid, const std::string& name, const char* series, double delta, double ts_ns);
  unsigned long long next_id() { return ++ids_; }
  // Events held (a run's trace is written when it ends: run.max_trace_events bounds this).
  size_t size() const { return events_.size(); }
  // Events that start after to_us are not kept: document() leaves them out anyway (it filters before it nests
  // slices; a pair is kept only whole; a counter's values before to_us do not depend on later deltas), so a
  // window keeps a long run's trace small.
  void set_window_end_us(double to_us) { window_end_us_ = to_us; }
  // Puts CPU `tid` in process `pid` named `name` (a ccCluster instance);
  // CPUs never placed are in pid 1, named after the machine.
  void set_process(int tid, int pid, const std::string& name);
  // The events within [from_us, to_us] (to_us < 0: no end), sorted per CPU by time, slices nested: a CPU's
  // time is private until it meets another CPU, so work it stamped ahead of an interrupt that arrived
  // meanwhile ran after the handler: a slice that starts inside an interrupt's slice and ends after it starts
  // at the handler's end, and a slice that an interrupt's (or any child's) slice outlasts is extended to cover it.
  nlohmann::json document(const std::string& machine, int cpus, double from_us, double to_us) const;

 private:
  int pid_of(int tid) const;
  bool after_window(double ts_ns) const { return window_end_us_ >= 0 && ts_ns / 1000.0 > window_end_us_; }
  std::vector<nlohmann::json> events_;
  std::map<int, std::pair<int, std::string>> process_of_;  // tid -> (pid, name)
  unsigned long long ids_ = 0;
  double window_end_us_ = -1;
};

}  // namespace smpsim
