// The message-port design's TLB shootdown as messages (Barrelfish's protocols,
// seed 001-003's "a TLB shootdown is a message to each owner"): the initiator
// writes a request line per receiver (a posted store) and interrupts it; the
// receiver reads the request, invalidates, and writes its reply line; the
// initiator polls all replies at once.
//   unicast:        a message to every target;
//   multicast:      one message per NUMA node, to its first target, which
//                   forwards to the node's other targets, collects their
//                   replies and replies once; the initiator's own node unicast;
//   numa_multicast: multicast, farthest nodes first.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "models/coherence/memory_system.hpp"
#include "models/cpu/address_space.hpp"
#include "models/design/parts/shootdown.hpp"

namespace smpsim {

class MessageShootdown : public ShootdownStrategy {
 public:
  MessageShootdown(MemorySystem& mem, std::string protocol, double message_cycles)
      : mem_(mem), protocol_(std::move(protocol)), message_cycles_(message_cycles) {}
  // Shoots down `pages` of `as` on every CPU that ran it; returns how many.
  int run(Core& initiator, AddressSpace& as, const std::vector<uint64_t>& pages, const OpArgs& a, int* calls) override;

 private:
  // The request (from -> to) or reply (to -> from) line of a pair.
  LineId line(int from, int to, bool reply);
  // Sends a request from `from` to `to`; the handler on `to` runs `then`.
  void send(Core& from, int to, uint64_t seq, const std::function<void(Core&)>& then);
  void reply(Core& t, int to, uint64_t seq);
  void collect(Core& c, const std::vector<int>& from, uint64_t seq);

  MemorySystem& mem_;
  std::string protocol_;
  double message_cycles_;
  std::map<std::pair<int, int>, std::pair<LineId, LineId>> lines_;  // (from, to) -> request, reply
  uint64_t seq_ = 0;
};

}  // namespace smpsim
