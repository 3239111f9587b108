// The simulator's view of time and blocking, independent of SimGrid.
// Models include this header only; engine/simgrid_clock.cpp implements it on S4U,
// so that a SimGrid rename touches one file.
#pragma once
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace smpsim {

// A place where one simulated core blocks until another core signals it
// (a SimGrid semaphore underneath). Waiting costs no events while blocked.
class WaitPoint {
 public:
  virtual ~WaitPoint() = default;
  virtual void wait() = 0;
  // Waits until signalled or until t_ns, whichever comes first; true if
  // signalled (an interruptible sleep: one simulated event either way).
  virtual bool wait_until_ns(double t_ns) = 0;
  // Wakes the waiter now (the caller's time).
  virtual void signal() = 0;
  // Wakes the waiter at t_ns (>= the caller's time): a write's completion
  // reaching a spinner, without the spinner waking twice.
  virtual void signal_at(double t_ns) = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual double now_ns() const = 0;
  // Simulated CPU `cpu`'s own clock, seen from anywhere: nothing it does from now on happens earlier
  // (-infinity when the clock cannot tell). Lets a statistic fold what no CPU can change any more.
  virtual double cpu_lower_bound_ns(int /*cpu*/) const { return -std::numeric_limits<double>::infinity(); }
  // Work that makes no event (a recipe's steps): the runaway guards count it too, so that a loop of empty or
  // zero-cycle steps cannot run past them.
  virtual void count_steps(long long /*n*/) {}
  // Blocks the calling simulated core until `t_ns`: one simulated event,
  // which the engine takes only if another actor could run before t_ns.
  virtual void sleep_until_ns(double t_ns) = 0;
  virtual std::unique_ptr<WaitPoint> make_wait_point() = 0;
  // Runs `fn` at t_ns outside any CPU (an engine timer: an interrupt
  // arriving). fn may signal wait points and touch model state, not block.
  virtual void at(double t_ns, std::function<void()> fn) = 0;
  // Bulk data as SimGrid flows over links (network/model CM02: latency +
  // bytes / bandwidth, flows sharing a link share its bandwidth): `bytes` from
  // node `from` to node `to` across the cluster network, or through node
  // `from`'s memory bus when from == to. Blocks the caller until the data has
  // arrived (one event). Nodes 0..kMaxNodes-1.
  static constexpr int kMaxNodes = 4;
  virtual void bulk_transfer(int from_node, int to_node, double bytes) = 0;
  virtual void configure_bulk(double memory_bytes_per_s, double network_bytes_per_s, double network_latency_s) = 0;
};

// One simulated machine on the event engine: one actor per core, each on its
// own host. Construct once per process (SimGrid keeps one engine per process;
// a second Simulation in the same process reuses it and measures time from
// its own start).
class Simulation : public Clock {
 public:
  explicit Simulation(int cores);
  ~Simulation() override;
  void spawn(int core, std::function<void()> body);
  // Runs until every actor ends. Throws std::runtime_error if the engine
  // found a deadlock (every remaining actor blocked forever): a model bug.
  void run();
  double now_ns() const override;
  double cpu_lower_bound_ns(int cpu) const override;
  // Every kStepsPerEvent steps count as one simulated event for run.max_events; run.max_wall_s is checked every
  // kStepsPerCheck steps.
  static constexpr long long kStepsPerEvent = 1024, kStepsPerCheck = 4096;
  void count_steps(long long n) override;
  void sleep_until_ns(double t_ns) override;
  std::unique_ptr<WaitPoint> make_wait_point() override;
  void at(double t_ns, std::function<void()> fn) override;
  void bulk_transfer(int from_node, int to_node, double bytes) override;
  void configure_bulk(double memory_bytes_per_s, double network_bytes_per_s, double network_latency_s) override;
  // Simulated events: every time advance or wait a model asked for.
  long long events() const { return events_; }
  // Of those, the ones the engine had to take (SimGrid blocking calls); the
  // others were run ahead (see "Lookahead" in simgrid_clock.cpp). Counts the
  // yields that order simultaneous CPUs too.
  long long engine_events() const;
  // Lookahead on (the default) or off (SMPSIM_LOOKAHEAD=0 in the environment):
  // results are the same.
  bool lookahead() const { return lookahead_; }
  // Runaway guards (0: none). When one is crossed, every simulated CPU is
  // stopped where it is and run() returns; limit_hit() says which.
  void set_limits(double max_sim_time_ns, long long max_events, double max_wall_s);
  const std::string& limit_hit() const { return limit_hit_; }
  // Another limit, checked with the others (every 1,024 events): a non-empty reason stops the run.
  void add_limit(std::function<std::string()> reason) { extra_limit_ = std::move(reason); }
  // Called at every event; stops the simulation past a limit.
  void check_limits();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  friend class SemWaitPoint;
  double t0_s_ = 0;
  long long events_ = 0;
  long long engine_events_ = 0;
  bool lookahead_ = true;
  double max_sim_time_ns_ = 0, max_wall_s_ = 0;
  long long max_events_ = 0;
  double wall0_s_ = 0;
  std::string limit_hit_;
  std::vector<long> cpu_pid_;  // each simulated CPU's actor
  std::function<std::string()> extra_limit_;
  void check_limits(bool periodic);
  long long steps_ = 0, next_step_check_ = kStepsPerCheck;
};

}  // namespace smpsim
