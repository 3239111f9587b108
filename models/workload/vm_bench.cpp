// vm_bench (mapbench, MOSBENCH's and Clements et al.'s VM benchmarks): every
// CPU maps a region of `pages` pages, touches each page (a page fault), and
// unmaps it, in a loop. `processes`: "shared" puts all CPUs in one address
// space (threads: vmlocal), "private" gives each CPU its own (mempop).
// An op is one map / fault / unmap round.
#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class VmBench : public Workload {
 public:
  // vmglobal's faulting CPUs make a fault per op (CPU 0's remaps are not ops)
  long long ops_per_cpu() const override { return pattern_ == "global" ? rounds_ * pages_ : rounds_; }
  explicit VmBench(const nlohmann::json& p)
      : shared_(p["processes"] == "shared"), pattern_(p["pattern"]), pages_(p["pages"]),
        think_cycles_(p["think_cycles"]), rounds_(p["rounds"]) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign& design, OpRecorder& rec) override {
    OpArgs a;
    a.v["mm"] = shared_ ? 0 : c.id;
    a.v["mm_home"] = shared_ ? 0 : mem.machine().topo.die_of(c.id);
    a.v["pages"] = pages_;
    rec.warm(c.id, mem.now_ns(c));
    if (pattern_ == "local") local(c, mem, design, rec, a);
    else if (pattern_ == "pipeline") pipeline(c, mem, design, rec, a);
    else global(c, mem, design, rec, a);
  }

 private:
  static long long region(int cpu) { return (1LL << 32) + (long long)cpu * (1LL << 30); }  // own page tables

  void map_region(Core& c, KernelDesign& d, OpArgs& a, int owner) {
    a.v["vma"] = owner;
    a.v["addr"] = region(owner);
    d.run_op(c, "mmap", a);
  }
  void fault_and_unmap(Core& c, KernelDesign& d, OpArgs& a, int owner) {
    a.v["vma"] = owner;
    for (long long p = 0; p < pages_; ++p) {
      a.v["addr"] = region(owner) + p * 4096;
      d.run_op(c, "page_fault", a);
    }
    a.v["addr"] = region(owner);
    d.run_op(c, "munmap", a);
  }

  // vmlocal / mempop: each CPU maps, faults and unmaps its own region.
  void local(Core& c, MemorySystem& mem, KernelDesign& d, OpRecorder& rec, OpArgs& a) {
    for (long long r = 0; r < rounds_; ++r) {
      mem.compute(c, c.rng.exponential(think_cycles_), CpuState::User);
      const double t0 = mem.now_ns(c);
      map_region(c, d, a, c.id);
      fault_and_unmap(c, d, a, c.id);
      rec.op_done(c.id, mem.now_ns(c), t0);
    }
  }

  // vmpipeline: CPU i maps a region and hands it to CPU i+1, which faults
  // and unmaps it (through a mailbox line per CPU).
  void pipeline(Core& c, MemorySystem& mem, KernelDesign& d, OpRecorder& rec, OpArgs& a) {
    const int n = mem.cores();
    if (mailbox_.empty())
      for (int i = 0; i < n; ++i) mailbox_.push_back(mem.add_line("mailbox" + std::to_string(i), mem.machine().topo.die_of(i)));
    const int next = (c.id + 1) % n, prev = (c.id + n - 1) % n;
    for (long long r = 0; r < rounds_; ++r) {
      mem.compute(c, c.rng.exponential(think_cycles_), CpuState::User);
      const double t0 = mem.now_ns(c);
      map_region(c, d, a, c.id);
      mem.store(c, mailbox_[next], 0, uint64_t(r + 1));
      const uint64_t want = uint64_t(r + 1);
      mem.spin_until(c, mailbox_[c.id], 0, [want](uint64_t v) { return v >= want; });
      fault_and_unmap(c, d, a, prev);
      rec.op_done(c.id, mem.now_ns(c), t0);
    }
  }

  // vmglobal: every CPU faults pages of one shared region while CPU 0 remaps it.
  void global(Core& c, MemorySystem& mem, KernelDesign& d, OpRecorder& rec, OpArgs& a) {
    a.v["vma"] = 0;
    if (c.id == 0) {
      map_region(c, d, a, 0);
      for (long long r = 0; r < rounds_; ++r) {  // the remaps are not ops: faults are
        mem.compute(c, c.rng.exponential(think_cycles_ * double(pages_)), CpuState::User);
        const double t0 = mem.now_ns(c);
        a.v["addr"] = region(0);
        d.run_op(c, "munmap", a);
        d.run_op(c, "mmap", a);
        remap_ns_ += mem.now_ns(c) - t0;
        ++remaps_;
      }
      return;
    }
    for (long long r = 0; r < rounds_ * pages_; ++r) {
      mem.compute(c, c.rng.exponential(think_cycles_), CpuState::User);
      const double t0 = mem.now_ns(c);
      a.v["addr"] = region(0) + (long long)c.rng.below(uint64_t(pages_)) * 4096;
      d.run_op(c, "page_fault", a);
      rec.op_done(c.id, mem.now_ns(c), t0);
    }
  }

  bool shared_;
  std::string pattern_;
  long long pages_;
  double think_cycles_;
  long long rounds_;
  std::vector<LineId> mailbox_;
  double remap_ns_ = 0;
  long long remaps_ = 0;

 public:
  nlohmann::json metrics(const MemorySystem&) const override {
    if (pattern_ != "global") return nlohmann::json::object();
    return {{"remaps", remaps_}, {"remap_avg_ns", remaps_ ? remap_ns_ / double(remaps_) : 0.0}};
  }
};

