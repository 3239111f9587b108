// message_multicast: the multikernel's TLB shootdown (Baumann et al., SOSP
// 2009, section 5.1): CPU 0 tells every other active CPU to invalidate a
// mapping by messages over cache-line channels (URPC: the sender writes the
// receiver's channel line, the receiver polls it), and waits for every
// acknowledgement (each receiver writes its own reply line). Protocols:
//   unicast:        one channel per receiver, written in CPU order;
//   broadcast:      one channel line that every receiver polls;
//   multicast:      one message per NUMA node to its first CPU (the
//                   aggregator), which forwards to the node's other CPUs,
//                   collects their replies and replies once;
//   numa_multicast: multicast, nodes sent to farthest first, so that the
//                   longest fan-outs start earliest.
// A send is a posted store (the sender pays message_cycles to write the
// message, then publishes it and goes on; the line moves at the directory's
// pace), so sends to several nodes are in flight together; the sender then
// polls the reply channels one by one, a read each.
// An op is one round; its latency is CPU 0's, first send to last reply.
#include <algorithm>

#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class MessageMulticast : public Workload {
 public:
  long long ops_per_cpu() const override { return rounds_; }
  MessageMulticast(const nlohmann::json& p, const Machine& m, int cores)
      : protocol_(p["protocol"].get<std::string>()), rounds_(p["rounds"]), handler_cycles_(p["handler_cycles"]),
        gap_cycles_(p["gap_cycles"]), message_cycles_(p["message_cycles"]), cores_(cores) {
    const Topology& t = m.topo;
    // Aggregators: the first active CPU of each node; CPU 0 serves its own node.
    std::vector<int> first(size_t(t.dies()), -1);
    for (int c = 0; c < cores; ++c) {
      int& f = first[size_t(t.die_of(c))];
      if (f < 0) f = c;
      else members_[f].push_back(c);
    }
    for (int f : first)
      if (f > 0) leaders_.push_back(f);
    if (protocol_ == "numa_multicast")  // farthest first; ties by CPU number
      std::stable_sort(leaders_.begin(), leaders_.end(), [&](int a, int b) {
        return t.core_distance(0, a) > t.core_distance(0, b);
      });
  }

  void run_core(Core& c, MemorySystem& mem, KernelDesign&, OpRecorder& rec) override {
    setup(mem);
    rec.warm(c.id, mem.now_ns(c));
    if (c.id == 0) send_rounds(c, mem, rec);
    else receive_rounds(c, mem);
  }

 private:
  bool multicast() const { return protocol_ == "multicast" || protocol_ == "numa_multicast"; }

  // Channel and reply lines live on the receiver's node (the receiver polls them).
  void setup(MemorySystem& mem) {
    if (!chan_.empty()) return;
    const Topology& t = mem.machine().topo;
    for (int c = 0; c < cores_; ++c) {
      chan_.push_back(mem.add_line("urpc.cpu" + std::to_string(c) + ".request", t.die_of(c)));
      reply_.push_back(mem.add_line("urpc.cpu" + std::to_string(c) + ".reply", t.die_of(c)));
    }
    bcast_ = mem.add_line("urpc.broadcast", 0);
  }

  void send_rounds(Core& c, MemorySystem& mem, OpRecorder& rec) {
    for (long long r = 0; r < rounds_; ++r) {
      const uint64_t seq = uint64_t(r + 1);
      mem.compute(c, gap_cycles_, CpuState::Kernel);
      const double t0 = mem.now_ns(c);
      std::vector<int> wait_for;
      if (protocol_ == "broadcast") {
        send(c, mem, bcast_, seq);
        for (int t = 1; t < cores_; ++t) wait_for.push_back(t);
      } else if (protocol_ == "unicast") {
        for (int t = 1; t < cores_; ++t) {
          send(c, mem, chan_[size_t(t)], seq);
          wait_for.push_back(t);
        }
      } else {
        for (int l : leaders_) {
          send(c, mem, chan_[size_t(l)], seq);
          wait_for.push_back(l);
        }
        for (int m : members_[0]) {
          send(c, mem, chan_[size_t(m)], seq);
          wait_for.push_back(m);
        }
      }
      invalidate(c, mem);
      collect(c, mem, wait_for, seq);
      rec.op_done(c.id, mem.now_ns(c), t0);
    }
  }

  void receive_rounds(Core& c, MemorySystem& mem) {
    const LineId in = protocol_ == "broadcast" ? bcast_ : chan_[size_t(c.id)];
    auto it = members_.find(c.id);
    const bool leader = multicast() && it != members_.end();
    for (long long r = 0; r < rounds_; ++r) {
      const uint64_t seq = uint64_t(r + 1);
      mem.spin_until(c, in, 0, [seq](uint64_t v) { return v >= seq; });
      if (leader) {
        for (int m : it->second) send(c, mem, chan_[size_t(m)], seq);
        invalidate(c, mem);
        collect(c, mem, it->second, seq);
      } else {
        invalidate(c, mem);
      }
      send(c, mem, reply_[size_t(c.id)], seq);
    }
  }

  // Polls the reply channels of `from` one by one, each until it carries this round's reply: a read per
  // reply (a miss once the replier has written it).
  void collect(Core& c, MemorySystem& mem, const std::vector<int>& from, uint64_t seq) {
    for (int t : from) mem.spin_until(c, reply_[size_t(t)], 0, [seq](uint64_t v) { return v >= seq; });
  }
  void send(Core& c, MemorySystem& mem, LineId l, uint64_t seq) { mem.post_store(c, l, 0, seq, message_cycles_); }
  void invalidate(Core& c, MemorySystem& mem) { mem.compute(c, handler_cycles_, CpuState::Kernel); }

  std::string protocol_;
  long long rounds_;
  double handler_cycles_, gap_cycles_, message_cycles_;
  int cores_;
  std::vector<int> leaders_;                 // aggregators of the other nodes, in send order
  std::map<int, std::vector<int>> members_;  // aggregator -> the other CPUs of its node
  std::vector<LineId> chan_, reply_;
  LineId bcast_ = -1;
};

}  // namespace

WorkloadKind message_multicast_kind() {
  return {"message_multicast",
          "CPU 0 shoots down a mapping on every other active CPU by messages over cache-line channels (the "
          "multikernel's protocols) and waits for every reply. op = a round; its latency is CPU 0's.",
          {{"protocol", "enum", "", "unicast", 0, 0, {"unicast", "broadcast", "multicast", "numa_multicast"},
            "unicast: a channel per CPU; broadcast: one line all poll; multicast: one message per NUMA node, "
            "forwarded there; numa_multicast: multicast, farthest nodes first."},
           {"rounds", "integer", "", 100, 1, 1e9, {}, "Rounds."},
           {"handler_cycles", "number", "cycles", 100, 0, 1e9, {}, "Each CPU's invalidation (INVLPG) work."},
           {"gap_cycles", "number", "cycles", 5000, 0, 1e9, {}, "CPU 0's work between rounds."},
           {"message_cycles", "number", "cycles", 40, 0, 1e9, {},
            "Writing one message (a cache line of payload) before the sender goes on."}},
          [](const nlohmann::json& p, const WorkloadContext& ctx) -> std::unique_ptr<Workload> {
            return std::make_unique<MessageMulticast>(p, ctx.machine, ctx.cores);
          }};
}

SMPSIM_REGISTER(WorkloadRegistry, message_multicast_kind);

}  // namespace smpsim
