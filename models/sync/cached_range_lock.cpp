#include "models/sync/cached_range_lock.hpp"

#include <algorithm>

namespace smpsim {

namespace {
constexpr double kLookupCycles = 20;  // searching the CPU's own kept ranges
constexpr uint64_t kPageBytes = 4096;
bool overlap(uint64_t s1, uint64_t e1, uint64_t s2, uint64_t e2) { return s1 < e2 && s2 < e1; }
}  // namespace

CachedRangeLock::CachedRangeLock(const std::string& name, MemorySystem& mem, int home_die,
                                 double invalidate_cycles_per_page)
    : mem_(mem), ranges_(name, mem, home_die), invalidate_cycles_per_page_(invalidate_cycles_per_page) {
  // A keeper releases from a message's handler: the tree's spinlock must
  // keep interrupts off where it is held (spin_lock_irqsave).
  ranges_.tree_lock().set_irqsave(true);
}

void CachedRangeLock::lock(Core& c, uint64_t start, uint64_t end) {
  mem_.compute(c, kLookupCycles, CpuState::Kernel);
  for (Kept& k : kept_[c.id])
    if (!k.in_use && !k.revoked && k.start <= start && end <= k.end) {
      k.in_use = true;  // kept from last time: nothing shared is touched
      ++stats_.hits;
      return;
    }
  // Send a message back to every other CPU that keeps an overlapping range.
  std::vector<int> keepers;
  for (const auto& [cpu, list] : kept_)
    if (cpu != c.id)
      for (const Kept& k : list)
        if (overlap(k.start, k.end, start, end) && !k.revoked) {
          keepers.push_back(cpu);
          break;
        }
  if (!keepers.empty()) {
    auto it = reply_.find(c.id);
    if (it == reply_.end())
      it = reply_.emplace(c.id, mem_.add_line("range_reply.cpu" + std::to_string(c.id), mem_.machine().topo.die_of(c.id))).first;
    const LineId reply = it->second;
    const uint64_t seq = ++seq_[c.id];
    mem_.store(c, reply, 0, seq * 1000);  // the request: seq, and a count of replies to come
    stats_.messages_back += long(keepers.size());
    mem_.send_ipi(c, keepers, [this, start, end, reply](Core& k) {
      revoke(k, start, end);
      mem_.fetch_add(k, reply, 0, 1);  // the reply
    });
    const uint64_t want = seq * 1000 + keepers.size();
    mem_.spin_until(c, reply, 0, [want](uint64_t v) { return v == want; });
  }
  ranges_.lock(c, start, end);
  kept_[c.id].push_back({start, end, true, false});
}

void CachedRangeLock::unlock(Core& c, uint64_t start, uint64_t end) {
  auto& list = kept_[c.id];
  auto it = std::find_if(list.begin(), list.end(),
                         [&](const Kept& k) { return k.in_use && k.start <= start && end <= k.end; });
  if (it == list.end()) return;
  it->in_use = false;
  if (it->revoked) {  // a request came while we used it: release now
    const Kept k = *it;
    list.erase(it);
    release_kept(c, k);
  }
  // else: kept (no shared access at all)
}

// On the keeper, in the message's handler.
void CachedRangeLock::revoke(Core& keeper, uint64_t start, uint64_t end) {
  auto& list = kept_[keeper.id];
  for (auto it = list.begin(); it != list.end();) {
    if (!overlap(it->start, it->end, start, end)) {
      ++it;
      continue;
    }
    if (it->in_use) {  // released at the keeper's unlock
      it->revoked = true;
      ++it;
      continue;
    }
    const Kept k = *it;
    it = list.erase(it);
    release_kept(keeper, k);
  }
}

void CachedRangeLock::release_kept(Core& keeper, const Kept& k) {
  const double pages = double((k.end - k.start + kPageBytes - 1) / kPageBytes);
  mem_.compute(keeper, pages * invalidate_cycles_per_page_, CpuState::Kernel);  // its PTEs and TLB entries
  ranges_.unlock(keeper, k.start, k.end);
}

}  // namespace smpsim
