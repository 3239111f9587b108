// The only translation unit that talks to SimGrid.
#include <fmt/format.h>
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <limits>
#include <map>
#include <tuple>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/clock.hpp"
#include "engine/errors.hpp"

namespace smpsim {

namespace {
simgrid::s4u::Engine& engine() {
  // Engine configuration: exact timing (the 1e-9 s default would round
  // sub-nanosecond costs away) and quiet logs.
  // Bulk flows: textbook latency + size / bandwidth (CM02, no cross-traffic).
  static char arg0[] = "smpsim";
  static char arg1[] = "--cfg=surf/precision:1e-15";
  static char arg3[] = "--cfg=network/model:CM02";
  static char arg4[] = "--cfg=network/crosstraffic:0";
  static char arg2[] = "--log=root.app:file:/dev/null";  // no engine logs: smpsim reports deadlocks itself
#ifdef SMPSIM_SANITIZE
  // ASan cannot follow SimGrid's raw context switches: simulated CPUs as threads.
  static char arg5[] = "--cfg=contexts/factory:thread";
  static char* argv[] = {arg0, arg1, arg2, arg3, arg4, arg5, nullptr};
#else
  static char* argv[] = {arg0, arg1, arg2, arg3, arg4, nullptr};
#endif
  static int argc = int(sizeof argv / sizeof argv[0]) - 1;
  static simgrid::s4u::Engine e(&argc, argv);
  return e;
}

}  // namespace

// Lookahead. A simulated CPU that only advances its own time (private work,
// a cache miss, an interruptible wait that nothing can interrupt) need not
// ask the engine to do so while no other actor could run before the time it
// advances to: then nothing can happen in between, and the engine would
// resume it next anyway. Each actor therefore keeps a local clock, and the
// simulation keeps the time at which every other actor and every engine
// timer will next run on its own (`wakes`: timed sleeps and waits, "now" for
// an actor that was woken): an advance to a time strictly before the
// earliest of those is a simulated event that the engine does not see.
// Interactions stay at the engine's time: a CPU wakes another through an
// engine timer at its own local time (the woken one runs then, after the
// waker has blocked); a bulk flow first catches the engine up (one sleep). Every timed wake-up is an engine timer at the exact
// date of its simulated time, and simultaneous actors run in id order. Same
// results with and without (SMPSIM_LOOKAHEAD=0); far fewer SimGrid events
// when CPUs are mostly apart (think time, private work), and about one per
// interaction when they are not.
struct Simulation::Impl {
  struct Slot {
    double local_ns = 0;   // this actor's own clock
    double synced_ns = 0;  // the local time at which the engine's clock last equalled it
    double key_ns = 0;     // when it next runs on its own (valid while in `wakes`)
    bool in_wakes = false;
    bool actor = false;    // a simulated CPU (not maestro, which runs timers)
    simgrid::s4u::SemaphorePtr sleeper;  // what a sleep blocks on, released by its timer
  };
  std::vector<simgrid::s4u::Host*> hosts;
  std::vector<Slot> slots;                    // by actor id
  std::set<std::pair<double, long>> wakes;    // (time, actor id or -timer id) of what will run on its own
  double latest_ns = 0;                       // the latest local time any actor reached
  long timers = 0;                            // timers set (their ids in `wakes` are negative)
  double timer_now_ns = -1;                   // while a timer runs: its time
  long long yields = 0;                       // to order simultaneous actors (counted as engine events)
  bool ran = false;                           // some actor has run (then "now" outside actors is latest_ns)

