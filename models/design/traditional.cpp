// The traditional design: one kernel instance across all CPUs; every kernel
// object is shared and protected by its own lock, as Linux does it. It is the
// kernel engine (recipes over kernel objects) with one instance and IPI
// shootdowns; a scenario may change any lock's kind and replace any recipe
// (docs/design/traditional.md).
#include "models/design/kernel_engine.hpp"

namespace smpsim {
namespace {

std::unique_ptr<KernelDesign> make_traditional(const nlohmann::json& p, MemorySystem& mem) {
  auto e = std::make_unique<KernelEngine>("traditional", p, mem);
  InstancePlacement::Options o;
  o.per_node_zones = p["zones"] == "per_node";
  e->set_placement(std::make_unique<InstancePlacement>(mem, Partition::blocks(mem.cores(), 1), o));
  e->set_shootdown(std::make_unique<IpiShootdown>(mem, e->shootdown_options()));
  return e;
}

DesignKind traditional() {
  return {"traditional",
          "One kernel instance across all CPUs; every kernel object shared and protected by its own lock, as Linux "
          "does it (docs/design/traditional.md).",
          kernel_engine_params(), [](JsonReader& r, const DesignContext&) { return parse_kernel_engine(r); },
          make_traditional};
}

}  // namespace

SMPSIM_REGISTER_DESIGN(traditional);

}  // namespace smpsim
