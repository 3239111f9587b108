// message_channel: one URPC channel between two CPUs (Baumann et al., SOSP
// 2009, section 4.6; ssmp's one-to-one channels, David et al., SOSP 2013),
// the first two active CPUs (place them with run.cpus). A channel is a ring
// of `slots` cache lines; a send writes a message into a slot line (the
// payload and its sequence number: send_cycles of marshalling, then the store
// that publishes it); the receiver polls the slot with loads or prefetchw (`poll`; real requests:
// each re-read after the sender's write is a transfer queued at the line's
// home), copies the message out (receive_cycles) and acknowledges. The lines
// are homed on the sender's or the receiver's die, or on die 0 (`home`).
//   round_trip: CPU 0 sends a request, CPU 1 answers on a reply channel of
//               its own; op = one round trip, CPU 0's time from send to reply.
//   one_way:    CPU 0 streams `messages` messages; CPU 1 receives them and
//               acknowledges each by writing its count to an acknowledgement
//               line, which the sender reads only when the ring is full; op =
//               one message, from the start of its send to its receipt.
// metrics.workload: one_way_ns (mean send-to-receipt), messages_per_kcycle.
#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class MessageChannel : public Workload {
 public:
  long long ops_per_cpu() const override { return messages_; }
  MessageChannel(const nlohmann::json& p, int cores)
      : round_trip_(p["mode"] == "round_trip"), home_(p["home"].get<std::string>()),
        poll_owned_(p["poll"] == "prefetchw"), slots_(p["slots"]), messages_(p["messages"]), send_cycles_(p["send_cycles"]), receive_cycles_(p["receive_cycles"]),
        gap_cycles_(p["gap_cycles"]), cores_(cores) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign&, OpRecorder& rec) override {
    setup(mem);
    rec.warm(c.id, mem.now_ns(c));
    if (c.id > 1 || cores_ < 2) return;
    if (round_trip_) {
      if (c.id == 0) client(c, mem, rec);
      else server(c, mem);
    } else {
      if (c.id == 0) stream(c, mem);
      else receive_stream(c, mem, rec);
    }
  }

  // one_way_ns and messages_per_kcycle are those of a one-way stream (0 for round trips).
  nlohmann::json metrics(const MemorySystem& mem) const override {
    const double span_cycles = (last_receipt_ns_ - first_send_ns_) * mem.machine().freq_ghz;
    return {{"one_way_ns", received_ ? one_way_sum_ns_ / double(received_) : 0.0},
            {"messages_per_kcycle", span_cycles > 0 ? 1000.0 * double(received_) / span_cycles : 0.0}};
  }

 private:
  void setup(MemorySystem& mem) {
    if (!request_.empty() || cores_ < 2) return;
    const Topology& t = mem.machine().topo;
    const int d0 = t.die_of(0), d1 = t.die_of(1);  // logical CPUs: run.cpus places them
    // The die homing a ring sent from `from` to `to`.
    auto home = [&](int from_die, int to_die) { return home_ == "die0" ? 0 : home_ == "receiver" ? to_die : from_die; };
    for (long long s = 0; s < slots_; ++s) {
      // request ring: CPU 0 sends; reply ring: CPU 1 sends
      request_.push_back(mem.add_line("chan.request" + std::to_string(s), home(d0, d1)));
      reply_.push_back(mem.add_line("chan.reply" + std::to_string(s), home(d1, d0)));
    }
    ack_ = mem.add_line("chan.ack", home(d1, d0));  // written by the receiver, read by the sender
    sent_at_ns_.assign(size_t(slots_), 0.0);
  }

  LineId slot(const std::vector<LineId>& ring, long long seq) const { return ring[size_t((seq - 1) % slots_)]; }

  void send(Core& c, MemorySystem& mem, LineId l, long long seq) { mem.post_store(c, l, 0, uint64_t(seq), send_cycles_); }
  void receive(Core& c, MemorySystem& mem, LineId l, long long seq) {
    const auto arrived = [seq](uint64_t v) { return v == uint64_t(seq); };
    if (poll_owned_) mem.spin_until_owned(c, l, 0, arrived);
    else mem.spin_until(c, l, 0, arrived);
    mem.compute(c, receive_cycles_, CpuState::Kernel);  // copy the message out
  }

  void client(Core& c, MemorySystem& mem, OpRecorder& rec) {
    for (long long seq = 1; seq <= messages_; ++seq) {
      mem.compute(c, gap_cycles_, CpuState::Kernel);
      const double t0 = mem.now_ns(c);
      if (seq == 1) first_send_ns_ = t0;
      send(c, mem, slot(request_, seq), seq);
      receive(c, mem, slot(reply_, seq), seq);
      rec.op_done(c.id, mem.now_ns(c), t0);
      last_receipt_ns_ = mem.now_ns(c);
    }
  }
  void server(Core& c, MemorySystem& mem) {
    for (long long seq = 1; seq <= messages_; ++seq) {
      receive(c, mem, slot(request_, seq), seq);
      send(c, mem, slot(reply_, seq), seq);
    }
  }

  void stream(Core& c, MemorySystem& mem) {
    uint64_t acked = 0;  // the receiver's count as the sender last read it
    for (long long seq = 1; seq <= messages_; ++seq) {
      mem.compute(c, gap_cycles_, CpuState::Kernel);
      if (uint64_t(seq) > acked + uint64_t(slots_))  // the ring is full: wait for the receiver
        acked = mem.spin_until(c, ack_, 0, [seq, this](uint64_t v) { return v + uint64_t(slots_) >= uint64_t(seq); });
      const double t0 = mem.now_ns(c);
      if (seq == 1) first_send_ns_ = t0;
      sent_at_ns_[size_t((seq - 1) % slots_)] = t0;
      send(c, mem, slot(request_, seq), seq);
    }
  }
  void receive_stream(Core& c, MemorySystem& mem, OpRecorder& rec) {
    for (long long seq = 1; seq <= messages_; ++seq) {
      receive(c, mem, slot(request_, seq), seq);
      const double t0 = sent_at_ns_[size_t((seq - 1) % slots_)], t = mem.now_ns(c);
      rec.op_done(c.id, t, t0);
      ++received_;
      one_way_sum_ns_ += t - t0;
      last_receipt_ns_ = t;
      mem.store(c, ack_, 0, uint64_t(seq));
    }
  }

  bool round_trip_;
  std::string home_;
  bool poll_owned_;
  long long slots_, messages_;
  double send_cycles_, receive_cycles_, gap_cycles_;
  int cores_;
  std::vector<LineId> request_, reply_;
  LineId ack_ = -1;
  std::vector<double> sent_at_ns_;  // by slot: when the message in it was sent
  long long received_ = 0;
  double one_way_sum_ns_ = 0, first_send_ns_ = 0, last_receipt_ns_ = 0;
};

}  // namespace

