// range_map: CPUs lock a range of an address space, map its pages, unlock,
// in a loop: Dillon's range locks (seed 001). With message_back, a
// CPU keeps its range after unlock and a conflicting request sends it a
// message; without, the range is released at every unlock.
//   own:       each CPU maps its own range, again and again;
//   alternate: CPUs in pairs (0-1, 2-3, ...) map the same range, taking turns.
// op = one lock, map, unlock.
#include <memory>

#include "models/sync/cached_range_lock.hpp"
#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class RangeMap : public Workload {
 public:
  long long ops_per_cpu() const override { return rounds_; }
  bool counts_own_warmup() const override { return true; }
  RangeMap(const nlohmann::json& p, int cores, long long warmup)
      : keep_(p["policy"] == "message_back"), alternate_(p["pattern"] == "alternate"), pages_(p["pages"]), rounds_(p["rounds"]),
        think_cycles_(p["think_cycles"]), map_cycles_per_page_(p["map_cycles_per_page"]),
        invalidate_cycles_per_page_(p["invalidate_cycles_per_page"]), cores_(cores), warmup_(warmup) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign&, OpRecorder& rec) override {
    if (!plain_ && !cached_) {
      if (keep_) cached_ = std::make_unique<CachedRangeLock>("mm0.range", mem, 0, invalidate_cycles_per_page_);
      else plain_ = std::make_unique<RangeLock>("mm0.range", mem, 0);
      for (int i = 0; i < cores_; i += 2) turn_.push_back(mem.add_line("turn.pair" + std::to_string(i / 2), 0));
    }
    const uint64_t bytes = uint64_t(pages_) * 4096;
    const int slot = alternate_ ? c.id / 2 : c.id;
    const uint64_t start = uint64_t(slot) * bytes * 2, end = start + bytes;
    const bool paired = alternate_ && (c.id ^ 1) < cores_;
    const LineId turn = turn_[size_t(c.id / 2)];
    for (long long r = 0; r < rounds_; ++r) {
      if (r == warmup_) rec.warm(c.id, mem.now_ns(c));
      mem.compute(c, c.rng.exponential(think_cycles_), CpuState::User);
      // Pairs take turns (a flag line): the range moves between them every time.
      const uint64_t my_turn = uint64_t(2 * r + (c.id & 1));
      if (paired) mem.spin_until(c, turn, 0, [my_turn](uint64_t v) { return v == my_turn; });
      const double t0 = mem.now_ns(c);
      if (keep_) cached_->lock(c, start, end);
      else plain_->lock(c, start, end);
      mem.compute(c, map_cycles_per_page_ * double(pages_), CpuState::Kernel);
      if (keep_) cached_->unlock(c, start, end);
      else plain_->unlock(c, start, end);
      rec.op_done(c.id, mem.now_ns(c), t0);
      if (paired) mem.store(c, turn, 0, my_turn + 1);
    }
    if (rounds_ <= warmup_) rec.warm(c.id, mem.now_ns(c));
  }

  nlohmann::json metrics(const MemorySystem&) const override {
    nlohmann::json m = nlohmann::json::object();
    const RangeLockStats& s = keep_ ? cached_->ranges().stats() : plain_->stats();
    m["range_lock_acquisitions"] = s.acquisitions;
    m["range_lock_contentions"] = s.contentions;
    if (keep_) {
      m["kept_hits"] = cached_->stats().hits;
      m["messages_back"] = cached_->stats().messages_back;
    }
    return m;
  }

 private:
  bool keep_, alternate_;
  long long pages_, rounds_;
  double think_cycles_, map_cycles_per_page_, invalidate_cycles_per_page_;
  int cores_;
  long long warmup_;
  std::unique_ptr<RangeLock> plain_;
  std::unique_ptr<CachedRangeLock> cached_;
  std::vector<LineId> turn_;
};

}  // namespace

WorkloadKind range_map_kind() {
  return {"range_map",
          "CPUs lock a range, map its pages and unlock, in a loop, with range locks released at every unlock or "
          "kept until a conflicting request sends a message back (Dillon, seed 001). op = one lock, map, unlock.",
          {{"policy", "enum", "", "release_on_unlock", 0, 0, {"release_on_unlock", "message_back"},
            "Release the range at every unlock, or keep it until a conflicting request sends a message back."},
           {"pattern", "enum", "", "own", 0, 0, {"own", "alternate"},
            "own: each CPU maps its own range; alternate: CPUs in pairs take turns on one range."},
           {"pages", "integer", "pages", 16, 1, 1e6, {}, "Pages in a range."},
           {"rounds", "integer", "", 200, 1, 1e9, {}, "Lock-map-unlock rounds per CPU."},
           {"think_cycles", "number", "cycles", 2000, 0, 1e9, {}, "Mean user work between rounds (exponential)."},
           {"map_cycles_per_page", "number", "cycles", 50, 0, 1e9, {}, "Mapping work per page, under the lock."},
           {"invalidate_cycles_per_page", "number", "cycles", 100, 0, 1e9, {},
            "A keeper's cost per page to invalidate its PTEs and TLB entries when it gives a range back."}},
          [](const nlohmann::json& p, const WorkloadContext& ctx) -> std::unique_ptr<Workload> {
            return std::make_unique<RangeMap>(p, ctx.cores, ctx.warmup_ops);
          }};
}

SMPSIM_REGISTER(WorkloadRegistry, range_map_kind);

}  // namespace smpsim
