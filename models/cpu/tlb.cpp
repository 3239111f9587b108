#include "models/cpu/tlb.hpp"

namespace smpsim {

bool Tlb::lookup(uint64_t asid, uint64_t vpage) {
  auto it = map_.find(key(asid, vpage));
  if (it == map_.end()) {
    ++stats.misses;
    return false;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  ++stats.hits;
  return true;
}

void Tlb::insert(uint64_t asid, uint64_t vpage) {
  const uint64_t k = key(asid, vpage);
  if (map_.count(k)) return;
  if (int(map_.size()) >= capacity_) {
    map_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(k);
  map_[k] = lru_.begin();
}

bool Tlb::invalidate(uint64_t asid, uint64_t vpage) {
  ++stats.single_invalidations;
  auto it = map_.find(key(asid, vpage));
  if (it == map_.end()) return false;
  lru_.erase(it->second);
  map_.erase(it);
  return true;
}

void Tlb::flush_all() {
  ++stats.full_flushes;
  lru_.clear();
  map_.clear();
}

}  // namespace smpsim

namespace smpsim {

const StatTable<TlbStats>& TlbStats::table() {
  using T = StatTable<TlbStats>;
  static const T t({T::count("hits", "translations found in the TLB", &TlbStats::hits),
                    T::count("misses", "translations that walked the page tables", &TlbStats::misses),
                    T::count("single_invalidations", "entries invalidated one by one (invlpg)",
                             &TlbStats::single_invalidations),
                    T::count("full_flushes", "whole-TLB flushes (a CR3 reload)", &TlbStats::full_flushes)});
  return t;
}

SMPSIM_REGISTER(StatRegistry, [] {
  return TlbStats::table().group("tlb", {"metrics.cores[].tlb"}, "a CPU's TLB");
});

}  // namespace smpsim
