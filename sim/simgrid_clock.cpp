// The only translation unit that talks to SimGrid.
#include <fmt/format.h>
#include <simgrid/s4u.hpp>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/clock.hpp"
#include "sim/errors.hpp"

namespace smpsim {

namespace {
std::string& paje_file() {
  static std::string f;
  return f;
}

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
  static bool configured = false;
  if (!configured) {
    configured = true;
    if (!paje_file().empty()) {  // SimGrid's own Paje trace: actors' sleeps and waits, per host (= CPU)
      e.set_config("tracing:yes");
      e.set_config("tracing/filename:" + paje_file());
      e.set_config("tracing/actor:yes");
    }
  }
  return e;
}

class SemWaitPoint : public WaitPoint {
 public:
  SemWaitPoint(Simulation* sim, long long* events, double t0_s)
      : sem_(simgrid::s4u::Semaphore::create(0)), sim_(sim), events_(events), t0_s_(t0_s) {}
  bool wait_until_ns(double t_ns) override {
    const double timeout_s = t0_s_ + t_ns * 1e-9 - simgrid::s4u::Engine::get_clock();
    ++*events_;
    sim_->check_limits();
    if (timeout_s <= 0) return !sem_->acquire_timeout(0);
    return !sem_->acquire_timeout(timeout_s);  // acquire_timeout returns true on timeout
  }
  void wait() override {
    ++*events_;
    sim_->check_limits();
    sem_->acquire();
  }
  void signal() override { sem_->release(); }

 private:
  simgrid::s4u::SemaphorePtr sem_;
  Simulation* sim_;
  long long* events_;
  double t0_s_;
};
}  // namespace

struct Simulation::Impl {
  std::vector<simgrid::s4u::Host*> hosts;
};

Simulation::Simulation(int cores) : impl_(std::make_unique<Impl>()) {
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

void Simulation::enable_paje(const std::string& file) { paje_file() = file; }

void Simulation::spawn(int core, std::function<void()> body) {
  simgrid::s4u::Actor::create("core" + std::to_string(core), impl_->hosts.at(core), std::move(body));
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

void Simulation::check_limits() {
  if (!limit_hit_.empty()) return;
  if (max_events_ > 0 && events_ > max_events_)
    limit_hit_ = "run.max_events (" + std::to_string(max_events_) + " engine events) reached";
  else if (max_sim_time_ns_ > 0 && now_ns() > max_sim_time_ns_)
    limit_hit_ = "run.max_sim_time_ns (" + fmt::format("{:g}", max_sim_time_ns_) + " ns simulated) reached";
  else if (max_wall_s_ > 0 && (events_ & 1023) == 0 &&
           std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count() - wall0_s_ >
               max_wall_s_)
    limit_hit_ = "run.max_wall_s (" + fmt::format("{:g}", max_wall_s_) + " s of host time) reached";
  if (limit_hit_.empty()) return;
  // Stop every simulated CPU where it is; the run ends and reports what it has.
  simgrid::s4u::Actor::kill_all();
  simgrid::s4u::this_actor::exit();
}

double Simulation::now_ns() const { return (simgrid::s4u::Engine::get_clock() - t0_s_) * 1e9; }

void Simulation::sleep_until_ns(double t_ns) {
  double target_s = t0_s_ + t_ns * 1e-9;
  if (target_s <= simgrid::s4u::Engine::get_clock()) return;
  ++events_;
  check_limits();
  simgrid::s4u::this_actor::sleep_until(target_s);
}

std::unique_ptr<WaitPoint> Simulation::make_wait_point() {
  return std::make_unique<SemWaitPoint>(this, &events_, t0_s_);
}

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
  ++events_;
  simgrid::s4u::Comm::sendto(from, to, uint64_t(bytes));
}

void Simulation::spawn_daemon(std::function<void()> body) {
  static int n = 0;
  simgrid::s4u::ActorPtr a =
      simgrid::s4u::Actor::create("daemon" + std::to_string(n++), impl_->hosts.at(0), std::move(body));
  a->daemonize();
}

}  // namespace smpsim
