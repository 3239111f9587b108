// bandwidth: every active CPU streams over lines homed on one memory node, with
// as many misses in flight as it has line fill buffers (machine parameter
// line_fill_buffers), as a STREAM-like loop does. The lines come from memory
// (each is evicted, and written back if dirty, before it is used again: a
// working set far larger than the caches) or from another CPU's cache, which
// holds each in Modified before it is read (cache-to-cache bandwidth).
// An op is one line; metrics.workload.gb_per_s is the lines' bytes over the
// streaming time; metrics.interconnect shows the bytes and utilization of each
// memory controller and link. It is how a preset's memory and link parameters
// are checked against their sources (docs/machine-model.md).
#include <algorithm>
#include <limits>

#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class Bandwidth : public Workload {
 public:
  long long ops_per_cpu() const override { return lines_per_cpu_; }
  Bandwidth(Op op, int home_node, int holder_cpu, long long lines_per_cpu)
      : op_(op), home_node_(home_node), holder_(holder_cpu), lines_per_cpu_(lines_per_cpu) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign&, OpRecorder& rec) override {
    if (c.id == holder_) {  // the holder only holds
      rec.warm(c.id, mem.now_ns(c));
      return;
    }
    const Topology& topo = mem.machine().topo;
    const int home = home_node_ >= 0 ? home_node_ : topo.die_of(c.id);
    std::vector<LineId> batch;
    for (int i = 0; i < mem.machine().line_fill_buffers; ++i)
      batch.push_back(mem.add_line("stream.cpu" + std::to_string(c.id) + "." + std::to_string(i), home));
    rec.warm(c.id, mem.now_ns(c));
    const double t0 = mem.now_ns(c);
    for (long long done = 0; done < lines_per_cpu_; done += (long long)batch.size()) {
      const double now = mem.now_ns(c);
      for (LineId l : batch) {
        if (holder_ >= 0) mem.dir().prepare(l, LineState::M, holder_, {});  // off the clock, as ccbench
        else mem.dir().evict(l, now);
      }
      mem.access_batch(c, op_, batch);
      for (size_t i = 0; i < batch.size(); ++i) rec.op_done(c.id, mem.now_ns(c), now);
      lines_ += (long long)batch.size();
    }
    start_ns_ = std::min(start_ns_, t0);
    end_ns_ = std::max(end_ns_, mem.now_ns(c));
  }

  nlohmann::json metrics(const MemorySystem& mem) const override {
    const double ns = end_ns_ - start_ns_;
    return {{"lines", lines_},
            {"lines_in_flight_per_cpu", mem.machine().line_fill_buffers},
            {"gb_per_s", ns > 0 ? double(lines_) * 64.0 / ns : 0.0}};  // bytes per ns = GB/s
  }

 private:
  Op op_;
  int home_node_, holder_;
  long long lines_per_cpu_;
  double start_ns_ = std::numeric_limits<double>::infinity(), end_ns_ = 0;
  long long lines_ = 0;
};

}  // namespace

WorkloadKind bandwidth_kind() {
  return {"bandwidth",
          "Every active CPU streams lines homed on one memory node, line_fill_buffers misses at a time: memory "
          "bandwidth per node, or (holder_cpu) cache-to-cache bandwidth over the links. op = one 64-B line. "
          "metrics.workload.gb_per_s gives the bandwidth.",
          {{"access", "enum", "", "read", 0, 0, {"read", "write", "rmw"},
            "What the loop does to each line: read, write (a read-for-ownership, and a writeback when the line is "
            "evicted) or an atomic read-modify-write."},
           {"home_node", "integer", "", -1, -1, 1 << 20, {},
            "The memory node (die) the lines are homed on; -1: each CPU's own node."},
           {"holder_cpu", "integer", "", -1, -1, 1 << 20, {},
            "-1: the lines come from memory. Otherwise the active CPU whose cache holds each line Modified before "
            "it is streamed (it streams nothing itself; place it with run.cpus)."},
           {"lines_per_cpu", "integer", "", 20000, 1, 1e9, {}, "Lines each CPU streams."}},
          [](const nlohmann::json& p, const WorkloadContext& ctx) -> std::unique_ptr<Workload> {
            const int home = p["home_node"].get<int>();
            if (home >= ctx.machine.topo.dies())
              throw ParamError("home_node", "machine " + ctx.machine.name + " has " +
                                                std::to_string(ctx.machine.topo.dies()) + " memory nodes (0.." +
                                                std::to_string(ctx.machine.topo.dies() - 1) + ")");
            const int holder = p["holder_cpu"].get<int>();
            if (holder >= ctx.cores)
              throw ParamError("holder_cpu", "the holder must be an active CPU (0.." + std::to_string(ctx.cores - 1) +
                                                 "); it streams nothing itself");
            const std::string a = p["access"];
            const Op op = a == "read" ? Op::Load : a == "write" ? Op::Store : Op::Atomic;
            return std::make_unique<Bandwidth>(op, home, holder, p["lines_per_cpu"].get<long long>());
          }};
}

SMPSIM_REGISTER(WorkloadRegistry, bandwidth_kind);

}  // namespace smpsim
