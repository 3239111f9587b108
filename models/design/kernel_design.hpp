// A kernel design maps the kernel objects a workload names (an address space,
// a file, a page) onto locks and cache lines, and each operation (a page
// fault, an open) onto steps over them. The workload never knows which design
// runs it, and the design never knows which workload calls it.
//
// Designs register themselves (SMPSIM_REGISTER_DESIGN in their own file, see
// docs/extending.md); most are a composition of the kernel engine's parts
// (models/design/kernel_engine.hpp, models/design/parts/).
#pragma once
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/json_reader.hpp"
#include "engine/params.hpp"
#include "engine/registry.hpp"
#include "models/sync/lock.hpp"

namespace smpsim {

// The design section of a scenario, resolved.
struct DesignSpec {
  std::string kind = "traditional";
  nlohmann::json params = nlohmann::json::object();  // every design parameter, defaults filled in
};

// What an operation is applied to: kernel object identities, not lines.
//   mm (address space), vma, addr (virtual address), pages, file.
// The arguments ops take (placements and recipes read them), each with its range: CPU ids and nodes within
// the run, everything else a non-negative number. A recipe may take more (a "repeat": "ARG" count), also
// non-negative. check_op_arg returns "" or what is wrong.
struct OpArgSpec {
  const char* name;
  enum class Range { NonNegative, RunCpu, Node } range;
  const char* what;
};
const std::vector<OpArgSpec>& op_arg_specs();
std::string check_op_arg(const std::string& name, long long value, int cores, int nodes,
                         const std::vector<std::string>& recipe_args);

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
  // workload's request; a design may map it to its own primitive), its line
  // homed on die `home_die` when it is created.
  virtual Lock& lock_for(const std::string& object, const std::string& lock_kind, int home_die = 0) = 0;
  // Runs operation `op` ("page_fault", "mmap", "open", ...) on CPU c.
  virtual void run_op(Core& c, const std::string& op, const OpArgs& args) = 0;
  virtual bool has_op(const std::string& op) const = 0;
  // lock_stat rows: one per lock class, and one per instance.
  virtual std::vector<nlohmann::json> lock_rows() const = 0;
  virtual std::vector<nlohmann::json> lock_instance_rows() const = 0;
  // How many lock objects the run created (McVoy's count of locks).
  virtual long long lock_objects() const = 0;
  // The design's own per-CPU counters (cross calls made and served, messages),
  // merged into the CPU's counters in a result.
  virtual nlohmann::json cpu_counters(int cpu) const = 0;
  // --explain: record the steps of the last execution of `op` on CPU 0.
  virtual void explain(const std::string& op) = 0;
  virtual nlohmann::json explanation() const = 0;
};

// What a design's parser sees beyond its own section.
struct DesignContext {
  int machine_cpus = 0;  // 0 when unknown
};

// A registered kernel design: its name, what it models, its parameters, how a
// scenario's section becomes its resolved parameters, and a factory.
struct DesignKind {
  std::string name;
  std::string description;
  // Every parameter the design reads, declared once (type, unit, default, range).
  std::vector<ParamSpec> params;
  // Reads the section through the declarations and checks what they cannot
  // (cross-field rules, recipe calls); BadInput at the JSON pointer of a bad value.
  std::function<nlohmann::json(JsonReader& r, const DesignContext& ctx)> parse;
  std::function<std::unique_ptr<KernelDesign>(const nlohmann::json& params, MemorySystem& mem)> make;
};

using DesignRegistry = Registry<DesignKind>;
#define SMPSIM_REGISTER_DESIGN(...) SMPSIM_REGISTER(::smpsim::DesignRegistry, __VA_ARGS__)

std::vector<std::string> design_kinds();
// Reads and checks a design section (BadInput at the JSON pointer of a bad value).
// machine_cpus (when known) checks explicit CPU lists against the machine.
DesignSpec parse_design(const nlohmann::json& j, const std::string& pointer, const std::string& file,
                        int machine_cpus = 0);
std::unique_ptr<KernelDesign> make_design(const DesignSpec& spec, MemorySystem& mem);

}  // namespace smpsim
