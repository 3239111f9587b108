// The lookahead (engine/simgrid_clock.cpp): a CPU that only advances its own
// time does not involve the engine while nobody else could run before it,
// and a CPU ahead of the engine still interacts at its own time.
#include <catch2/catch.hpp>

#include <vector>

#include "engine/clock.hpp"

using namespace smpsim;

TEST_CASE("a CPU alone advances its clock without engine events", "[simgrid][lookahead]") {
  Simulation sim(1);
  std::vector<double> seen;
  sim.spawn(0, [&] {
    for (int i = 1; i <= 100; ++i) {
      sim.sleep_until_ns(i * 10.0);
      seen.push_back(sim.now_ns());
    }
  });
  sim.run();
  REQUIRE(seen.size() == 100);
  CHECK(seen.back() == 1000.0);
  CHECK(sim.events() == 100);
  CHECK(sim.engine_events() == (sim.lookahead() ? 0 : 100));
}

TEST_CASE("a CPU runs ahead only up to the next time another CPU runs", "[simgrid][lookahead]") {
  Simulation sim(2);
  double b_woke = -1;
  sim.spawn(0, [&] {
    for (int i = 1; i <= 10; ++i) sim.sleep_until_ns(i * 100.0);  // 100 .. 1000 ns
  });
  sim.spawn(1, [&] {
    sim.sleep_until_ns(550);  // CPU 0 may run ahead to 500, not past 550
    b_woke = sim.now_ns();
  });
  sim.run();
  CHECK(b_woke == 550.0);
  CHECK(sim.events() == 11);
  if (sim.lookahead()) {
    // CPU 0's first sleep is the engine's (CPU 1 has not started: due at 0),
    // so is CPU 1's to 550; CPU 0 then alone from 100 to 500; its sleep to 600
    // is the engine's; then alone again to 1000.
    CHECK(sim.engine_events() == 3);
  }
}

TEST_CASE("a CPU ahead of the engine wakes a waiter at its own time", "[simgrid][lookahead]") {
  Simulation sim(2);
  auto wp = sim.make_wait_point();
  double woke_at = -1;
  sim.spawn(0, [&] {
    wp->wait();
    woke_at = sim.now_ns();
  });
  sim.spawn(1, [&] {
    sim.sleep_until_ns(700);  // ahead of the engine (the waiter is blocked for ever): no event
    wp->signal();
    sim.sleep_until_ns(900);
  });
  sim.run();
  CHECK(woke_at == 700.0);
}

TEST_CASE("a signal at a later time wakes the waiter then, and bounds everyone's lookahead", "[simgrid][lookahead]") {
  Simulation sim(3);
  auto wp = sim.make_wait_point();
  double woke_at = -1, c_at = -1;
  sim.spawn(0, [&] {
    wp->wait();
    woke_at = sim.now_ns();
  });
  sim.spawn(1, [&] {
    wp->signal_at(300);
    sim.sleep_until_ns(1000);
  });
  sim.spawn(2, [&] {
    sim.sleep_until_ns(250);
    sim.sleep_until_ns(400);
    c_at = sim.now_ns();
  });
  sim.run();
  CHECK(woke_at == 300.0);
  CHECK(c_at == 400.0);
}

TEST_CASE("timers run at their time, in a CPU's absence too", "[simgrid][lookahead]") {
  Simulation sim(1);
  std::vector<double> fired;
  sim.spawn(0, [&] {
    sim.at(150, [&] { fired.push_back(sim.now_ns()); });
    sim.at(50, [&] { fired.push_back(sim.now_ns()); });
    sim.sleep_until_ns(100);  // the timer at 50 comes first: the engine's
    fired.push_back(-sim.now_ns());
  });
  sim.run();
  REQUIRE(fired.size() == 3);
  CHECK(fired[0] == 50.0);
  CHECK(fired[1] == -100.0);
  CHECK(fired[2] == 150.0);
}

TEST_CASE("a CPU in a bulk transfer holds back the others' lookahead, not their progress", "[simgrid][lookahead]") {
  Simulation sim(2);
  sim.configure_bulk(1e9, 1e9, 0);  // 1 GB/s: 10,000 bytes take 10 µs
  double sent_at = -1, other_at = -1;
  sim.spawn(0, [&] {
    sim.bulk_transfer(0, 1, 10000);
    sent_at = sim.now_ns();
  });
  sim.spawn(1, [&] {
    sim.sleep_until_ns(1000);  // during the transfer: CPU 0 is due earlier and has the smaller number
    sim.sleep_until_ns(2000);
    other_at = sim.now_ns();
  });
  sim.run();
  CHECK(other_at == 2000.0);
  CHECK(sent_at == Approx(10000.0).epsilon(1e-6));
}