class Fops : public Workload {
 public:
  long long ops_per_cpu() const override { return rounds_; }
  explicit Fops(const nlohmann::json& p)
      : per_cpu_(p["files"] == "per_cpu"), depth_(p["depth"]), think_cycles_(p["think_cycles"]), rounds_(p["rounds"]) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign& design, OpRecorder& rec) override {
    OpArgs a;
    a.v["file"] = per_cpu_ ? c.id : 0;
    a.v["depth"] = depth_;
    rec.warm(c.id, mem.now_ns(c));
    for (long long r = 0; r < rounds_; ++r) {
      mem.compute(c, c.rng.exponential(think_cycles_), CpuState::User);
      const double t0 = mem.now_ns(c);
      design.run_op(c, "open", a);
      design.run_op(c, "close", a);
      rec.op_done(c.id, mem.now_ns(c), t0);
    }
  }

 private:
  bool per_cpu_;
  long long depth_;
  double think_cycles_;
  long long rounds_;
};

// exim_like (MOSBENCH's exim): per message, the master process forks a child,
// which creates a spool file, renames it, unlinks it, and exits.
class EximLike : public Workload {
 public:
  long long ops_per_cpu() const override { return rounds_; }
  explicit EximLike(const nlohmann::json& p)
      : dirs_(p["spool_dirs"]), vmas_(p["vmas"]), pages_(p["pages"]), think_cycles_(p["think_cycles"]),
        rounds_(p["rounds"]) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign& design, OpRecorder& rec) override {
    OpArgs a;
    a.v["mm"] = 0;  // the master process
    a.v["child"] = 1000 + c.id;
    a.v["vmas"] = vmas_;
    a.v["pages"] = pages_;
    a.v["dir"] = c.id % dirs_;
    rec.warm(c.id, mem.now_ns(c));
    for (long long r = 0; r < rounds_; ++r) {
      mem.compute(c, c.rng.exponential(think_cycles_), CpuState::User);
      const double t0 = mem.now_ns(c);
      for (const char* op : {"fork", "create", "rename", "unlink", "exit"}) design.run_op(c, op, a);
      rec.op_done(c.id, mem.now_ns(c), t0);
    }
  }

 private:
  long long dirs_, vmas_, pages_;
  double think_cycles_;
  long long rounds_;
};

// pfind (MOSBENCH's parallel find): every CPU walks the same directories,
// reading each and looking up its entries.
class Pfind : public Workload {
 public:
  long long ops_per_cpu() const override { return rounds_; }
  explicit Pfind(const nlohmann::json& p)
      : dirs_(p["dirs"]), entries_(p["entries"]), depth_(p["depth"]), rounds_(p["rounds"]) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign& design, OpRecorder& rec) override {
    OpArgs a;
    a.v["entries"] = entries_;
    a.v["depth"] = depth_;
    a.v["file"] = 0;
    rec.warm(c.id, mem.now_ns(c));
    for (long long r = 0; r < rounds_; ++r) {
      const double t0 = mem.now_ns(c);
      a.v["dir"] = (c.id + r) % dirs_;
      design.run_op(c, "open", a);
      design.run_op(c, "readdir", a);
      design.run_op(c, "close", a);
      rec.op_done(c.id, mem.now_ns(c), t0);
    }
  }

 private:
  long long dirs_, entries_, depth_, rounds_;
};

}  // namespace

