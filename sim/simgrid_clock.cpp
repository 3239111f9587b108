// The only translation unit that talks to SimGrid.
#include <simgrid/s4u.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/clock.hpp"
#include "sim/errors.hpp"

namespace smpsim {

namespace {
simgrid::s4u::Engine& engine() {
  // Engine configuration: exact timing (the 1e-9 s default would round
  // sub-nanosecond costs away) and quiet logs.
  static int argc = 3;
  static char arg0[] = "smpsim";
  static char arg1[] = "--cfg=surf/precision:1e-15";
  static char arg2[] = "--log=root.app:file:/dev/null";  // no engine logs: smpsim reports deadlocks itself
  static char* argv[] = {arg0, arg1, arg2, nullptr};
  static simgrid::s4u::Engine e(&argc, argv);
  return e;
}

class SemWaitPoint : public WaitPoint {
 public:
  SemWaitPoint(long long* events, double t0_s) : sem_(simgrid::s4u::Semaphore::create(0)), events_(events), t0_s_(t0_s) {}
  bool wait_until_ns(double t_ns) override {
    const double timeout_s = t0_s_ + t_ns * 1e-9 - simgrid::s4u::Engine::get_clock();
    ++*events_;
    if (timeout_s <= 0) return !sem_->acquire_timeout(0);
    return !sem_->acquire_timeout(timeout_s);  // acquire_timeout returns true on timeout
  }
  void wait() override {
    ++*events_;
    sem_->acquire();
  }
  void signal() override { sem_->release(); }

 private:
  simgrid::s4u::SemaphorePtr sem_;
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

double Simulation::now_ns() const { return (simgrid::s4u::Engine::get_clock() - t0_s_) * 1e9; }

void Simulation::sleep_until_ns(double t_ns) {
  double target_s = t0_s_ + t_ns * 1e-9;
  if (target_s <= simgrid::s4u::Engine::get_clock()) return;
  ++events_;
  simgrid::s4u::this_actor::sleep_until(target_s);
}

std::unique_ptr<WaitPoint> Simulation::make_wait_point() {
  return std::make_unique<SemWaitPoint>(&events_, t0_s_);
}

void Simulation::spawn_daemon(std::function<void()> body) {
  static int n = 0;
  simgrid::s4u::ActorPtr a =
      simgrid::s4u::Actor::create("daemon" + std::to_string(n++), impl_->hosts.at(0), std::move(body));
  a->daemonize();
}

}  // namespace smpsim
