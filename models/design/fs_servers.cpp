// fs_servers: the worked example of docs/extending.md, a fourth design made of
// the engine's parts in one file. One traditional kernel for memory (VM ops run
// on the faulting CPU under the usual locks), but the file system is a set of
// servers, as in fos or a multikernel's file service: each file and directory
// is owned by a CPU, and every file-system op is a message to its owner's port
// (light messages: the request and reply lines; a local message is a call).
#include "models/design/kernel_engine.hpp"

namespace smpsim {
namespace {

// Owner placement for file-system ops only; everything else runs where it is called.
class FsServerPlacement : public OwnerPlacement {
 public:
  using OwnerPlacement::OwnerPlacement;
  int server(const Core& c, const std::string& op, const OpArgs& a) const override {
    return fs_ops().count(op) ? OwnerPlacement::server(c, op, a) : -1;
  }
};

std::unique_ptr<KernelDesign> make_fs_servers(const nlohmann::json& p, MemorySystem& mem) {
  auto e = std::make_unique<KernelEngine>("fs_servers", p, mem);
  e->set_placement(std::make_unique<FsServerPlacement>(mem, p["zones"] == "per_node"));
  e->set_shootdown(std::make_unique<IpiShootdown>(mem, e->shootdown_options()));
  return e;
}

DesignKind fs_servers() {
  return {"fs_servers",
          "One traditional kernel for memory, the file system as servers: every file and directory owned by a "
          "CPU, file-system ops sent to the owner's port as light messages (docs/extending.md's worked example).",
          kernel_engine_params(), [](JsonReader& r, const DesignContext&) { return parse_kernel_engine(r); },
          make_fs_servers};
}

}  // namespace

SMPSIM_REGISTER_DESIGN(fs_servers);

}  // namespace smpsim
