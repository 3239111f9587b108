// The sharer nearest to `reader` (the first of equally near ones): the cache
// that answers a read of a shared line where any sharer may (MESI, MOESI).
#pragma once
#include "models/coherence/directory.hpp"
#include "models/machine/core_distances.hpp"

namespace smpsim {

inline int nearest_sharer(const CacheLine& L, int reader, const CoreDistances& dist) {
  int src = L.sharers.front();
  Distance best = dist(reader, src);
  for (int s : L.sharers) {
    if (best == Distance::SameCore) break;  // nothing is nearer
    const Distance d = dist(reader, s);
    if (d < best) src = s, best = d;
  }
  return src;
}

}  // namespace smpsim
