// MESIF (Intel QPI). One of a Shared line's copies is the Forwarder: the copy
// most recently obtained. Only the Forwarder answers a read of a shared line
// (the other sharers stay silent), and the reader's new copy becomes the
// Forwarder. A read of a Modified or Exclusive line is answered by its owner,
// which keeps a Shared copy; the reader gets F. (With no eviction modelled, a
// Shared line always has a Forwarder: its latest sharer.)
#include "models/coherence/directory.hpp"
#include "models/coherence/protocol.hpp"

namespace smpsim {

namespace {

class Mesif : public CoherenceProtocol {
 public:
  void read_owned_line(CacheLine& L, int reader) const override {
    L.sharers = {L.owner, reader};  // the reader, last, is the Forwarder
    L.state = LineState::S;
    L.owner = -1;
  }
  int shared_line_responder(const CacheLine& L, int, const CoreDistances&) const override { return L.sharers.back(); }
  bool has_owned_state() const override { return false; }
};

const Mesif mesif;

}  // namespace

SMPSIM_REGISTER(ProtocolRegistry, [] {
  return ProtocolKind{"MESIF",
                      "MESI plus Forward: of a Shared line's copies only the Forwarder (the latest reader's) answers "
                      "reads, whatever its distance, and the reader becomes the Forwarder.",
                      &mesif};
});

}  // namespace smpsim
