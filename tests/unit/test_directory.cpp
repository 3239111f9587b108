// The coherence directory prices each access from the machine's table and
// serializes requests for one line at its home.
#include <catch2/catch.hpp>

#include "machines.hpp"
#include "models/coherence/directory.hpp"
#include "models/machine/presets.hpp"

using namespace smpsim;
using smpsim::test::preset;

namespace {
// Opteron48 cores: 0..5 die 0, 6..11 die 1 (same package), 12 die 2 (one hop
// from die 0), 18 die 3 (two hops from die 0).
constexpr int kSameDie = 1, kSamePkg = 6, kOneHop = 12, kTwoHops = 18;
}  // namespace

TEST_CASE("opteron48 distances follow the package and link layout", "[topology]") {
  Machine m = preset("opteron48");
  CHECK(m.topo.cores() == 48);
  CHECK(m.topo.core_distance(0, kSameDie) == Distance::SameDie);
  CHECK(m.topo.core_distance(0, kSamePkg) == Distance::SamePackage);
  CHECK(m.topo.core_distance(0, kOneHop) == Distance::OneHop);
  CHECK(m.topo.core_distance(0, kTwoHops) == Distance::TwoHops);
  CHECK(m.topo.core_distance(kTwoHops, 0) == Distance::TwoHops);
}

TEST_CASE("every (operation, state, distance) costs what the table says", "[coherence]") {
  Machine m = preset("opteron48");
  const std::pair<int, Distance> peers[] = {{kSameDie, Distance::SameDie},
                                            {kSamePkg, Distance::SamePackage},
                                            {kOneHop, Distance::OneHop},
                                            {kTwoHops, Distance::TwoHops}};
  for (auto [peer, dist] : peers) {
    for (Op op : {Op::Load, Op::Store, Op::Atomic}) {
      // Bring the line into each state at `peer`, then access it from core 0.
      struct Setup {
        LineState st;
        std::vector<std::pair<int, Op>> steps;
      };
      const Setup setups[] = {
          {LineState::E, {{peer, Op::Load}}},
          {LineState::M, {{peer, Op::Store}}},
          {LineState::O, {{peer, Op::Store}, {peer + 1, Op::Load}}},  // MOESI: M -> O on a remote load
      };
      for (const Setup& s : setups) {
        Directory dir(m, 48);
        LineId l = dir.add_line("x", m.topo.die_of(peer));
        double t = 0;
        for (auto [core, o] : s.steps) t = dir.access(core, o, l, t).done_ns;
        REQUIRE(dir.line(l).state == s.st);
        AccessResult r = dir.access(0, op, l, t);
        CAPTURE(op_name(op), state_name(s.st), distance_name(dist));
        CHECK_FALSE(r.hit);
        CHECK(r.prev == s.st);
        // An O line's copies are at the owner and at peer + 1 (same die as peer).
        CHECK(r.dist == dist);
        CHECK(r.latency_cycles == *m.table.lookup(op, s.st, dist));
        CHECK(r.done_ns - r.start_ns == Approx(r.latency_cycles / 2.1));
      }
    }
  }
}

TEST_CASE("xeon80 (MESIF): a load of an S line is answered by the Forwarder, a store waits for the farthest copy",
          "[coherence]") {
  Machine m = preset("xeon80");  // MESIF: a remote load of an M line leaves it S, the reader forwarding
  // The protocol between caching agents alone: without the LLC serving reads of
  // lines its die holds (test_resources.cpp has that).
  m.llc_requests_in_flight = 0;
  Directory dir(m, 80);
  LineId l = dir.add_line("x", 0);
  double t = dir.access(10, Op::Store, l, 0).done_ns;  // M at core 10 (socket 1)
  t = dir.access(70, Op::Load, l, t).done_ns;          // S at {10, 70}; 70 (socket 7) forwards
  REQUIRE(dir.line(l).state == LineState::S);
  // Core 11 shares a die with core 10, but 10's copy is silent: 70 answers, two hops away.
  AccessResult fwd = dir.access(11, Op::Load, l, t);
  CHECK(fwd.from_core == 70);
  CHECK(fwd.dist == Distance::TwoHops);
  CHECK(fwd.latency_cycles == 334);
  // Now 11 forwards: core 12 (the same die) is answered at the same-die cost.
  AccessResult near = dir.access(12, Op::Load, l, fwd.done_ns);
  CHECK(near.from_core == 11);
  CHECK(near.dist == Distance::SameDie);
  CHECK(near.latency_cycles == 44);
  AccessResult st = dir.access(0, Op::Store, l, near.done_ns);  // sharers 10-12 (1 hop), 70 (socket 7: 2 hops)
  CHECK(st.dist == Distance::TwoHops);
  CHECK(st.invalidations == 4);
  CHECK(st.latency_cycles == 428);
  CHECK(dir.line(l).state == LineState::M);
  CHECK(dir.line(l).owner == 0);
  CHECK(dir.line(l).sharers.empty());
}

