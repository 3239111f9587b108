// Message ports (Dillon, seeds 001-003): one kernel whose address spaces and
// files are each owned by a CPU; VM and file-system ops are messages to the
// owner's port, light (LWKT) or heavy (Mach-style), services optionally behind
// port agents, TLB shootdowns by IPIs or by messages. The kernel engine with an
// owner placement, port costs and message transport (docs/design/msgport.md).
#include "models/design/kernel_engine.hpp"
#include "models/design/parts/message_shootdown.hpp"

namespace smpsim {
namespace {

const std::vector<ParamSpec>& msgport_params() {
  static const std::vector<ParamSpec> p = [] {
    std::vector<ParamSpec> v = kernel_engine_params();
    const std::vector<ParamSpec> own = {
        {"messages", "enum", "", "light", 0, 0, {"light", "heavy"},
         "light: LWKT messages (no size, no registered memory; a local message is a function call); heavy: "
         "Mach-style (every message, local ones too, marshalled and its payload copied and converted)."},
        {"heavy_message_cycles", "number", "cycles", 400, 0, 1e9, {},
         "heavy: marshalling on the sender and data-space conversion on the receiver, each."},
        {"message_bytes", "integer", "bytes", 256, 0, 1 << 20, {},
         "heavy: the payload the sender writes and the receiver reads."},
        {"fs_service", "enum", "", "kernel", 0, 0, {"kernel", "user"},
         "Where the file-system service runs: in the kernel, or in user space behind a port agent."},
        {"agent_cycles", "number", "cycles", 1500, 0, 1e9, {},
         "fs_service user: the port agent's translation of a message across the protection boundary, each way."},
        {"shootdown_messages", "enum", "", "ipi", 0, 0, {"ipi", "unicast", "multicast", "numa_multicast"},
         "TLB shootdowns: the traditional IPI protocol, or messages (request and reply lines, each delivered with an "
         "IPI): to every target, or one per NUMA node forwarded there (multicast), farthest nodes first "
         "(numa_multicast)."},
        {"shootdown_message_cycles", "number", "cycles", 40, 0, 1e9, {}, "Writing one shootdown request or reply."},
        {"async_ops", "array", "", nlohmann::json::array(), 0, 0, {},
         "Ops sent with sendmsg: the caller goes on, its reply comes to one of 4 reply ports per CPU, waited for "
         "only when that port is needed again; e.g. [\"close\"]. Others are domsg (waited)."}};
    v.insert(v.end(), own.begin(), own.end());
    return v;
  }();
  return p;
}

nlohmann::json parse_msgport(JsonReader& r, const DesignContext&) {
  nlohmann::json p = parse_kernel_engine(r);
  for (const ParamSpec& s : msgport_params())
    if (!p.contains(s.name)) p[s.name] = r.param(s);
  // async_ops: only ops that are sent to an owner's port.
  const nlohmann::json& a = p["async_ops"];
  for (size_t i = 0; i < a.size(); ++i)
    if (!a[i].is_string() || !(fs_ops().count(a[i].get<std::string>()) || vm_ops().count(a[i].get<std::string>())))
      throw BadInput(r.file(), r.ptr("async_ops") + "/" + std::to_string(i),
                     "expected an op sent to an owner's port (a file-system or VM op), got " + a[i].dump());
  return p;
}

std::unique_ptr<KernelDesign> make_msgport(const nlohmann::json& p, MemorySystem& mem) {
  auto e = std::make_unique<KernelEngine>("msgport", p, mem);
  e->set_placement(std::make_unique<OwnerPlacement>(mem, p["zones"] == "per_node"));
  e->set_message_costs(std::make_unique<PortCosts>(p, mem));
  if (p["shootdown_messages"] != "ipi")
    e->set_shootdown(std::make_unique<MessageShootdown>(mem, p["shootdown_messages"].get<std::string>(),
                                                        p["shootdown_message_cycles"].get<double>()));
  else
    e->set_shootdown(std::make_unique<IpiShootdown>(mem, e->shootdown_options()));
  e->set_async_ops(p["async_ops"].get<std::set<std::string>>());
  return e;
}

DesignKind msgport() {
  return {"msgport",
          "Every address space and file owned by a CPU; VM and file-system ops sent to the owner's port as messages, "
          "light or heavy, services behind port agents (Dillon, seeds 001-003; docs/design/msgport.md).",
          msgport_params(), parse_msgport, make_msgport};
}

}  // namespace

SMPSIM_REGISTER_DESIGN(msgport);

}  // namespace smpsim
