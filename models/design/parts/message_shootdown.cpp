#include "models/design/parts/message_shootdown.hpp"

#include <algorithm>
#include <memory>

#include "models/cpu/tlb_ops.hpp"

namespace smpsim {

LineId MessageShootdown::line(int from, int to, bool reply) {
  auto it = lines_.find({from, to});
  if (it == lines_.end()) {
    const Topology& t = mem_.machine().topo;
    const std::string tag = "shootdown_msg." + std::to_string(from) + "-" + std::to_string(to);
    it = lines_.emplace(std::make_pair(from, to),
                        std::make_pair(mem_.add_line(tag + ".request", t.die_of(to)),
                                       mem_.add_line(tag + ".reply", t.die_of(from)))).first;
  }
  return reply ? it->second.second : it->second.first;
}

void MessageShootdown::send(Core& from, int to, uint64_t seq, const std::function<void(Core&)>& then) {
  const LineId req = line(from.id, to, false);
  mem_.post_store(from, req, 0, seq, message_cycles_);
  mem_.send_ipi(from, {to}, [this, req, then](Core& t) {
    mem_.load(t, req, 0);  // read the request
    then(t);
  });
}

void MessageShootdown::reply(Core& t, int to, uint64_t seq) {
  mem_.post_store(t, line(to, t.id, true), 0, seq, message_cycles_);
}

// The replies are collected one by one, in the order the requests went out: each is a poll of its own
// channel, a read that misses once the replier has written it (the loop waits on each before it reads the
// next).
void MessageShootdown::collect(Core& c, const std::vector<int>& from, uint64_t seq) {
  for (int f : from) mem_.spin_until(c, line(c.id, f, true), 0, [seq](uint64_t v) { return v == seq; });
}

int MessageShootdown::run(Core& c, AddressSpace& as, const std::vector<uint64_t>& pages, const OpArgs&, int*) {
  ++c.counters.tlb_shootdowns;
  if (Trace* tr = mem_.trace()) tr->instant(c.id, "TLB shootdown (messages)", mem_.now_ns(c));
  tlb_invalidate_local(mem_, c, as.asid, pages);
  read_mm_cpumask(mem_, c, as);
  std::vector<int> targets;
  for (int cpu : as.cpus_ran)
    if (cpu != c.id) targets.push_back(cpu);
  if (targets.empty()) return 0;
  const uint64_t seq = ++seq_;  // unique across initiators: aggregators reuse their lines to members
  const uint64_t asid = as.asid;
  auto pages_copy = std::make_shared<std::vector<uint64_t>>(pages);
  auto invalidate = [this, asid, pages_copy](Core& t) { tlb_invalidate_local(mem_, t, asid, *pages_copy); };
  const int me = c.id;
  std::vector<int> direct;                   // sent by the initiator, replying to it
  std::map<int, std::vector<int>> forwards;  // node aggregator -> the node's other targets
  const Topology& topo = mem_.machine().topo;
  if (protocol_ == "unicast") {
    direct = targets;
  } else {
    std::map<int, int> leader_of_die;
    for (int t : targets) {
      const int die = topo.die_of(t);
      if (die == topo.die_of(me)) {
        direct.push_back(t);
      } else if (!leader_of_die.count(die)) {
        leader_of_die[die] = t;
        direct.push_back(t);
        forwards[t];
      } else {
        forwards[leader_of_die[die]].push_back(t);
      }
    }
    if (protocol_ == "numa_multicast")  // farthest first
      std::stable_sort(direct.begin(), direct.end(),
                       [&](int a, int b) { return topo.core_distance(me, a) > topo.core_distance(me, b); });
  }
  for (int t : direct) {
    auto it = forwards.find(t);
    const std::vector<int> members = it == forwards.end() ? std::vector<int>{} : it->second;
    send(c, t, seq, [this, me, seq, members, invalidate](Core& agg) {
      for (int m : members)
        send(agg, m, seq, [this, seq, invalidate, from = agg.id](Core& mc) {
          invalidate(mc);
          reply(mc, from, seq);
        });
      invalidate(agg);
      collect(agg, members, seq);
      reply(agg, me, seq);
    });
  }
  collect(c, direct, seq);
  return int(targets.size());
}

}  // namespace smpsim
