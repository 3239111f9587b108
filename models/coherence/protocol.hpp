// A cache-coherence protocol: what a read miss does to a line that other caches
// hold, and which cache answers it. The directory (directory.cpp) does what all
// the protocols share: hits, stores and atomics (every other copy invalidated),
// pricing from the machine's latency table, and queueing at the line's home.
//
// Each protocol is one file that registers itself (engine/registry.hpp):
//   SMPSIM_REGISTER(ProtocolRegistry, [] { return ProtocolKind{"MESI", "...", &instance}; });
// and a machine names it ("protocol": "MESI").
#pragma once
#include <string>

#include "engine/registry.hpp"

namespace smpsim {

struct CacheLine;
class CoreDistances;

class CoherenceProtocol {
 public:
  virtual ~CoherenceProtocol() = default;
  // A load by `reader` misses on a line that `L.owner` holds in M or E (the
  // owner answers it): the line's new state, owner and sharers.
  virtual void read_owned_line(CacheLine& L, int reader) const = 0;
  // A load by `reader` misses on a line in S: the cache that answers it. The
  // line's sharers are in the order they obtained their copies.
  virtual int shared_line_responder(const CacheLine& L, int reader, const CoreDistances& dist) const = 0;
  // Whether lines can be Owned (dirty and shared): the machine's latency table
  // must then price loads and stores on O.
  virtual bool has_owned_state() const = 0;
};

struct ProtocolKind {
  std::string name;
  std::string description;
  const CoherenceProtocol* protocol;  // a static instance in the protocol's file
};
using ProtocolRegistry = Registry<ProtocolKind>;

// The registered protocol `name`; throws std::logic_error if none (the machine
// loader checks names against the registry first).
const CoherenceProtocol& coherence_protocol(const std::string& name);

}  // namespace smpsim
