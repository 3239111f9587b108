// A CPU's TLB: `entries` translations, least recently used evicted first,
// tagged by address-space id (ASID/PCID).
#pragma once
#include <cstdint>
#include <list>
#include <unordered_map>

#include "engine/stats.hpp"

namespace smpsim {

struct TlbStats {
  long long hits = 0, misses = 0, single_invalidations = 0, full_flushes = 0;
  static const StatTable<TlbStats>& table();  // tlb.cpp
};

class Tlb {
 public:
  explicit Tlb(int entries = 64) : capacity_(entries) {}
  bool lookup(uint64_t asid, uint64_t vpage);  // a hit refreshes the entry
  void insert(uint64_t asid, uint64_t vpage);
  bool invalidate(uint64_t asid, uint64_t vpage);  // invlpg: true if it was present
  void flush_all();
  bool holds(uint64_t asid, uint64_t vpage) const { return map_.count(key(asid, vpage)) > 0; }
  int size() const { return int(map_.size()); }
  TlbStats stats;

 private:
  static uint64_t key(uint64_t asid, uint64_t vpage) { return (asid << 48) ^ vpage; }
  int capacity_;
  std::list<uint64_t> lru_;  // front = most recent
  std::unordered_map<uint64_t, std::list<uint64_t>::iterator> map_;
};

}  // namespace smpsim