  Slot* me() const {
    simgrid::s4u::Actor* a = simgrid::s4u::Actor::self();
    if (a == nullptr) return nullptr;
    const auto pid = size_t(a->get_pid());
    return pid < slots.size() && slots[pid].actor ? const_cast<Slot*>(&slots[pid]) : nullptr;
  }
  long id_of(const Slot* s) const { return long(s - slots.data()); }
  Slot& slot(long pid) {
    if (size_t(pid) >= slots.size()) slots.resize(size_t(pid) + 1);
    return slots[size_t(pid)];
  }
  void set_key(long pid, double t_ns) {
    Slot& s = slots[size_t(pid)];
    if (s.in_wakes) wakes.erase({s.key_ns, pid});
    s.key_ns = t_ns;
    s.in_wakes = true;
    wakes.emplace(t_ns, pid);
  }
  void clear_key(long pid) {
    Slot& s = slots[size_t(pid)];
    if (s.in_wakes) wakes.erase({s.key_ns, pid});
    s.in_wakes = false;
  }
  // The earliest time another actor runs on its own (the caller is not in `wakes`).
  double next_other_ns() const {
    return wakes.empty() ? std::numeric_limits<double>::infinity() : wakes.begin()->first;
  }
  void advance(Slot& s, double t_ns) {
    ran = true;
    s.local_ns = t_ns;
    latest_ns = std::max(latest_ns, t_ns);
  }
  // After a blocking call: the actor runs at t_ns, after every actor due at
  // the same time with a smaller id (simultaneous events in CPU order, not in
  // whatever order the engine happens to resume them).
  void resumed(Slot& s, double t_ns) {
    advance(s, t_ns);
    s.synced_ns = t_ns;
    const long pid = id_of(&s);
    clear_key(pid);
    while (earlier_tie(pid, t_ns)) {
      set_key(pid, t_ns);
      ++yields;
      simgrid::s4u::this_actor::yield();
      clear_key(pid);
    }
  }
  bool earlier_tie(long pid, double t_ns) const {
    // Per time at or before t_ns, the actor with the smallest id comes first (timers' ids are negative).
    // An actor due strictly earlier comes first whatever its id: two times closer than the
    // engine's date resolution (seconds since t0) are one engine date, resumed in any order.
    for (auto it = wakes.begin(); it != wakes.end() && it->first <= t_ns;) {
      const auto first_actor = wakes.lower_bound({it->first, 1});
      if (first_actor != wakes.end() && first_actor->first == it->first &&
          (it->first < t_ns || first_actor->second < pid))
        return true;
      it = wakes.upper_bound({it->first, std::numeric_limits<long>::max()});
    }
    return false;
  }
  double engine_ns(const Simulation& sim) const {
    return (simgrid::s4u::Engine::get_clock() - sim.t0_s_) * 1e9;
  }
  // The engine date of t_ns: every timed wake-up is an engine timer at this
  // date, so that equal simulated times are one engine step (an engine sleep
  // computes its end from its start, and rounding could split them).
  static double date_s(const Simulation& sim, double t_ns) {
    return std::max(simgrid::s4u::Engine::get_clock(), sim.t0_s_ + t_ns * 1e-9);
  }
  // A real sleep until `t_ns` (at least the engine's now).
  void engine_sleep(Slot& s, double t_ns, Simulation& sim) {
    const long pid = id_of(&s);
    set_key(pid, t_ns);
    ++sim.engine_events_;
    simgrid::s4u::SemaphorePtr sem = s.sleeper;  // `s` may move while blocked (actors added)
    simgrid::kernel::timer::Timer::set(date_s(sim, t_ns), [sem] { sem->release(); });
    sem->acquire();
    resumed(slot(pid), t_ns);
  }
  // Catches the engine up with the actor's local clock (before letting
  // another actor run at the engine's time).
  void sync(Slot& s, Simulation& sim) {
    if (s.local_ns > s.synced_ns) engine_sleep(s, s.local_ns, sim);
  }
  simgrid::s4u::ActorPtr create(Simulation& sim, const std::string& name, simgrid::s4u::Host* host,
                                std::function<void()> body);
  // An engine timer at t_ns; until it has run, no actor runs ahead past it. Timers due at one time run in
  // the order of the simulated times at which they were set, then of their setting: the engine's own order
  // for equal dates is its heap's, which depends on when each was inserted in host order (and so on the
  // lookahead). Each engine timer runs every timer due by its time, in that order (`due`).
  void at(const Simulation& sim, double t_ns, std::function<void()> fn) {
    const long id = -(++timers);
    wakes.emplace(t_ns, id);
    due.emplace(std::make_tuple(t_ns, caller_ns(sim), -id), std::move(fn));
    simgrid::kernel::timer::Timer::set(date_s(sim, t_ns), [this, t_ns] { run_due(t_ns); });
  }
  void run_due(double t_ns) {
    while (!due.empty() && std::get<0>(due.begin()->first) <= t_ns) {
      auto node = due.extract(due.begin());
      const double t = std::get<0>(node.key());
      wakes.erase({t, -std::get<2>(node.key())});
      timer_now_ns = t;
      node.mapped()();
      timer_now_ns = -1;
    }
  }
  // Timers not yet run: (due time, the time it was set, its number) -> what it does.
  std::map<std::tuple<double, double, long>, std::function<void()>> due;
  // The caller's time: an actor's local clock, a timer's time, or the engine's.
  double caller_ns(const Simulation& sim) const {
    if (const Slot* s = me()) return s->local_ns;
    if (timer_now_ns >= 0) return timer_now_ns;
    return ran ? latest_ns : engine_ns(sim);  // after the run: the latest time a CPU reached
  }
};

// A semaphore on which one actor (its owner, the first to wait) blocks. The
// tokens are counted here, and the engine's semaphore is released only for an
// owner blocked on it: a wait that finds a token takes it without a SimGrid
// call (which would yield, letting others run while the owner is neither
// blocked nor in `wakes`).
class SemWaitPoint : public WaitPoint {
 public:
  explicit SemWaitPoint(Simulation* sim) : sem_(simgrid::s4u::Semaphore::create(0)), sim_(sim) {}
  bool wait_until_ns(double t_ns) override {
    Simulation::Impl& im = *sim_->impl_;
    Simulation::Impl::Slot* s = begin_wait();
    if (tokens_ > 0) {
      --tokens_;
      return true;
    }
    if (t_ns <= s->local_ns) return false;  // already past: timed out
    if (sim_->lookahead_ && t_ns < im.next_other_ns()) {  // nobody can signal before then
      im.advance(*s, t_ns);
      return false;
    }
    const long pid = im.id_of(s);  // `s` may move while blocked (actors added)
    im.set_key(pid, t_ns);
    ++sim_->engine_events_;
    waiting_ = true;
    released_ = timed_out_ = timeout_fired_ = false;
    simgrid::kernel::timer::Timer* timeout =
        simgrid::kernel::timer::Timer::set(Simulation::Impl::date_s(*sim_, t_ns), [this, t_ns] {
          timeout_fired_ = true;
          if (waiting_ && !released_) {
            released_ = timed_out_ = true;
            signal_ns_ = t_ns;
            sem_->release();
          }
        });
    sem_->acquire();
    if (!timeout_fired_) timeout->remove();  // signalled first: the timeout is moot
    waiting_ = false;
    im.resumed(im.slot(pid), timed_out_ ? t_ns : std::max(signal_ns_, im.slot(pid).local_ns));
    return !timed_out_;
  }
  void wait() override {
    Simulation::Impl& im = *sim_->impl_;
    Simulation::Impl::Slot* s = begin_wait();
    if (tokens_ > 0) {
      --tokens_;
      return;
    }
    const long pid = im.id_of(s);
    ++sim_->engine_events_;
    waiting_ = true;  // not in `wakes`: only a signal wakes it
    released_ = false;
    sem_->acquire();
    waiting_ = false;
    im.resumed(im.slot(pid), std::max(signal_ns_, im.slot(pid).local_ns));
  }
  // From a CPU, a release goes through an engine timer even at the CPU's own
  // time: a semaphore release from an actor would yield, letting the woken
  // actor run while the signaller is neither blocked nor in `wakes`. The
  // timer runs once the signaller blocks, the woken actor after it.
  void signal() override { signal_at(sim_->impl_->caller_ns(*sim_)); }
  void signal_at(double t_ns) override {
    Simulation::Impl& im = *sim_->impl_;
    if (im.me() == nullptr && t_ns <= im.caller_ns(*sim_)) return release_now(im.caller_ns(*sim_));  // a timer
    im.at(*sim_, t_ns, [this, t_ns] { release_now(t_ns); });
  }

