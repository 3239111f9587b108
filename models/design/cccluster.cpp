// ccCluster (McVoy, seed 000): N instances of the traditional kernel on one
// cache-coherent machine, each on its own CPUs and memory. The kernel engine
// with an instance placement (objects per instance; a shared file system's
// objects at their home instance), doors-style cross calls to the home, and,
// for one address space across instances, shootdowns as cross calls
// (docs/design/cccluster.md).
#include <fmt/format.h>

#include <set>

#include "models/design/kernel_engine.hpp"

namespace smpsim {
namespace {

const std::vector<ParamSpec>& cccluster_params() {
  static const std::vector<ParamSpec> p = [] {
    std::vector<ParamSpec> v = kernel_engine_params();
    v.push_back({"instances", "integer", "", 1, 1, 4096, {},
                 "Kernel instances, each on an equal contiguous block of the active CPUs (capped at one per CPU)."});
    v.push_back({"cpus", "array", "", nullptr, 0, 0, {},
                 "The CPUs of each instance, e.g. [[0,1,2],[3,4,5]] (uneven allowed; every CPU of the machine exactly "
                 "once); replaces the equal blocks. Optional."});
    v.push_back({"fs_access", "enum", "", "xcall", 0, 0, {"xcall", "shared"},
                 "A file-system op on another instance's file: a cross call to its home, or direct access to the "
                 "home's objects under cross-instance locks."});
    v.push_back({"door_call_cycles", "number", "cycles", 775, 0, 1e9, {},
                 "A cross-instance call's software on the caller, before its request goes (door_call: trap, argument "
                 "copy, hand-off of the caller's time slice to the server thread). Derived: half of a same-core "
                 "LRPC round trip, 1,549 cycles on the 8 x Opteron 8350 (Multikernel, SOSP 2009, Table 1; "
                 "secondary); the even split is an assumption."});
    v.push_back({"door_return_cycles", "number", "cycles", 774, 0, 1e9, {},
                 "The server's software after the call's work, before its reply goes (door_return: trap, result "
                 "copy, hand-off back). Derived: the other half of the 1,549-cycle LRPC round trip."});
    v.push_back({"shared_mm", "enum", "", "per_instance", 0, 0, {"per_instance", "xcall"},
                 "A process whose threads span instances: one copy per instance, or one address space homed where it "
                 "was first touched, faults and shootdowns by cross calls."});
    return v;
  }();
  return p;
}

// design.cpus: an array of non-empty arrays of distinct CPU ids, covering every CPU of the machine.
nlohmann::json parse_cpu_lists(const nlohmann::json& j, const std::string& ptr, const std::string& file,
                               int machine_cpus) {
  if (!j.is_array() || j.empty())
    throw BadInput(file, ptr, "expected an array of CPU lists, one per instance, e.g. [[0,1,2],[3,4,5]]");
  std::set<int> seen;
  for (size_t k = 0; k < j.size(); ++k) {
    const std::string kp = ptr + "/" + std::to_string(k);
    if (!j[k].is_array() || j[k].empty()) throw BadInput(file, kp, "expected a non-empty array of CPU ids");
    for (size_t i = 0; i < j[k].size(); ++i) {
      const nlohmann::json& v = j[k][i];
      const std::string ip = kp + "/" + std::to_string(i);
      if (!v.is_number_integer() || v.get<long long>() < 0 || (machine_cpus > 0 && v.get<long long>() >= machine_cpus))
        throw BadInput(file, ip, fmt::format("expected a CPU id from 0 to {}, got {}", machine_cpus - 1, v.dump()));
      if (!seen.insert(v.get<int>()).second)
        throw BadInput(file, ip, fmt::format("CPU {} is already in an instance", v.get<int>()));
    }
  }
  for (int c = 0; c < machine_cpus; ++c)
    if (!seen.count(c)) throw BadInput(file, ptr, fmt::format("CPU {} is in no instance: list every CPU of the machine", c));
  return j;
}

nlohmann::json parse_cccluster(JsonReader& r, const DesignContext& ctx) {
  nlohmann::json p = parse_kernel_engine(r);
  for (const ParamSpec& s : cccluster_params())  // the design's own scalars; cpus (optional, a structure) below
    if (!p.contains(s.name) && s.name != "cpus") p[s.name] = r.param(s);
  if (r.has("cpus")) {
    const nlohmann::json cpus = parse_cpu_lists(r.raw("cpus"), r.ptr("cpus"), r.file(), ctx.machine_cpus);
    if (r.has("instances") && p["instances"] != cpus.size())
      throw BadInput(r.file(), r.ptr("instances"),
                     fmt::format("expected {} (the number of CPU lists in cpus), got {}", cpus.size(), p["instances"].dump()));
    p["instances"] = cpus.size();
    p["cpus"] = cpus;
  }
  return p;
}

std::unique_ptr<KernelDesign> make_cccluster(const nlohmann::json& p, MemorySystem& mem) {
  auto e = std::make_unique<KernelEngine>("cccluster", p, mem);
  e->calls().set_software_cycles(p["door_call_cycles"].get<double>(), p["door_return_cycles"].get<double>());
  Partition part = p.contains("cpus") ? Partition::lists(p["cpus"].get<std::vector<std::vector<int>>>(), mem.cores())
                                      : Partition::blocks(mem.cores(), p["instances"].get<int>());
  InstancePlacement::Options o;
  o.per_node_zones = p["zones"] == "per_node";
  o.xcall_fs = p["fs_access"] == "xcall";
  o.xcall_mm = p["shared_mm"] == "xcall";
  auto place = std::make_unique<InstancePlacement>(mem, std::move(part), o);
  const InstancePlacement& placed = *place;
  e->set_placement(std::move(place));
  if (o.xcall_mm && placed.partition().instances() > 1)
    e->set_shootdown(std::make_unique<CrossInstanceShootdown>(mem, e->shootdown_options(), placed, e->calls()));
  else
    e->set_shootdown(std::make_unique<IpiShootdown>(mem, e->shootdown_options()));
  return e;
}

DesignKind cccluster() {
  return {"cccluster",
          "N instances of the traditional kernel, each on its own CPUs and memory; a shared file system and shared "
          "memory through cross-instance calls (McVoy, seed 000; docs/design/cccluster.md).",
          cccluster_params(), parse_cccluster, make_cccluster};
}

}  // namespace

SMPSIM_REGISTER_DESIGN(cccluster);

}  // namespace smpsim
