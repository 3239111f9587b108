// A scripted workload: what each CPU does, in terms of kernel objects the
// design maps to locks and lines. Workloads are registered by kind with their
// declared parameters (registry.cpp); any design runs any workload on any
// machine.
#pragma once
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "models/design/kernel_design.hpp"
#include "models/workload/op_recorder.hpp"
#include "engine/params.hpp"

namespace smpsim {

class Workload {
 public:
  virtual ~Workload() = default;
  // The work of one CPU, called in that CPU's actor; the caller then ends it
  // (MemorySystem::finish, OpRecorder::core_done).
  virtual void run_core(Core& c, MemorySystem& mem, KernelDesign& design, OpRecorder& rec) = 0;
  // Workload-specific metrics, added under metrics.workload.
  virtual nlohmann::json metrics(const MemorySystem&) const { return nlohmann::json::object(); }
  // Lock-like rows the workload's own primitives add to metrics.locks (the
  // read and write sides of a reader-writer scheme, as lock_stat's -R and -W).
  virtual std::vector<nlohmann::json> lock_rows() const { return {}; }
  // Lock objects the workload itself owns (one per lock_stat row).
  virtual long long lock_objects() const { return (long long)lock_rows().size(); }
  // The ops each CPU that makes ops makes (-1: it varies): run.warmup_ops must be below it.
  virtual long long ops_per_cpu() const = 0;
  // True for a workload that calls OpRecorder::warm at its own warm point (after run.warmup_ops of its
  // own rounds); the others call it after their set-up and the recorder skips their first warm-up ops.
  virtual bool counts_own_warmup() const { return false; }
};

struct WorkloadContext {
  const Machine& machine;
  int cores;                 // active CPUs
  long long warmup_ops;      // per CPU
  std::vector<std::string> design_ops;  // the operations the design defines
  std::vector<std::string> recipe_args;  // op arguments its recipes count with ("repeat": "ARG")
};

// What a workload drives: the kernel design's ops (a scenario's design
// matters), or the hardware directly (locks, lines, IPIs, channels of its own:
// a design given to it would be ignored, so the loader rejects one).
enum class WorkloadDrives { Hardware, DesignOps };

struct WorkloadKind {
  std::string name;
  std::string description;
  std::vector<ParamSpec> params;
  // Builds the workload from its resolved parameters; throws ParamError for
  // a value that does not fit this machine or run.
  std::function<std::unique_ptr<Workload>(const nlohmann::json& params, const WorkloadContext&)> make;
  WorkloadDrives drives = WorkloadDrives::Hardware;
};

// Each workload's file registers it: SMPSIM_REGISTER(WorkloadRegistry, my_workload_kind).
using WorkloadRegistry = Registry<WorkloadKind>;
const std::vector<WorkloadKind>& workload_kinds();  // by name
const WorkloadKind* find_workload_kind(const std::string& name);
// What one op of the workload is: its description's "op = ..." sentence (every description has one), or "".
std::string what_one_op_is(const WorkloadKind& k);

}  // namespace smpsim