TEST_CASE("a first touch misses to memory at the home distance, the second access hits", "[coherence]") {
  Machine m = preset("opteron48");
  Directory dir(m, 48);
  LineId local = dir.add_line("local", 0), remote = dir.add_line("remote", 3);
  AccessResult a = dir.access(0, Op::Load, local, 0);
  CHECK(a.from_memory);
  CHECK(a.latency_cycles == 136);
  AccessResult b = dir.access(0, Op::Load, remote, 0);
  CHECK(b.latency_cycles == 327);  // die 3 is two hops from die 0
  AccessResult c = dir.access(0, Op::Load, local, a.done_ns);
  CHECK(c.hit);
  CHECK(c.latency_cycles == m.l1_cycles);
  AccessResult d = dir.access(0, Op::Atomic, local, c.done_ns);  // E -> M, silently
  CHECK(d.hit);
  CHECK(d.latency_cycles == m.l1_cycles + m.barrier_cycles);
  CHECK(dir.counters(0).from_memory == 2);
  CHECK(dir.counters(0).hits == 2);
}

TEST_CASE("N simultaneous writers of one line are served one after another", "[coherence]") {
  Machine m = preset("opteron48");
  m.home_hop_cycles = 0;  // the order alone (writers 6-8 would detour through die 0: tested below)
  Directory dir(m, 48);
  LineId l = dir.add_line("hot", 0);
  dir.access(0, Op::Store, l, 0);  // M at core 0
  const double t0 = 1000;
  double expected_done = t0;
  for (int w = 1; w <= 8; ++w) {
    const int prev_owner = dir.line(l).owner;
    AccessResult r = dir.access(w, Op::Atomic, l, t0);  // all request at t0
    CHECK(r.start_ns == Approx(expected_done));
    expected_done += m.ns(*m.table.lookup(Op::Atomic, LineState::M, m.topo.core_distance(w, prev_owner)));
    CHECK(r.done_ns == Approx(expected_done));
  }
  CHECK(dir.counters(8).queue_wait_ns > dir.counters(1).queue_wait_ns);
}

TEST_CASE("MESI and MOESI differ on a remote load of a dirty line", "[coherence]") {
  for (bool moesi : {false, true}) {
    Machine m = smpsim::test::tiny_machine();
    m.protocol = moesi ? "MOESI" : "MESI";
    Directory dir(m, 4);
    LineId l = dir.add_line("x", 0);
    dir.access(0, Op::Store, l, 0);
    dir.access(2, Op::Load, l, 10);
    CHECK(dir.line(l).state == (moesi ? LineState::O : LineState::S));
    CHECK(dir.line(l).held_by(0));
    CHECK(dir.line(l).held_by(2));
  }
}

