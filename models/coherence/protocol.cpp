#include "models/coherence/protocol.hpp"

#include <stdexcept>

namespace smpsim {

const CoherenceProtocol& coherence_protocol(const std::string& name) {
  if (const ProtocolKind* k = ProtocolRegistry::find(name)) return *k->protocol;
  throw std::logic_error("no coherence protocol " + name);
}

}  // namespace smpsim
