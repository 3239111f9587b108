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