TEST_CASE("a read of a shared line: the nearest sharer answers (MESI), the latest reader forwards (MESIF)",
          "[coherence]") {
  for (const char* proto : {"MESI", "MOESI", "MESIF"}) {
    Machine m = smpsim::test::tiny_machine();
    m.protocol = proto;
    Directory dir(m, 4);
    const Topology& t = m.topo;
    int near = -1, far = -1;  // sharers near CPU 0 and far from it
    for (int c = 1; c < t.cores(); ++c) {
      if (near < 0 && t.core_distance(0, c) == Distance::SameDie) near = c;
      if (far < 0 && t.core_distance(0, c) > Distance::SameDie) far = c;
    }
    REQUIRE(near > 0);
    REQUIRE(far > 0);
    LineId l = dir.add_line("x", 0);
    dir.prepare(l, LineState::S, -1, {near, far});  // far read it last
    AccessResult r = dir.access(0, Op::Load, l, 0);
    const bool mesif = std::string(proto) == "MESIF";
    CHECK(r.from_core == (mesif ? far : near));
    CHECK(r.dist == t.core_distance(0, mesif ? far : near));
    CHECK(r.latency_cycles == *m.table.lookup(Op::Load, LineState::S, r.dist));
    CHECK(dir.line(l).sharers.back() == 0);  // the reader is the latest: MESIF's next Forwarder
    if (mesif) CHECK(dir.access(far, Op::Load, l, r.done_ns).from_core == -1);  // far's copy is still there: a hit
  }
}

TEST_CASE("every preset: each (operation, state, distance) costs what its table says", "[coherence][presets]") {
  for (const std::string& name : preset_names()) {
    Machine m = preset(name);
    const Topology& t = m.topo;
    const int n = t.cores();
    // The CPU farthest from CPU 0, to hold an extra copy that does not answer.
    int far = 1;
    for (int c = 1; c < n; ++c)
      if (t.core_distance(0, c) > t.core_distance(0, far)) far = c;
    for (Distance d : t.distances_in_use()) {
      int peer = -1;
      for (int c = 1; c < n && peer < 0; ++c)
        if (t.core_distance(0, c) == d) peer = c;
      REQUIRE(peer > 0);
      const int other = far != peer ? far : -1;
      struct Setup {
        LineState st;
        std::vector<std::pair<int, Op>> steps;
        bool for_loads;
      };
      std::vector<Setup> setups = {
          {LineState::E, {{peer, Op::Load}}, true},
          {LineState::E, {{peer, Op::Load}}, false},
          {LineState::M, {{peer, Op::Store}}, true},
          {LineState::M, {{peer, Op::Store}}, false},
          // S answered by the nearest sharer (peer); a store invalidates peer and upgrades 0's copy.
          {LineState::S, {{peer, Op::Load}, {0, Op::Load}}, false},
      };
      // S answered by peer: the nearest sharer, and the latest reader (MESIF's Forwarder).
      if (other > 0) setups.push_back({LineState::S, {{other, Op::Load}, {peer, Op::Load}}, true});
      if (coherence_protocol(m.protocol).has_owned_state()) {
        if (other > 0) setups.push_back({LineState::O, {{peer, Op::Store}, {other, Op::Load}}, true});
        setups.push_back({LineState::O, {{peer, Op::Store}, {0, Op::Load}}, false});
      }
      for (const Setup& s : setups)
        for (Op op : {Op::Load, Op::Store, Op::Atomic}) {
          if ((op == Op::Load) != s.for_loads) continue;
          Directory dir(m, n);
          LineId l = dir.add_line("x", 0);
          double now = 0;
          for (auto [cpu, o] : s.steps) now = dir.access(cpu, o, l, now).done_ns;
          REQUIRE(dir.line(l).state == s.st);
          AccessResult r = dir.access(0, op, l, now);
          CAPTURE(name, op_name(op), state_name(s.st), distance_name(d), peer);
          CHECK_FALSE(r.hit);
          CHECK(r.dist == d);
          REQUIRE(m.table.lookup(op, s.st, d));
          CHECK(r.latency_cycles == *m.table.lookup(op, s.st, d));
        }
      // First touch: memory at the home die's distance (die-level distances only).
      if (d != Distance::SameCore) {
        Directory dir(m, n);
        LineId l = dir.add_line("x", t.die_of(peer));
        AccessResult r = dir.access(0, Op::Load, l, 0);
        CAPTURE(name, distance_name(d));
        CHECK(r.from_memory);
        CHECK(r.latency_cycles == *m.table.lookup(Op::Load, LineState::I, d));
      }
    }
  }
}

