// shared_vs_message: the multikernel's case for messages (Baumann et al.,
// SOSP 2009, section 2.3 and Figure 3). N clients update a shared object of
// k cache lines:
//   shared:  each client writes the k lines itself (they bounce between the
//            clients' caches, each write a transfer queued at the line's home)
//            and waits until its writes are visible (the store buffer drained);
//   message: each client sends the update to a server CPU over its channel
//            line (URPC, a posted store) and waits for the reply; the server,
//            polling its clients' channels, applies updates to lines that
//            stay in its own cache.
// CPU 0 is the server in message mode (it serves, it does not update).
// op = one update; its latency is the client's.
#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class SharedVsMessage : public Workload {
 public:
  long long ops_per_cpu() const override { return updates_; }
  SharedVsMessage(const nlohmann::json& p, int cores)
      : message_(p["mode"] == "message"), lines_(p["lines"]), updates_(p["updates_per_core"]),
        think_cycles_(p["think_cycles"]), message_cycles_(p["message_cycles"]), cores_(cores) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign&, OpRecorder& rec) override {
    setup(mem);
    rec.warm(c.id, mem.now_ns(c));
    if (message_ && c.id == 0) {
      serve(c, mem);
      return;
    }
    for (long long u = 1; u <= updates_; ++u) {
      mem.compute(c, c.rng.exponential(think_cycles_), CpuState::User);
      const double t0 = mem.now_ns(c);
      if (message_) {
        mem.post_store(c, request_[size_t(c.id)], 0, uint64_t(u), message_cycles_);
        mem.spin_until(c, reply_[size_t(c.id)], 0, [u](uint64_t v) { return v == uint64_t(u); });
      } else {
        for (LineId l : object_) mem.store(c, l, 0, uint64_t(c.id));
        mem.wait_store_drain(c);  // the update is done when it is visible, as a reply says it is
      }
      rec.op_done(c.id, mem.now_ns(c), t0);
    }
  }

 private:
  void setup(MemorySystem& mem) {
    if (!object_.empty()) return;
    const Topology& t = mem.machine().topo;
    for (long long i = 0; i < lines_; ++i) object_.push_back(mem.add_line("object.line" + std::to_string(i), 0));
    for (int c = 0; c < cores_; ++c) {
      request_.push_back(mem.add_line("urpc.cpu" + std::to_string(c) + ".request", t.die_of(0)));
      reply_.push_back(mem.add_line("urpc.cpu" + std::to_string(c) + ".reply", t.die_of(c)));
    }
  }

  // The server polls every client's channel; each request it finds, it
  // applies to the object (its own cache) and answers.
  void serve(Core& s, MemorySystem& mem) {
    std::vector<uint64_t> done(size_t(cores_), 0);
    long long left = updates_ * (cores_ - 1);
    while (left > 0) {
      bool served = false;
      for (int c = 1; c < cores_; ++c) {
        if (done[size_t(c)] == uint64_t(updates_)) continue;
        const uint64_t want = done[size_t(c)] + 1;
        if (mem.load(s, request_[size_t(c)], 0) < want) continue;
        for (LineId l : object_) mem.store(s, l, 0, uint64_t(c));
        mem.post_store(s, reply_[size_t(c)], 0, want, message_cycles_);
        done[size_t(c)] = want;
        --left;
        served = true;
      }
      if (!served && left > 0) watch_first_pending(s, mem, done);
    }
  }

  // Nothing pending: watch the first client with updates still due for up to
  // kPollCycles (woken at once if its request arrives), then sweep every
  // channel again.
  void watch_first_pending(Core& s, MemorySystem& mem, const std::vector<uint64_t>& done) {
    for (int c = 1; c < cores_; ++c) {
      if (done[size_t(c)] == uint64_t(updates_)) continue;
      const uint64_t want = done[size_t(c)] + 1;
      uint64_t seen = 0;
      mem.spin_until_deadline(s, request_[size_t(c)], 0, [want](uint64_t v) { return v >= want; },
                              mem.now_ns(s) + mem.machine().ns(kPollCycles), &seen);
      return;
    }
  }

  static constexpr double kPollCycles = 200;  // how long the server watches one channel before sweeping all again
  bool message_;
  long long lines_, updates_;
  double think_cycles_, message_cycles_;
  int cores_;
  std::vector<LineId> object_, request_, reply_;
};

}  // namespace

WorkloadKind shared_vs_message_kind() {
  return {"shared_vs_message",
          "N clients update one object of k cache lines: each writing the lines itself (shared memory), or by "
          "message to a server CPU (CPU 0) that applies the update in its own cache (the multikernel's Figure 3). "
          "op = one update; its latency is the client's.",
          {{"mode", "enum", "", "shared", 0, 0, {"shared", "message"},
            "shared: clients write the k lines; message: clients send the update to CPU 0, which writes them."},
           {"lines", "integer", "lines", 4, 1, 4096, {}, "Cache lines the update writes (k)."},
           {"updates_per_core", "integer", "", 200, 1, 1e9, {}, "Updates per client."},
           {"think_cycles", "number", "cycles", 1000, 0, 1e9, {}, "Mean client work between updates (exponential)."},
           {"message_cycles", "number", "cycles", 40, 0, 1e9, {}, "Writing a request or a reply message."}},
          [](const nlohmann::json& p, const WorkloadContext& ctx) -> std::unique_ptr<Workload> {
            if (p["mode"] == "message" && ctx.cores < 2)
              throw ParamError("mode", "message needs 2 cores or more (CPU 0 serves, the others update)");
            return std::make_unique<SharedVsMessage>(p, ctx.cores);
          }};
}

SMPSIM_REGISTER(WorkloadRegistry, shared_vs_message_kind);

}  // namespace smpsim