 private:
  // (Outside any actor: from a timer.) A blocked owner runs at the engine's
  // time, which is t_ns; otherwise the token waits for its next wait.
  void release_now(double t_ns) {
    signal_ns_ = t_ns;
    if (waiting_ && !released_) {
      released_ = true;
      sim_->impl_->set_key(owner_, t_ns);
      sem_->release();
    } else {
      ++tokens_;
    }
  }
  Simulation::Impl::Slot* begin_wait() {
    Simulation::Impl::Slot* s = sim_->impl_->me();
    if (s == nullptr) throw std::logic_error("a wait outside a simulated CPU");
    owner_ = sim_->impl_->id_of(s);
    ++sim_->events_;
    sim_->check_limits();
    return s;
  }
  simgrid::s4u::SemaphorePtr sem_;
  Simulation* sim_;
  long owner_ = -1;
  bool waiting_ = false;   // the owner is blocked on sem_
  bool released_ = false;  // ... and sem_ was released for it
  bool timed_out_ = false, timeout_fired_ = false;  // a timed wait's timeout
  long tokens_ = 0;        // signals not yet taken by a wait
  double signal_ns_ = 0;
};

Simulation::Simulation(int cores) : impl_(std::make_unique<Impl>()) {
  const char* la = std::getenv("SMPSIM_LOOKAHEAD");
  lookahead_ = !(la != nullptr && std::string(la) == "0");
  auto& e = engine();
  // SimGrid seals the platform at the first run, so a process gets one
  // platform. The first Simulation creates at least kMinHosts hosts, so that
  // tests may run several (smaller) simulations in one process; real runs use
  // one process per point.
  constexpr int kMinHosts = 256;
  if (e.get_netzone_root() == nullptr) {
    simgrid::s4u::NetZone* zone = simgrid::s4u::create_full_zone("machine");
    for (int i = 0; i < std::max(cores, kMinHosts); ++i) zone->create_host("core" + std::to_string(i), 1e9);
    // Bulk data paths: per node a host for its CPUs and one for its memory,
    // joined by the node's memory bus; nodes joined by their network uplinks
    // (a switch in between). Bandwidths are set per run (configure_bulk).
    using simgrid::s4u::LinkInRoute;
    std::vector<simgrid::s4u::Host*> node, memory;
    std::vector<simgrid::s4u::Link*> membus, uplink;
    for (int i = 0; i < kMaxNodes; ++i) {
      const std::string n = "node" + std::to_string(i);
      node.push_back(zone->create_host(n, 1e9));
      memory.push_back(zone->create_host(n + ".memory", 1e9));
      membus.push_back(zone->create_link(n + ".membus", 1e10)->set_latency(0));
      uplink.push_back(zone->create_link(n + ".uplink", 1e9)->set_latency(0));
    }
    for (int i = 0; i < kMaxNodes; ++i) {
      zone->add_route(node[size_t(i)]->get_netpoint(), memory[size_t(i)]->get_netpoint(), nullptr, nullptr,
                      {LinkInRoute(membus[size_t(i)])}, true);
      for (int j = i + 1; j < kMaxNodes; ++j)
        zone->add_route(node[size_t(i)]->get_netpoint(), node[size_t(j)]->get_netpoint(), nullptr, nullptr,
                        {LinkInRoute(uplink[size_t(i)]), LinkInRoute(uplink[size_t(j)])}, true);
    }
    zone->seal();
  }
  for (int i = 0; i < cores; ++i) {
    simgrid::s4u::Host* h = e.host_by_name_or_null("core" + std::to_string(i));
    if (h == nullptr)
      throw std::logic_error("a second, larger simulation in one process: run each point in its own process");
    impl_->hosts.push_back(h);
  }
  t0_s_ = simgrid::s4u::Engine::get_clock();
}

Simulation::~Simulation() = default;

// Actors are created before the run (creating one from an actor would
// yield with the creator outside `wakes`): each starts runnable at the
// engine's time, in `wakes` until it runs.
simgrid::s4u::ActorPtr Simulation::Impl::create(Simulation& sim, const std::string& name, simgrid::s4u::Host* host,
                                                std::function<void()> body) {
  if (me() != nullptr) throw std::logic_error("a simulated CPU created from another");
  const double start_ns = engine_ns(sim);
  simgrid::s4u::ActorPtr a = simgrid::s4u::Actor::create(name, host, [this, start_ns, body = std::move(body)] {
    resumed(slot(long(simgrid::s4u::this_actor::get_pid())), start_ns);
    body();
  });
  const long pid = long(a->get_pid());
  slot(pid).actor = true;
  slot(pid).sleeper = simgrid::s4u::Semaphore::create(0);
  set_key(pid, start_ns);
  return a;
}

void Simulation::spawn(int core, std::function<void()> body) {
  simgrid::s4u::ActorPtr a = impl_->create(*this, "core" + std::to_string(core), impl_->hosts.at(core), std::move(body));
  if (size_t(core) >= cpu_pid_.size()) cpu_pid_.resize(size_t(core) + 1, -1);
  cpu_pid_[size_t(core)] = long(a->get_pid());
}

double Simulation::cpu_lower_bound_ns(int cpu) const {
  // An actor's local clock only moves forward, and it acts at or after it; a blocked actor resumes no earlier
  // than the engine's clock (less 1 ns: the engine's date is seconds in a double, rounded).
  if (cpu < 0 || size_t(cpu) >= cpu_pid_.size() || cpu_pid_[size_t(cpu)] < 0 ||
      size_t(cpu_pid_[size_t(cpu)]) >= impl_->slots.size())
    return -std::numeric_limits<double>::infinity();
  return std::max(impl_->slots[size_t(cpu_pid_[size_t(cpu)])].local_ns, impl_->engine_ns(*this) - 1.0);
}

void Simulation::run() {
  static bool deadlocked = false;
  static bool hooked = false;
  if (!hooked) {
    simgrid::s4u::Engine::on_deadlock_cb([] { deadlocked = true; });
    hooked = true;
  }
  deadlocked = false;
  engine().run();
  if (deadlocked) throw SimDeadlock("simulation deadlock: every simulated CPU still running is blocked for ever");
}

void Simulation::set_limits(double max_sim_time_ns, long long max_events, double max_wall_s) {
  max_sim_time_ns_ = max_sim_time_ns;
  max_events_ = max_events;
  max_wall_s_ = max_wall_s;
  wall0_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void Simulation::count_steps(long long n) {
  steps_ += n;
  if (steps_ < next_step_check_) return;
  next_step_check_ = steps_ + kStepsPerCheck;
  check_limits(true);
}

void Simulation::check_limits() { check_limits((events_ & 1023) == 0); }

// `periodic`: also the checks too costly for every event (the host clock, the extra limit).
void Simulation::check_limits(bool periodic) {
  if (!limit_hit_.empty()) return;
  if (max_events_ > 0 && events_ + steps_ / kStepsPerEvent > max_events_)
    limit_hit_ = "run.max_events (" + std::to_string(max_events_) + " simulated events) reached";
  else if (max_sim_time_ns_ > 0 && now_ns() > max_sim_time_ns_)
    limit_hit_ = "run.max_sim_time_ns (" + fmt::format("{:g}", max_sim_time_ns_) + " ns simulated) reached";
  else if (periodic && max_wall_s_ > 0 &&
           std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count() - wall0_s_ >
               max_wall_s_)
    limit_hit_ = "run.max_wall_s (" + fmt::format("{:g}", max_wall_s_) + " s of host time) reached";
  else if (periodic && extra_limit_)
    limit_hit_ = extra_limit_();
  if (limit_hit_.empty()) return;
  // Stop every simulated CPU where it is; the run ends and reports what it has.
  simgrid::s4u::Actor::kill_all();
  simgrid::s4u::this_actor::exit();
}

// Inside an actor, its local clock; outside (after the run), the latest time reached.
double Simulation::now_ns() const { return impl_->caller_ns(*this); }

long long Simulation::engine_events() const { return engine_events_ + impl_->yields; }

void Simulation::at(double t_ns, std::function<void()> fn) {
  // Once a runaway guard has stopped the CPUs, a timer must not touch what their stacks held.
  impl_->at(*this, t_ns, [this, fn = std::move(fn)] {
    if (limit_hit_.empty()) fn();
  });
}

void Simulation::sleep_until_ns(double t_ns) {
  Impl::Slot* s = impl_->me();
  if (s == nullptr) throw std::logic_error("a sleep outside a simulated CPU");
  if (t_ns <= s->local_ns) return;
  ++events_;
  check_limits();
  if (lookahead_ && t_ns < impl_->next_other_ns()) {
    impl_->advance(*s, t_ns);  // nobody runs before then: no engine event
    return;
  }
  impl_->engine_sleep(*s, t_ns, *this);
}

std::unique_ptr<WaitPoint> Simulation::make_wait_point() { return std::make_unique<SemWaitPoint>(this); }

void Simulation::configure_bulk(double memory_bytes_per_s, double network_bytes_per_s, double network_latency_s) {
  auto& e = engine();
  for (int i = 0; i < kMaxNodes; ++i) {
    const std::string n = "node" + std::to_string(i);
    e.link_by_name(n + ".membus")->set_bandwidth(memory_bytes_per_s);
    // the route crosses two uplinks: each carries half the one-way latency
    e.link_by_name(n + ".uplink")->set_bandwidth(network_bytes_per_s)->set_latency(network_latency_s / 2);
  }
}

void Simulation::bulk_transfer(int from_node, int to_node, double bytes) {
  auto& e = engine();
  if (from_node < 0 || from_node >= kMaxNodes || to_node < 0 || to_node >= kMaxNodes)
    throw std::logic_error("bulk_transfer: no node " + std::to_string(std::max(from_node, to_node)));
  if (bytes <= 0) return;
  simgrid::s4u::Host* from = e.host_by_name("node" + std::to_string(from_node));
  simgrid::s4u::Host* to = e.host_by_name(from_node == to_node ? "node" + std::to_string(to_node) + ".memory"
                                                               : "node" + std::to_string(to_node));
  Impl::Slot* s = impl_->me();
  if (s == nullptr) throw std::logic_error("a bulk transfer outside a simulated CPU");
  ++events_;
  check_limits();
  impl_->sync(*s, *this);
  // Its end is the network model's, unknown here: until then no other actor
  // runs ahead of its start. (A mark like a timer's, not the actor's own key:
  // an actor due at a time before others would make them yield to it.)
  const long pid = impl_->id_of(s);
  const std::pair<double, long> mark{s->local_ns, -(++impl_->timers)};
  impl_->wakes.insert(mark);
  ++engine_events_;
  simgrid::s4u::Comm::sendto(from, to, uint64_t(bytes));
  impl_->wakes.erase(mark);
  impl_->resumed(impl_->slot(pid), std::max(impl_->slot(pid).local_ns, impl_->engine_ns(*this)));
}


}  // namespace smpsim
