// Every design parameter, declared once: parse_design reads through these
// declarations, `smpsim describe design` prints them, and a test checks them
// against scenarios/schema.json.
#include "models/design/kernel_design.hpp"

namespace smpsim {

const std::vector<DesignParam>& design_params() {
  static const std::vector<std::string> all = {"traditional", "cccluster", "msgport"};
  static const std::vector<DesignParam> p = {
      {{"vm", "enum", "", "mmap_sem", 0, 0, {"mmap_sem", "per_vma", "pt_extents"},
        "VM locking: one rwsem per address space; per-VMA locks with an RCU walk of the VMA tree (Linux 6.4); or VMA "
        "extents in the page-table pages under their PTLs (Piggin, seed 004)."},
       all},
      {{"page_alloc", "enum", "", "percpu", 0, 0, {"zone", "percpu"},
        "Pages from the zone's free lists under the zone lock, or from per-CPU lists refilled in batches of 31."},
       all},
      {{"free_space", "enum", "", "global", 0, 0, {"global", "percpu"},
        "pt_extents: free virtual space from one extent tree, or per-CPU caches of it."},
       all},
      {{"path_walk", "enum", "", "ref", 0, 0, {"ref", "rcu"},
        "Path lookup taking a reference on every directory (ref-walk) or only on the final dentry (RCU-walk)."},
       all},
      {{"zones", "enum", "", "per_node", 0, 0, {"per_node", "global"},
        "One zone (free lists and lock) per NUMA node, or one for the machine."},
       all},
      {{"shootdown", "enum", "", "mm_cpumask", 0, 0, {"mm_cpumask", "precise"},
        "TLB shootdown targets: every CPU that ran the address space (Linux's mm_cpumask), or only CPUs whose TLB "
        "holds one of the pages (RadixVM-style tracking)."},
       all},
      {{"locks", "object", "", nlohmann::json::object(), 0, 0, {},
        "Lock kind per OBJECT.FIELD, e.g. {\"zone.lock\": \"ticket\"}: any spinlock, mutex, or reader-writer kind."},
       all},
      {{"recipes", "object", "", nlohmann::json::object(), 0, 0, {},
        "Op recipes replacing or adding to the design's defaults: {\"page_fault\": [steps]} (docs/design/traditional.md)."},
       all},
      {{"instances", "integer", "", 1, 1, 4096, {},
        "Kernel instances, each on an equal contiguous block of the active CPUs (capped at one per CPU)."},
       {"cccluster"}},
      {{"cpus", "array", "", nullptr, 0, 0, {},
        "The CPUs of each instance, e.g. [[0,1,2],[3,4,5]] (uneven allowed; every CPU of the machine exactly once); "
        "replaces the equal blocks. Optional."},
       {"cccluster"}},
      {{"fs_access", "enum", "", "xcall", 0, 0, {"xcall", "shared"},
        "A file-system op on another instance's file: a cross call to its home, or direct access to the home's "
        "objects under cross-instance locks."},
       {"cccluster"}},
      {{"shared_mm", "enum", "", "per_instance", 0, 0, {"per_instance", "xcall"},
        "A process whose threads span instances: one copy per instance, or one address space homed where it was "
        "first touched, faults and shootdowns by cross calls."},
       {"cccluster"}},
  };
  static const std::vector<DesignParam> with_ports = [] {
    std::vector<DesignParam> v = p;
    for (const ParamSpec& s : msgport_params()) v.push_back({s, {"msgport"}});
    v.push_back({{"async_ops", "array", "", nlohmann::json::array(), 0, 0, {},
                  "Ops sent with sendmsg: the caller goes on, its reply comes to one of 4 reply ports per CPU, "
                  "waited for only when that port is needed again; e.g. [\"close\"]. Others are domsg (waited)."},
                 {"msgport"}});
    return v;
  }();
  return with_ports;
}

const std::vector<ParamSpec>& msgport_params() {
  static const std::vector<ParamSpec> p = {
      {"messages", "enum", "", "light", 0, 0, {"light", "heavy"},
       "light: LWKT messages (no size, no registered memory; a local message is a function call); heavy: Mach-style "
       "(every message, local ones too, marshalled and its payload copied and converted)."},
      {"heavy_message_cycles", "number", "cycles", 400, 0, 1e9, {},
       "heavy: marshalling on the sender and data-space conversion on the receiver, each."},
      {"message_bytes", "integer", "bytes", 256, 0, 1 << 20, {}, "heavy: the payload the sender writes and the receiver reads."},
      {"fs_service", "enum", "", "kernel", 0, 0, {"kernel", "user"},
       "Where the file-system service runs: in the kernel, or in user space behind a port agent."},
      {"agent_cycles", "number", "cycles", 1500, 0, 1e9, {},
       "fs_service user: the port agent's translation of a message across the protection boundary, each way."},
      {"shootdown_messages", "enum", "", "ipi", 0, 0, {"ipi", "unicast", "multicast", "numa_multicast"},
       "TLB shootdowns: the traditional IPI protocol, or messages (request and reply lines, each delivered with an "
       "IPI): to every target, or one per NUMA node forwarded there (multicast), farthest nodes first (numa_multicast)."},
      {"shootdown_message_cycles", "number", "cycles", 40, 0, 1e9, {}, "Writing one shootdown request or reply."}};
  return p;
}

}  // namespace smpsim