TEST_CASE("mesh distances interpolate between one hop and the maximum", "[coherence][presets]") {
  Machine m = preset("tilera36");
  CHECK(m.topo.max_hops() == 10);
  CHECK(m.topo.core_distance(0, 1) == Distance::OneHop);
  CHECK(m.topo.core_distance(0, 35) == hops_distance(10));
  CHECK(*m.table.lookup(Op::Load, LineState::M, hops_distance(1)) == 45);
  CHECK(*m.table.lookup(Op::Load, LineState::M, hops_distance(10)) == 65);
  CHECK(*m.table.lookup(Op::Load, LineState::M, hops_distance(4)) == Approx(45 + 20 * 3.0 / 9));
}

TEST_CASE("SMT siblings are at same_core distance, numbered after all first threads", "[topology]") {
  Machine m = preset("icelake64");
  CHECK(m.topo.cores() == 128);
  CHECK(m.topo.core_distance(0, 64) == Distance::SameCore);
  CHECK(m.topo.core_distance(0, 1) == Distance::SameDie);
  CHECK(m.topo.core_distance(0, 32) == Distance::OneHop);
  CHECK(m.topo.core_distance(0, 96) == Distance::OneHop);
}

TEST_CASE("broadcast invalidation probes every die, a directory only the sharers", "[coherence]") {
  for (bool broadcast : {false, true}) {
    Machine m = preset("opteron48");
    m.invalidation = broadcast ? Invalidation::Broadcast : Invalidation::Directory;
    Directory dir(m, 48);
    LineId l = dir.add_line("x", 0);
    double now = dir.access(1, Op::Load, l, 0).done_ns;
    now = dir.access(2, Op::Load, l, now).done_ns;  // S at {1, 2}, both on die 0
    AccessResult r = dir.access(0, Op::Store, l, now);
    CHECK(r.invalidations == 2);
    CHECK(r.probes == (broadcast ? 7 : 2));
    CHECK(r.latency_cycles == 246);  // the measured cell: the broadcast's cost is in the table
    CHECK(dir.counters(0).probes_sent == r.probes);
  }
}

TEST_CASE("with home_hop_cycles, a transfer between two dies through a third die's home takes the detour",
          "[coherence]") {
  Machine m = preset("opteron48");
  REQUIRE(m.home_hop_cycles == 40);  // derived for the Opteron (docs/machine-model.md)
  m.home_hop_cycles = 0;             // the table's cells alone first
  auto load_from_modified = [&](int home_die, int owner, int reader) {
    Directory dir(m, 48);
    const LineId l = dir.add_line("x", home_die);
    const double t = dir.access(owner, Op::Store, l, 0).done_ns + 1000;
    return dir.access(reader, Op::Load, l, t);
  };
  const double table = *m.table.lookup(Op::Load, LineState::M, Distance::SamePackage);  // dies 2 and 3
  CHECK(load_from_modified(0, kOneHop, kTwoHops).latency_cycles == table);
  m.home_hop_cycles = 40;
  // die 3 -> home die 0 (2 hops) -> die 2 (1 hop), instead of die 3 -> die 2 (1 hop): 2 extra hops
  const AccessResult third = load_from_modified(0, kOneHop, kTwoHops);
  CHECK(third.home_detour_cycles == 80);
  CHECK(third.latency_cycles == table + 80);
  // a home at either end: the table's cell
  CHECK(load_from_modified(m.topo.die_of(kOneHop), kOneHop, kTwoHops).latency_cycles == table);
  CHECK(load_from_modified(m.topo.die_of(kTwoHops), kOneHop, kTwoHops).latency_cycles == table);
  // both on die 0's sibling, the home a hop away: there and back
  const double same_die = *m.table.lookup(Op::Load, LineState::M, Distance::SameDie);
  CHECK(load_from_modified(0, kSamePkg, kSamePkg + 1).latency_cycles == same_die + 80);
}