WorkloadKind message_channel_kind() {
  return {"message_channel",
          "A URPC channel between the first two active CPUs (a ring of cache-line slots; the receiver polls with "
          "loads). op = a request and its reply, CPU 0's time (mode round_trip), or one message from send to "
          "receipt (one_way: CPU 0 streams messages). metrics.workload.one_way_ns and messages_per_kcycle.",
          {{"mode", "enum", "", "round_trip", 0, 0, {"round_trip", "one_way"}, "Round trips or a one-way stream."},
           {"messages", "integer", "", 1000, 1, 1e9, {}, "Round trips, or messages streamed."},
           {"poll", "enum", "", "load", 0, 0, {"load", "prefetchw"},
            "How the receiver polls a slot: loads (URPC; the line is shared when the sender writes again) or "
            "prefetchw (ssmp; each poll asks for the line exclusive, so the sender's next write finds it Modified)."},
           {"slots", "integer", "", 1, 1, 1024, {}, "Cache lines in each direction's ring."},
           {"home", "enum", "", "receiver", 0, 0, {"sender", "receiver", "die0"},
            "The die whose memory backs a ring's lines: the sender's, the receiver's, or die 0 (where a kernel "
            "without NUMA placement allocates). Between two CPUs a home at either end costs the same on an idle "
            "machine (the table's cells); a home on a third die adds the detour of home_hop_cycles machines."},
           {"send_cycles", "number", "cycles", 40, 0, 1e9, {},
            "Marshalling a message into its slot before the store that publishes it (estimate: a 64-byte copy)."},
           {"receive_cycles", "number", "cycles", 40, 0, 1e9, {},
            "Copying a message out of its slot once seen (estimate: a 64-byte copy)."},
           {"gap_cycles", "number", "cycles", 0, 0, 1e9, {}, "The sender's work between messages."}},
          [](const nlohmann::json& p, const WorkloadContext& ctx) -> std::unique_ptr<Workload> {
            return std::make_unique<MessageChannel>(p, ctx.cores);
          }};
}

SMPSIM_REGISTER(WorkloadRegistry, message_channel_kind);

}  // namespace smpsim
