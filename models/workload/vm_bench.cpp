// vm_bench (mapbench, MOSBENCH's and Clements et al.'s VM benchmarks): every
// CPU maps a region of `pages` pages, touches each page (a page fault), and
// unmaps it, in a loop. `processes`: "shared" puts all CPUs in one address
// space (threads: vmlocal), "private" gives each CPU its own (mempop).
// An op is one map / fault / unmap round.
#include "models/workload/workloads.hpp"

namespace smpsim {
namespace {

class VmBench : public Workload {
 public:
  explicit VmBench(const nlohmann::json& p)
      : shared_(p["processes"] == "shared"), pages_(p["pages"]), think_cycles_(p["think_cycles"]),
        rounds_(p["rounds"]) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign& design, OpRecorder& rec) override {
    OpArgs a;
    a.v["mm"] = shared_ ? 0 : c.id;
    a.v["mm_home"] = shared_ ? 0 : mem.machine().topo.die_of(c.id);
    a.v["vma"] = c.id;
    a.v["pages"] = pages_;
    const long long base = (1LL << 32) + (long long)c.id * (1LL << 30);  // each CPU's region: its own page tables
    rec.warm(mem.now_ns(c));
    for (long long r = 0; r < rounds_; ++r) {
      mem.compute(c, c.rng.exponential(think_cycles_), CpuState::User);
      const double t0 = mem.now_ns(c);
      a.v["addr"] = base;
      design.run_op(c, "mmap", a);
      for (long long p = 0; p < pages_; ++p) {
        a.v["addr"] = base + p * 4096;
        design.run_op(c, "page_fault", a);
      }
      a.v["addr"] = base;
      design.run_op(c, "munmap", a);
      rec.op_done(mem.now_ns(c) - t0);
    }
    mem.finish(c);
    rec.core_done(mem.now_ns(c));
  }

 private:
  bool shared_;
  long long pages_;
  double think_cycles_;
  long long rounds_;
};

class Fops : public Workload {
 public:
  explicit Fops(const nlohmann::json& p)
      : depth_(p["depth"]), think_cycles_(p["think_cycles"]), rounds_(p["rounds"]) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign& design, OpRecorder& rec) override {
    OpArgs a;
    a.v["file"] = 0;  // every CPU opens the same file
    a.v["depth"] = depth_;
    rec.warm(mem.now_ns(c));
    for (long long r = 0; r < rounds_; ++r) {
      mem.compute(c, c.rng.exponential(think_cycles_), CpuState::User);
      const double t0 = mem.now_ns(c);
      design.run_op(c, "open", a);
      design.run_op(c, "close", a);
      rec.op_done(mem.now_ns(c) - t0);
    }
    mem.finish(c);
    rec.core_done(mem.now_ns(c));
  }

 private:
  long long depth_;
  double think_cycles_;
  long long rounds_;
};

}  // namespace

WorkloadKind vm_bench_kind() {
  return {"vm_bench",
          "Every CPU maps `pages` pages, faults each one and unmaps them, in a loop (mapbench vmlocal with shared "
          "processes; MOSBENCH-style mempop with private ones). op = one map/fault/unmap round.",
          {{"processes", "enum", "", "shared", 0, 0, {"shared", "private"},
            "shared: the CPUs are threads of one process (one address space); private: one process per CPU."},
           {"pages", "integer", "", 16, 1, 1e6, {}, "Pages per region (16 = 64 KiB)."},
           {"think_cycles", "number", "cycles", 1000, 0, 1e12, {}, "Mean user-mode work between rounds (exponential)."},
           {"rounds", "integer", "", 100, 1, 1e9, {}, "Rounds each CPU makes."}},
          [](const nlohmann::json& p, const WorkloadContext&) -> std::unique_ptr<Workload> {
            return std::make_unique<VmBench>(p);
          }};
}

WorkloadKind fops_kind() {
  return {"fops",
          "Every CPU opens and closes the same file (FOPS, from \"Non-scalable locks are dangerous\"): path walk of `depth` "
          "directories, then a reference on the file's dentry. op = an open + close.",
          {{"depth", "integer", "", 2, 0, 64, {}, "Directories on the path before the file."},
           {"think_cycles", "number", "cycles", 1000, 0, 1e12, {}, "Mean user-mode work between rounds (exponential)."},
           {"rounds", "integer", "", 500, 1, 1e9, {}, "Rounds each CPU makes."}},
          [](const nlohmann::json& p, const WorkloadContext&) -> std::unique_ptr<Workload> {
            return std::make_unique<Fops>(p);
          }};
}

}  // namespace smpsim
