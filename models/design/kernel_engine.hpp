// The kernel engine: what every design built from op recipes shares. It owns
// the kernel objects (lines and locks, kernel_objects.hpp), interprets the op
// recipes (recipe.hpp) over them, keeps address spaces, lock_stat's contention
// points and --explain's record, and runs an op where the design's placement
// says: here, as a message to the CPU's own port, or as a cross call to
// another CPU. The parts a design plugs in decide the rest:
//   Placement          which instance of an object an op names, who serves an op
//   ShootdownStrategy  how TLB shootdowns reach their targets
//   PortCosts          what a message costs beyond its lines (optional)
//   async ops          ops sent without waiting for the reply (optional)
// The engine never asks which design it runs.
#pragma once
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "models/cpu/address_space.hpp"
#include "models/design/kernel_design.hpp"
#include "models/design/kernel_objects.hpp"
#include "models/design/parts/cross_calls.hpp"
#include "models/design/parts/placement.hpp"
#include "models/design/parts/port_costs.hpp"
#include "models/design/parts/shootdown.hpp"
#include "models/design/recipe.hpp"

namespace smpsim {

// The engine's parameters (VM variant, page allocator, path walk, zones,
// shootdown targets, lock kinds, recipes), shared by every recipe design.
const std::vector<ParamSpec>& kernel_engine_params();
// Reads them from a design section; the result holds every engine parameter
// with its default, the lock kinds merged with the defaults and the recipes
// with the scenario's replacements, every recipe checked.
nlohmann::json parse_kernel_engine(JsonReader& r);
// The kernel object classes recipes may name.
const std::set<std::string>& kernel_object_classes();

class KernelEngine : public KernelDesign {
 public:
  // params: the engine's resolved parameters (parse_kernel_engine).
  KernelEngine(std::string kind, const nlohmann::json& params, MemorySystem& mem);
  ~KernelEngine() override;

  // The parts (placement and shootdown strategy are required).
  void set_placement(std::unique_ptr<Placement> p);
  void set_shootdown(std::unique_ptr<ShootdownStrategy> s) { shootdown_ = std::move(s); }
  void set_message_costs(std::unique_ptr<PortCosts> p) { costs_ = std::move(p); }
  void set_async_ops(std::set<std::string> ops) { async_ops_ = std::move(ops); }
  CrossCalls& calls() { return calls_; }
  bool precise_shootdown() const { return shootdown_options_.precise; }
  // How IPI shootdowns choose their targets and reach them (design params shootdown, ipi_shootdown).
  const ShootdownOptions& shootdown_options() const { return shootdown_options_; }

  const char* kind() const override { return kind_.c_str(); }
  Lock& lock_for(const std::string& object, const std::string& lock_kind, int home_die = 0) override;
  bool has_op(const std::string& op) const override { return recipes_.count(op) > 0; }
  void run_op(Core& c, const std::string& op, const OpArgs& args) override;
  std::vector<nlohmann::json> lock_rows() const override;
  std::vector<nlohmann::json> lock_instance_rows() const override { return objs_.instance_rows(); }
  long long lock_objects() const override { return objs_.lock_count() + (long long)locks_.size(); }
  nlohmann::json cpu_counters(int cpu) const override { return calls_.cpu_counters(cpu); }
  void explain(const std::string& op) override { explain_op_ = op; }
  nlohmann::json explanation() const override { return explained_; }

 private:
  // --explain's record: the steps (each repeat's first iteration), and the op's time by part (every
  // iteration): what the CPU was doing, so that the parts add up to the op's latency.
  struct Explain {
    std::vector<nlohmann::json> steps;
    bool list = true;  // false inside a repeat's later iterations: parts only
    std::map<std::string, double> parts;
    void add(const std::string& part, double ns) { parts[part] += ns; }
  };
  AddressSpace& address_space(const Core& c, long long mm);
  void resolve(Recipe& recipe);
  void serve_call(Core& s, const CrossCalls::Call& d);
  std::string describe_access(const Core& c) const;
  // `where`: the recipe the steps belong to (lock_stat's contention point).
  void exec(Core& c, const Recipe& recipe, const OpArgs& a, Explain* ex, int depth, const std::string& where);

  MemorySystem& mem_;
  std::string kind_;
  KernelObjects objs_;
  ShootdownOptions shootdown_options_;
  CrossCalls calls_;
  std::unique_ptr<Placement> placement_;
  std::unique_ptr<ShootdownStrategy> shootdown_;
  std::unique_ptr<PortCosts> costs_;
  std::set<std::string> async_ops_;
  std::map<std::string, Recipe> recipes_;
  const Recipe* wake_up_ = nullptr;
  int ipi_acks_field_ = -1;
  std::map<std::pair<int, long long>, AddressSpace> spaces_;  // by (instance, mm)
  std::map<std::pair<int, int>, long long> every_;
  std::map<std::string, std::map<std::string, std::pair<long long, double>>> points_;  // class -> op -> (count, wait)
  std::vector<std::unique_ptr<Lock>> locks_;  // lock_for()'s, in creation order
  std::map<std::string, size_t> by_object_;
  std::vector<double> cost_cycles_;  // by kernel_costs() index, from the design's parameters
  std::string explain_op_;
  nlohmann::json explained_ = nullptr;
};

}  // namespace smpsim
