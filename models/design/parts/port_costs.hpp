// What a message costs beyond its request and reply lines, in the
// message-port design (Dillon, seed 003):
//  - light messages (LWKT): no size, no registered memory: a local message is
//    a function call, a remote one is the request line alone;
//  - heavy messages (Mach-style): every message, local ones too, is
//    marshalled (sizes, port rights, a registered memory object looked up)
//    and its payload written by the sender and read by the receiver;
//  - a port agent: a service run in user space has each message translated
//    across the protection boundary on the way in and the reply on the way
//    out; the same service in the kernel pays nothing.
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/coherence/memory_system.hpp"

namespace smpsim {

class PortCosts {
 public:
  // params: the design's "messages", "heavy_message_cycles", "message_bytes", "fs_service", "agent_cycles".
  PortCosts(const nlohmann::json& params, MemorySystem& mem);
  // On the sender, before the message goes (or the local call is made).
  void send(Core& sender, const std::string& op);
  // On the server, as it takes the message from `caller` (== server for a local message), and as it replies.
  void receive(Core& server, int caller, const std::string& op);
  void reply(Core& server, const std::string& op);

 private:
  bool agent_for(const std::string& op) const;
  LineId payload(int cpu, int i);

  MemorySystem& mem_;
  bool heavy_;
  double heavy_cycles_;
  int payload_lines_;
  bool fs_user_;
  double agent_cycles_;
  std::map<std::pair<int, int>, LineId> payload_;
};

}  // namespace smpsim
