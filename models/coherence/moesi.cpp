// MOESI (AMD). A read of a Modified line leaves it Owned: the dirty owner keeps
// it without writing it back and answers every later read (the latency table's
// load/O cells). A read of an Exclusive line leaves it Shared; a read of a
// Shared line is answered by the nearest sharer.
#include "models/coherence/nearest_sharer.hpp"
#include "models/coherence/protocol.hpp"

namespace smpsim {

namespace {

class Moesi : public CoherenceProtocol {
 public:
  void read_owned_line(CacheLine& L, int reader) const override {
    if (L.state == LineState::M) {
      L.state = LineState::O;  // the owner stays, the reader shares
      L.sharers = {reader};
      return;
    }
    L.sharers = {L.owner, reader};
    L.state = LineState::S;
    L.owner = -1;
  }
  int shared_line_responder(const CacheLine& L, int reader, const CoreDistances& dist) const override {
    return nearest_sharer(L, reader, dist);
  }
  bool has_owned_state() const override { return true; }
};

const Moesi moesi;

}  // namespace

SMPSIM_REGISTER(ProtocolRegistry, [] {
  return ProtocolKind{"MOESI",
                      "MESI plus Owned: a remote read of a Modified line leaves it Owned by the writer, which keeps "
                      "the dirty data and answers later reads (no write-back).",
                      &moesi};
});

}  // namespace smpsim
