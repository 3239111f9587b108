// coherence_pingpong: the latency of one access by CPU 0 to a line that
// another CPU, at a chosen distance, holds in a chosen state (ccbench-style,
// SOSP 2013 Table 2). Before each access the line is put in that state at
// the partner, off the clock. An op is one access; its latency is the access's.
#include "models/coherence/protocol.hpp"
#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class CoherencePingpong : public Workload {
 public:
  long long ops_per_cpu() const override { return accesses_; }
  CoherencePingpong(LineState st, Op op, Distance d, int partner, long long accesses)
      : state_(st), op_(op), distance_(d), partner_(partner), accesses_(accesses) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign&, OpRecorder& rec) override {
    if (c.id != 0) {
      rec.warm(c.id, mem.now_ns(c));
      return;
    }
    const Topology& t = mem.machine().topo;
    line_ = mem.add_line("pingpong", t.die_of(partner_));  // for I: memory at the partner's node
    rec.warm(c.id, mem.now_ns(c));
    for (long long i = 0; i < accesses_; ++i) {
      switch (state_) {
        case LineState::I: mem.dir().prepare(line_, LineState::I, -1, {}); break;
        case LineState::S: mem.dir().prepare(line_, LineState::S, -1, {partner_}); break;
        default: mem.dir().prepare(line_, state_, partner_, {}); break;
      }
      const double t0 = mem.now_ns(c);
      if (op_ == Op::Load) mem.load(c, line_, 0);
      else if (op_ == Op::Store) {
        // The table's store cells are the store's miss (SOSP'13 Table 2: hundreds of cycles), the time until
        // it is visible: with a store buffer, its drain.
        mem.store(c, line_, 0, i);
        mem.wait_store_drain(c);
      }
      else mem.fetch_add(c, line_, 0, 1);
      rec.op_done(c.id, mem.now_ns(c), t0);
      mem.compute(c, 100, CpuState::Kernel);  // let the line settle between accesses
    }
  }

  // The table cell the accesses should cost, to compare with op_latency_ns.
  nlohmann::json metrics(const MemorySystem& mem) const override {
    return {{"partner_cpu", partner_}, {"table_cycles", *mem.machine().table.lookup(op_, state_, distance_)}};
  }

 private:
  LineState state_;
  Op op_;
  Distance distance_;
  int partner_;
  long long accesses_;
  LineId line_ = 0;
};

}  // namespace

WorkloadKind coherence_pingpong_kind() {
  std::vector<std::string> dists;
  for (int d = 0; d <= int(Distance::ThreeHops); ++d) dists.push_back(distance_name(Distance(d)));
  return {"coherence_pingpong",
          "CPU 0 accesses a line that a partner CPU at `distance` holds in `state`: the latency of one access. "
          "op = one access by CPU 0, its latency the access's. The partner is the lowest-numbered CPU at that distance and must be active (--cores).",
          {{"distance", "enum", "", nullptr, 0, 0, dists, "Distance from CPU 0 to the partner."},
           {"state", "enum", "", nullptr, 0, 0, {"M", "O", "E", "S", "I"},
            "The line's state at the partner before each access (I: in no cache; memory at the partner's node)."},
           {"op", "enum", "", "load", 0, 0, {"load", "store", "atomic"}, "What CPU 0 does."},
           {"accesses", "integer", "", 1000, 1, 1e9, {}, "Accesses timed."}},
          [](const nlohmann::json& p, const WorkloadContext& ctx) -> std::unique_ptr<Workload> {
            Distance d;
            distance_from_name(p["distance"], &d);
            LineState st;
            state_from_name(p["state"], &st);
            Op op;
            op_from_name(p["op"], &op);
            if (st == LineState::O && !coherence_protocol(ctx.machine.protocol).has_owned_state())
              throw ParamError("state", "state O does not exist in protocol " + ctx.machine.protocol +
                                            " (machine " + ctx.machine.name + ")");
            int partner = -1;
            for (int c = 1; c < ctx.machine.topo.cores() && partner < 0; ++c)
              if (ctx.machine.topo.core_distance(0, c) == d) partner = c;
            if (partner < 0)
              throw ParamError("distance", "machine " + ctx.machine.name + " has no CPU at distance " +
                                               p["distance"].get<std::string>() + " from CPU 0");
            if (partner >= ctx.cores)
              throw ParamError("distance", "the partner at " + p["distance"].get<std::string>() + " is CPU " +
                                               std::to_string(partner) + ": run with at least " +
                                               std::to_string(partner + 1) + " cores");
            return std::make_unique<CoherencePingpong>(st, op, d, partner, p["accesses"].get<long long>());
          }};
}

SMPSIM_REGISTER(WorkloadRegistry, coherence_pingpong_kind);

}  // namespace smpsim
