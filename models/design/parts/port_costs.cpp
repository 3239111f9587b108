#include "models/design/parts/port_costs.hpp"

#include "models/design/parts/placement.hpp"

namespace smpsim {

PortCosts::PortCosts(const nlohmann::json& p, MemorySystem& mem)
    : mem_(mem), heavy_(p.value("messages", "light") == "heavy"), heavy_cycles_(p.value("heavy_message_cycles", 0.0)),
      payload_lines_(int((p.value("message_bytes", 0LL) + 63) / 64)), fs_user_(p.value("fs_service", "kernel") == "user"),
      agent_cycles_(p.value("agent_cycles", 0.0)) {}

LineId PortCosts::payload(int cpu, int i) {
  auto it = payload_.find({cpu, i});
  if (it == payload_.end())
    it = payload_.emplace(std::make_pair(cpu, i), mem_.add_line("cpu" + std::to_string(cpu) + ".msgbuf" + std::to_string(i),
                                                                 mem_.machine().topo.die_of(cpu))).first;
  return it->second;
}

bool PortCosts::agent_for(const std::string& op) const { return fs_user_ && fs_ops().count(op); }

void PortCosts::send(Core& s, const std::string&) {
  if (!heavy_) return;
  mem_.compute(s, heavy_cycles_, CpuState::Kernel);  // marshal: sizes, rights, memory object lookup
  for (int i = 0; i < payload_lines_; ++i) mem_.store(s, payload(s.id, i), 0, 1);
}

void PortCosts::receive(Core& server, int caller, const std::string& op) {
  if (heavy_) {
    mem_.compute(server, heavy_cycles_, CpuState::Kernel);  // data-space conversion
    for (int i = 0; i < payload_lines_; ++i) mem_.load(server, payload(caller, i), 0);
  }
  if (agent_for(op)) mem_.compute(server, agent_cycles_, CpuState::Kernel);  // into the user-space service
}

void PortCosts::reply(Core& server, const std::string& op) {
  if (agent_for(op)) mem_.compute(server, agent_cycles_, CpuState::Kernel);  // the reply back across the boundary
}

}  // namespace smpsim
