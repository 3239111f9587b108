// MESI. A read of a Modified or Exclusive line is answered by its owner, which
// writes a dirty line back and keeps a Shared copy. A read of a Shared line is
// answered by the nearest sharer (cache-to-cache transfer of clean lines; the
// latency table's load/S cells price it by that sharer's distance).
#include "models/coherence/nearest_sharer.hpp"
#include "models/coherence/protocol.hpp"

namespace smpsim {

namespace {

class Mesi : public CoherenceProtocol {
 public:
  void read_owned_line(CacheLine& L, int reader) const override {
    L.sharers = {L.owner, reader};
    L.state = LineState::S;
    L.owner = -1;
  }
  int shared_line_responder(const CacheLine& L, int reader, const CoreDistances& dist) const override {
    return nearest_sharer(L, reader, dist);
  }
  bool has_owned_state() const override { return false; }
};

const Mesi mesi;

}  // namespace

SMPSIM_REGISTER(ProtocolRegistry, [] {
  return ProtocolKind{"MESI",
                      "Modified, Exclusive, Shared, Invalid. A remote read of a dirty line writes it back and leaves "
                      "it Shared; a read of a Shared line is answered by the nearest sharer.",
                      &mesi};
});

}  // namespace smpsim
