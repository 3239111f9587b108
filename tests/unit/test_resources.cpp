// The shared resources coherence traffic queues at (interconnect.hpp): home
// agents, links, last-level caches, memory controllers. On an idle machine
// they add nothing (test_directory.cpp: every preset's every cell); under
// load, requests queue at them, and the queueing is what the relations below
// come from.
#include <catch2/catch.hpp>

#include <algorithm>

#include "machines.hpp"
#include "models/coherence/directory.hpp"

using namespace smpsim;
using smpsim::test::preset;

namespace {

// Every core of the machine stores to line (core mod k) at time 0; the lines'
// homes are given. Returns the mean delay a store met at shared resources.
double resource_delay_per_store(const Machine& m, int cores, const std::vector<int>& homes) {
  Directory dir(m, cores);
  std::vector<LineId> lines;
  for (size_t i = 0; i < homes.size(); ++i) lines.push_back(dir.add_line("x" + std::to_string(i), homes[i]));
  double wait = 0;
  for (int c = 0; c < cores; ++c) {  // a store from every core
    const AccessResult r = dir.access(c, Op::Store, lines[size_t(c) % lines.size()], 0);
    // The parts add up: the latency-table cell, the line's FIFO, the resources.
    CHECK(r.done_ns == Approx(r.request_ns + (r.start_ns - r.request_ns) + m.ns(r.latency_cycles) + r.resource_wait_ns));
    wait += r.resource_wait_ns;
  }
  return wait / cores;
}

}  // namespace

TEST_CASE("a home agent saturates: more lines in flight at one home queue longer, homes spread queue less",
          "[coherence][resources]") {
  Machine m = preset("opteron48");
  // A slower agent than the preset's, so that 48 simultaneous requests saturate it.
  m.home_rfo_ns = 20;
  const double k1 = resource_delay_per_store(m, 48, {0});
  const double k8_one_home = resource_delay_per_store(m, 48, std::vector<int>(8, 0));
  const double k8_spread = resource_delay_per_store(m, 48, {0, 1, 2, 3, 4, 5, 6, 7});
  // One line: the agent's queue is shorter than the line's own FIFO, which hides it.
  CHECK(k1 < 1.0);
  CHECK(k8_one_home > 10 * std::max(k1, 1.0));
  CHECK(k8_spread < k8_one_home / 2);
}

TEST_CASE("the same 8 lines: queueing at links grows when their data crosses fewer links", "[coherence][resources]") {
  // 8 lines homed on die 0, owned by cores of die 0; the 6 cores of die 2 (one hop) or the 48 cores of
  // the machine take them: every data packet leaves die 0 over its links.
  Machine m = preset("opteron48");
  Directory dir(m, 48);
  std::vector<LineId> lines;
  for (int i = 0; i < 6; ++i) {
    lines.push_back(dir.add_line("x", 0));
    dir.prepare(lines.back(), LineState::M, i, {});
  }
  // Six readers on die 2 at once: six data packets on the one link die0 -> die2.
  double one_link = 0;
  for (int c = 12; c < 18; ++c) one_link += dir.access(c, Op::Load, lines[size_t(c - 12)], 0).resource_wait_ns;
  CHECK(one_link > 0);
  const Resource* link = nullptr;
  for (const Resource& r : dir.interconnect().resources())
    if (r.name() == "link.die0-die2") link = &r;
  REQUIRE(link != nullptr);
  CHECK(link->stats().requests >= 6);
  CHECK(link->stats().bytes >= 6 * m.data_packet_bytes);
  // The last packet waited for the five before it (5 x 68 B at 6.4 GB/s), less the
  // spacing its request met on the way in (6 control packets on die2 -> die0).
  const double packet_ns = m.data_packet_bytes / m.link_socket_gb_per_s;
  CHECK(link->stats().max_wait_ns <= Approx(5 * packet_ns));
  CHECK(link->stats().max_wait_ns > 4 * packet_ns);
}

TEST_CASE("readers of one line inside a socket are served by its LLC side by side, readers across sockets queue at "
          "the home",
          "[coherence][resources]") {
  Machine m = preset("xeon80");  // inclusive LLC, 10 cores per socket
  auto readers_done = [&](const std::vector<int>& readers) {
    Directory dir(m, 80);
    LineId l = dir.add_line("x", 0);
    dir.prepare(l, LineState::S, -1, {0});  // shared by core 0 (socket 0)
    double last = 0;
    for (int c : readers) last = std::max(last, dir.access(c, Op::Load, l, 0).done_ns);
    return last;
  };
  const double in_socket = readers_done({1, 2, 3, 4, 5, 6, 7});
  const double across = readers_done({10, 20, 30, 40, 50, 60, 70});
  // In the socket: each read is one same-die cell, and they overlap (10 LLC slices).
  CHECK(in_socket == Approx(m.ns(*m.table.lookup(Op::Load, LineState::S, Distance::SameDie))));
  // Across sockets: the home answers one after another.
  CHECK(across > 5 * in_socket);
  // Without the LLC serving point, the same in-socket readers queue at the home too.
  m.llc_requests_in_flight = 0;
  CHECK(readers_done({1, 2, 3, 4, 5, 6, 7}) > 5 * in_socket);
}

TEST_CASE("a broadcast's probes load every die's agent and links, a directory's only the sharers'",
          "[coherence][resources]") {
  for (bool broadcast : {false, true}) {
    Machine m = preset("opteron48");
    m.invalidation = broadcast ? Invalidation::Broadcast : Invalidation::Directory;
    Directory dir(m, 48);
    LineId l = dir.add_line("x", 0);
    dir.prepare(l, LineState::S, -1, {1, 2});  // two sharers on die 0
    const AccessResult r = dir.access(0, Op::Store, l, 0);
    CHECK(r.resource_wait_ns == 0);  // alone on the machine: the table's cell exactly
    long long probed_agents = 0, links_used = 0;
    for (const Resource& res : dir.interconnect().resources()) {
      if (res.kind() == ResourceKind::HomeAgent && res.name() != "home.die0") probed_agents += res.stats().requests;
      if (res.kind() == ResourceKind::Link) links_used += res.stats().requests > 0;
    }
    CHECK(probed_agents == (broadcast ? 7 : 0));
    CHECK(links_used == (broadcast ? 14 : 0));  // 7 probes out, 7 acknowledgements back (some share a link)
  }
}
