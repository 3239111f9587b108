// A kernel design maps the kernel objects a workload names (an address space,
// a file, a page) onto locks and cache lines, and each operation (a page
// fault, an open) onto steps over them. The workload never knows which design
// runs it, and the design never knows which workload calls it.
#pragma once
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/params.hpp"
#include "models/sync/lock.hpp"

namespace smpsim {

// The design section of a scenario, resolved.
struct DesignSpec {
  std::string kind = "traditional";
  nlohmann::json params = nlohmann::json::object();  // every design parameter, defaults filled in
};

// What an operation is applied to: kernel object identities, not lines.
//   mm (address space), vma, addr (virtual address), pages, file.
struct OpArgs {
  std::map<std::string, long long> v;
  long long get(const std::string& k, long long dflt = 0) const {
    auto it = v.find(k);
    return it == v.end() ? dflt : it->second;
  }
};

class KernelDesign {
 public:
  virtual ~KernelDesign() = default;
  virtual const char* kind() const = 0;
  // The lock protecting kernel object `object`, of kind `lock_kind` (the
  // workload's request; a design may map it to its own primitive).
  virtual Lock& lock_for(const std::string& object, const std::string& lock_kind) = 0;
  // Runs operation `op` ("page_fault", "mmap", "open", ...) on CPU c.
  virtual void run_op(Core& c, const std::string& op, const OpArgs& args) = 0;
  virtual bool has_op(const std::string& op) const = 0;
  // lock_stat rows: one per lock class, and one per instance.
  virtual std::vector<nlohmann::json> lock_rows() const = 0;
  virtual std::vector<nlohmann::json> lock_instance_rows() const = 0;
  // How many lock objects the run created (McVoy's count of locks).
  virtual long long lock_objects() const = 0;
  // --explain: record the steps of the last execution of `op` on CPU 0.
  virtual void explain(const std::string& op) = 0;
  virtual nlohmann::json explanation() const = 0;
};

// The designs a scenario may name; their parameters; a factory.
const std::vector<std::string>& design_kinds();
// The message-port design's own parameters (messages, port agents).
const std::vector<ParamSpec>& msgport_params();
// Every design parameter and the designs that read it.
struct DesignParam {
  ParamSpec spec;
  std::vector<std::string> kinds;
};
const std::vector<DesignParam>& design_params();
// Reads and checks a design section (BadInput at the JSON pointer of a bad value).
// machine_cpus (when known) checks explicit ccCluster CPU lists against the machine.
DesignSpec parse_design(const nlohmann::json& j, const std::string& pointer, const std::string& file,
                        int machine_cpus = 0);
std::unique_ptr<KernelDesign> make_design(const DesignSpec& spec, MemorySystem& mem);

}  // namespace smpsim
