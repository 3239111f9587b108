// The sharer nearest to `reader` (the first of equally near ones): the cache
// that answers a read of a shared line where any sharer may (MESI, MOESI).
#pragma once
#include "models/coherence/directory.hpp"

namespace smpsim {

inline int nearest_sharer(const CacheLine& L, int reader, const Topology& topo) {
  int src = L.sharers.front();
  for (int s : L.sharers)
    if (topo.core_distance(reader, s) < topo.core_distance(reader, src)) src = s;
  return src;
}

}  // namespace smpsim