WorkloadKind exim_like_kind() {
  return {"exim_like",
          "MOSBENCH's exim: per message, fork a child of the master process, create, rename and unlink a spool "
          "file, exit. op = a message.",
          {{"spool_dirs", "integer", "", 4, 1, 1e6, {}, "Spool directories; CPU i uses directory i mod spool_dirs."},
           {"vmas", "integer", "", 8, 1, 1e4, {}, "VMAs of the master process (copied at every fork)."},
           {"pages", "integer", "", 32, 0, 1e6, {}, "Page-table entries copied at fork and freed at exit."},
           {"think_cycles", "number", "cycles", 20000, 0, 1e12, {}, "Mean user-mode work per message (exponential)."},
           {"rounds", "integer", "", 50, 1, 1e9, {}, "Messages each CPU delivers."}},
          [](const nlohmann::json& p, const WorkloadContext&) -> std::unique_ptr<Workload> {
            return std::make_unique<EximLike>(p);
          },
          WorkloadDrives::DesignOps};
}

WorkloadKind pfind_kind() {
  return {"pfind",
          "MOSBENCH's parallel find: every CPU reads the same directories and looks up their entries. op = one "
          "directory.",
          {{"dirs", "integer", "", 16, 1, 1e6, {}, "Directories in the tree."},
           {"entries", "integer", "", 8, 0, 1e6, {}, "Entries looked up per directory."},
           {"depth", "integer", "", 2, 0, 64, {}, "Path depth of each directory."},
           {"rounds", "integer", "", 100, 1, 1e9, {}, "Directories each CPU reads."}},
          [](const nlohmann::json& p, const WorkloadContext&) -> std::unique_ptr<Workload> {
            return std::make_unique<Pfind>(p);
          },
          WorkloadDrives::DesignOps};
}

WorkloadKind vm_bench_kind() {
  return {"vm_bench",
          "mapbench (Clements et al., RadixVM): map `pages` pages, fault them, unmap them, in the `pattern` "
          "given; with private processes, mempop. op = one map/fault/unmap round (global: a fault).",
          {{"pattern", "enum", "", "local", 0, 0, {"local", "pipeline", "global"},
            "local: each CPU maps, faults and unmaps its own region; pipeline: CPU i maps, CPU i+1 faults and "
            "unmaps; global: every CPU faults pages of one shared region while CPU 0 unmaps and remaps it "
            "(ops: the faults; the remaps' latency is in metrics.workload)."},
           {"processes", "enum", "", "shared", 0, 0, {"shared", "private"},
            "shared: the CPUs are threads of one process (one address space); private: one process per CPU."},
           {"pages", "integer", "", 16, 1, 1e6, {}, "Pages per region (16 = 64 KiB)."},
           {"think_cycles", "number", "cycles", 1000, 0, 1e12, {}, "Mean user-mode work between rounds (exponential)."},
           {"rounds", "integer", "", 100, 1, 1e9, {}, "Rounds each CPU makes."}},
          [](const nlohmann::json& p, const WorkloadContext& ctx) -> std::unique_ptr<Workload> {
            if (p["pattern"] != "local" && p["processes"] != "shared")
              throw ParamError("pattern", "pipeline and global need the CPUs in one process (processes: shared)");
            if (p["pattern"] == "global" && ctx.cores < 2)
              throw ParamError("pattern", "global needs 2 cores or more (CPU 0 remaps, the others fault)");
            return std::make_unique<VmBench>(p);
          },
          WorkloadDrives::DesignOps};
}

WorkloadKind fops_kind() {
  return {"fops",
          "Every CPU opens and closes the same file (FOPS, from \"Non-scalable locks are dangerous\"): path walk of `depth` "
          "directories, then a reference on the file's dentry. op = an open + close.",
          {{"files", "enum", "", "shared", 0, 0, {"shared", "per_cpu"},
            "shared: every CPU opens the same file; per_cpu: each CPU its own file in the same directories."},
           {"depth", "integer", "", 2, 0, 64, {}, "Directories on the path before the file."},
           {"think_cycles", "number", "cycles", 1000, 0, 1e12, {}, "Mean user-mode work between rounds (exponential)."},
           {"rounds", "integer", "", 500, 1, 1e9, {}, "Rounds each CPU makes."}},
          [](const nlohmann::json& p, const WorkloadContext&) -> std::unique_ptr<Workload> {
            return std::make_unique<Fops>(p);
          },
          WorkloadDrives::DesignOps};
}

SMPSIM_REGISTER(WorkloadRegistry, exim_like_kind);
SMPSIM_REGISTER(WorkloadRegistry, pfind_kind);
SMPSIM_REGISTER(WorkloadRegistry, vm_bench_kind);
SMPSIM_REGISTER(WorkloadRegistry, fops_kind);

}  // namespace smpsim
