// vm_bench (mapbench, MOSBENCH's and Clements et al.'s VM benchmarks): every
// CPU maps a region of `pages` pages, touches each page (a page fault), and
// unmaps it, in a loop. `processes`: "shared" puts all CPUs in one address
// space (threads: vmlocal), "private" gives each CPU its own (mempop).
// An op is one map / fault / unmap round.
#include "models/workload/round_barrier.hpp"
#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

class VmBench : public Workload {
 public:
  // vmglobal's faulting CPUs make a fault per op (CPU 0's remaps are not ops)
  // (unmap: CPU 0's ops; the others make none)
  long long ops_per_cpu() const override { return pattern_ == "global" ? rounds_ * pages_ : rounds_; }
  explicit VmBench(const nlohmann::json& p)
      : shared_(p["processes"] == "shared"), populate_(p["fill"] == "populate"), pattern_(p["pattern"]), pages_(p["pages"]),
        think_cycles_(p["think_cycles"]), rounds_(p["rounds"]) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign& design, OpRecorder& rec) override {
    OpArgs a;
    a.v["mm"] = shared_ ? 0 : c.id;
    a.v["mm_home"] = shared_ ? 0 : mem.machine().topo.die_of(c.id);
    a.v["pages"] = pages_;
    rec.warm(c.id, mem.now_ns(c));
    if (pattern_ == "local") local(c, mem, design, rec, a);
    else if (pattern_ == "pipeline") pipeline(c, mem, design, rec, a);
    else if (pattern_ == "unmap") unmap(c, mem, design, rec, a);
    else global(c, mem, design, rec, a);
  }

 private:
  static long long region(int cpu) { return (1LL << 32) + (long long)cpu * (1LL << 30); }  // own page tables

  void map_region(Core& c, KernelDesign& d, OpArgs& a, int owner) {
    a.v["vma"] = owner;
    a.v["addr"] = region(owner);
    d.run_op(c, "mmap", a);
  }
  // Fills every page of the region (a fault each, or MAP_POPULATE's fill in the mmap call), then unmaps it.
  void fault_and_unmap(Core& c, KernelDesign& d, OpArgs& a, int owner) {
    a.v["vma"] = owner;
    for (long long p = 0; p < pages_; ++p) {
      a.v["addr"] = region(owner) + p * 4096;
      d.run_op(c, populate_ ? "populate_page" : "page_fault", a);
    }
    a.v["addr"] = region(owner);
    d.run_op(c, "munmap", a);
  }

  // vmlocal / mempop: each CPU maps, faults and unmaps its own region; with MAP_POPULATE (memmap.c) the kernel
  // fills the pages inside the mmap call (__mm_populate), without a fault's entry and exit per page.
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

  // unmap: one munmap timed while the other CPUs merely hold the mapping. Per round CPU 0 maps the region and
  // faults its pages in, every other CPU touches them (its TLB holds their translations), and CPU 0 unmaps the
  // region: the op, its shootdown included. The others wait at the next round's barrier meanwhile (blocked,
  // taking interrupts and messages).
  void unmap(Core& c, MemorySystem& mem, KernelDesign& d, OpRecorder& rec, OpArgs& a) {
    if (!barrier_) barrier_ = std::make_unique<RoundBarrier>(mem.cores());
    a.v["vma"] = 0;
    for (long long r = 0; r < rounds_; ++r) {
      barrier_->arrive_and_wait(c, mem);
      if (c.id == 0) {
        map_region(c, d, a, 0);
        for (long long p = 0; p < pages_; ++p) {
          a.v["addr"] = region(0) + p * 4096;
          d.run_op(c, "page_fault", a);
        }
      }
      barrier_->arrive_and_wait(c, mem);
      if (c.id != 0) {
        for (long long p = 0; p < pages_; ++p) {
          a.v["addr"] = region(0) + p * 4096;
          d.run_op(c, "touch_page", a);
        }
      }
      barrier_->arrive_and_wait(c, mem);
      if (c.id == 0) {
        mem.compute(c, c.rng.exponential(think_cycles_), CpuState::User);
        const double t0 = mem.now_ns(c);
        a.v["addr"] = region(0);
        d.run_op(c, "munmap", a);
        rec.op_done(c.id, mem.now_ns(c), t0);
      }
    }
  }

  bool shared_, populate_;
  std::string pattern_;
  long long pages_;
  double think_cycles_;
  long long rounds_;
  std::vector<LineId> mailbox_;
  std::unique_ptr<RoundBarrier> barrier_;
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

// exim_like (MOSBENCH's exim, Boyd-Wickizer et al., OSDI 2010): one op is one SMTP message, the system calls
// Exim 4.71 makes for it as MOSBENCH configures it (docs/workloads/exim.md): every messages_per_connection
// messages the daemon forks a receiving process; per message that process creates the data (-D), header and
// message-log files in its spool directories (picked from its pid), renames the header into place, appends to
// the shared main log, and forks the delivery process and waits for it; that one opens the spool files, creates
// the journal (-J), forks the local-delivery process (which appends to the user's mailbox and exits), logs,
// unlinks the four spool files and exits.
class EximLike : public Workload {
 public:
  long long ops_per_cpu() const override { return rounds_; }
  explicit EximLike(const nlohmann::json& p)
      : dirs_(p["spool_dirs"]), per_connection_(p["messages_per_connection"]), vmas_(p["vmas"]), pages_(p["pages"]),
        depth_(p["path_depth"]), message_bytes_(p["message_bytes"]), think_cycles_(p["think_cycles"]),
        rounds_(p["rounds"]) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign& design, OpRecorder& rec) override {
    // Address spaces: the daemon 0; this CPU's receiving, delivery and local-delivery processes.
    const long long daemon = 0, receiver = 1000 + c.id, delivery = 2000 + c.id, local = 3000 + c.id;
    // Files: the shared main log 0, the user's mailbox (a user per client: per CPU), this CPU's spool files.
    const long long mainlog = 0, mailbox = 100000 + c.id, spool_file = 200000 + 8LL * c.id;
    long long in_dir = 0, log_dir = 0;
    auto op = [&](const char* name, std::initializer_list<std::pair<const char*, long long>> args) {
      OpArgs a;
      a.v["vmas"] = vmas_;
      a.v["pages"] = pages_;
      a.v["depth"] = depth_;
      for (const auto& [k, v] : args) a.v[k] = v;
      design.run_op(c, name, a);
    };
    auto write = [&](long long file) { op("file_write", {{"file", file}, {"bytes", message_bytes_}}); };
    rec.warm(c.id, mem.now_ns(c));
    for (long long r = 0; r < rounds_; ++r) {
      mem.compute(c, c.rng.exponential(think_cycles_), CpuState::User);
      const double t0 = mem.now_ns(c);
      if (r % per_connection_ == 0) {  // a new connection: the daemon forks its receiving process
        op("fork", {{"mm", daemon}, {"child", receiver}});
        const long long sub = (long long)c.rng.below(uint64_t(dirs_));  // split_spool_directory, by pid
        in_dir = sub;
        log_dir = dirs_ + sub;
      }
      // The receiving process: -D (kept open), the header written and renamed to -H, the message log.
      op("create", {{"mm", receiver}, {"dir", in_dir}});
      write(spool_file);
      op("create", {{"mm", receiver}, {"dir", in_dir}});
      write(spool_file + 1);
      op("close", {{"file", spool_file + 1}});
      op("rename", {{"mm", receiver}, {"dir", in_dir}});
      op("create", {{"mm", receiver}, {"dir", log_dir}});
      write(spool_file + 2);
      op("close", {{"file", spool_file + 2}});
      write(mainlog);
      // The delivery process (synchronous delivery: the receiver waits for it).
      op("fork", {{"mm", receiver}, {"child", delivery}});
      op("open", {{"file", spool_file}});
      op("open", {{"file", spool_file + 1}});
      op("file_read", {{"file", spool_file + 1}, {"bytes", message_bytes_}});
      op("close", {{"file", spool_file + 1}});
      op("create", {{"mm", delivery}, {"dir", in_dir}});  // -J
      // The local-delivery process: the mailbox appended under its fcntl lock.
      op("fork", {{"mm", delivery}, {"child", local}});
      op("stat", {{"file", mailbox}});
      op("open", {{"file", mailbox}});
      write(mailbox);
      op("close", {{"file", mailbox}});
      op("exit", {{"mm", delivery}, {"child", local}});
      write(spool_file + 3);
      write(mainlog);
      op("unlink", {{"mm", delivery}, {"dir", log_dir}});
      op("unlink", {{"mm", delivery}, {"dir", in_dir}});
      op("unlink", {{"mm", delivery}, {"dir", in_dir}});
      write(mainlog);
      op("close", {{"file", spool_file + 3}});
      op("unlink", {{"mm", delivery}, {"dir", in_dir}});
      op("close", {{"file", spool_file}});
      op("exit", {{"mm", receiver}, {"child", delivery}});
      op("close", {{"file", spool_file}});  // the receiver's -D
      if ((r + 1) % per_connection_ == 0 || r + 1 == rounds_) op("exit", {{"mm", daemon}, {"child", receiver}});
      rec.op_done(c.id, mem.now_ns(c), t0);
    }
  }

 private:
  long long dirs_, per_connection_, vmas_, pages_, depth_, message_bytes_;
  double think_cycles_;
  long long rounds_;
};

// pfind (parallel find, "Non-scalable locks are dangerous", 2012): one find per CPU, each searching its own
// subtree of a shared search root (subtrees: per_cpu), or every CPU reading the same directories (shared).
// One op = one directory: opened by a walk of `depth` components (the search root's ancestors are shared by
// every CPU), read with getdents (the entries), closed; then find's user work per entry (matching the name).
class Pfind : public Workload {
 public:
  long long ops_per_cpu() const override { return rounds_; }
  explicit Pfind(const nlohmann::json& p)
      : per_cpu_(p["subtrees"] == "per_cpu"), dirs_(p["dirs"]), entries_(p["entries"]), depth_(p["depth"]),
        entry_cycles_(p["entry_cycles"]), rounds_(p["rounds"]) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign& design, OpRecorder& rec) override {
    OpArgs a;
    a.v["entries"] = entries_;
    a.v["depth"] = depth_;
    rec.warm(c.id, mem.now_ns(c));
    for (long long r = 0; r < rounds_; ++r) {
      const double t0 = mem.now_ns(c);
      // the directory: its inode (spool) and its dentry (file), the CPU's own or one every CPU reads
      const long long dir = per_cpu_ ? c.id * dirs_ + r % dirs_ : (c.id + r) % dirs_;
      a.v["dir"] = dir;
      a.v["file"] = dir;
      design.run_op(c, "open", a);
      design.run_op(c, "readdir", a);
      design.run_op(c, "close", a);
      mem.compute(c, double(entries_) * entry_cycles_, CpuState::User);
      rec.op_done(c.id, mem.now_ns(c), t0);
    }
  }

 private:
  bool per_cpu_;
  long long dirs_, entries_, depth_;
  double entry_cycles_;
  long long rounds_;
};

}  // namespace

WorkloadKind exim_like_kind() {
  return {"exim_like",
          "MOSBENCH's exim (OSDI 2010) as MOSBENCH configures Exim 4.71: per message 2 forks and exits (delivery, "
          "local delivery) and a tenth of the daemon's per-connection fork, 4 spool files created and unlinked, 1 "
          "rename, appends to the shared main log and the user's mailbox. op = a message (docs/workloads/exim.md).",
          {{"spool_dirs", "integer", "", 62, 1, 1e6, {},
            "Spool subdirectories under input/ and msglog/ (split_spool_directory, picked by the receiving process's "
            "pid: MOSBENCH's patch gives 62)."},
           {"messages_per_connection", "integer", "", 10, 1, 1e6, {},
            "Messages each SMTP connection sends (MOSBENCH's smtpbm: 10); the daemon forks a receiving process per "
            "connection."},
           {"vmas", "integer", "", 16, 1, 1e4, {},
            "VMAs of each Exim process, copied at fork and freed at exit (an estimate: a dynamically linked daemon)."},
           {"pages", "integer", "", 100, 0, 1e6, {},
            "Page-table entries copied at fork and freed at exit (an estimate, as lmbench's process in "
            "docs/design/kernel-costs.md)."},
           {"path_depth", "integer", "", 4, 0, 64, {},
            "Directories above a spool file or mailbox in its path (/tmp/mosbench/tmpfs-separate/spool/input/c)."},
           {"message_bytes", "integer", "", 1024, 0, 1e9, {},
            "Bytes written to each spool file, the log and the mailbox per message (an 8-byte body with Exim's "
            "headers: about 0.5-1 KB, inferred)."},
           {"think_cycles", "number", "cycles", 20000, 0, 1e12, {},
            "Mean user-mode work per message (exponential): SMTP parsing, routing, Berkeley DB; an estimate, no "
            "measurement found."},
           {"rounds", "integer", "", 50, 1, 1e9, {}, "Messages each CPU delivers."}},
          [](const nlohmann::json& p, const WorkloadContext&) -> std::unique_ptr<Workload> {
            return std::make_unique<EximLike>(p);
          },
          WorkloadDrives::DesignOps};
}

WorkloadKind pfind_kind() {
  return {"pfind",
          "Parallel find: one find per CPU, each searching its own subtree of a shared search root (or every CPU "
          "the same directories): per directory an open, a getdents, a close and the user work per entry. op = "
          "one directory (docs/workloads/exim.md).",
          {{"subtrees", "enum", "", "per_cpu", 0, 0, {"per_cpu", "shared"},
            "per_cpu: each CPU searches its own subtree (its own directories under the shared root); shared: "
            "every CPU reads the same directories."},
           {"dirs", "integer", "", 16, 1, 1e6, {}, "Directories in a subtree (per CPU with per_cpu)."},
           {"entries", "integer", "", 8, 0, 1e6, {}, "Entries per directory (getdents, then find's match)."},
           {"depth", "integer", "", 2, 0, 64, {},
            "Directories walked to open one (the search root's ancestors, shared by every CPU)."},
           {"entry_cycles", "number", "cycles", 300, 0, 1e9, {},
            "find's user work per entry (fts bookkeeping, the name match); an estimate, no measurement found."},
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
          {{"pattern", "enum", "", "local", 0, 0, {"local", "pipeline", "global", "unmap"},
            "local: each CPU maps, faults and unmaps its own region; pipeline: CPU i maps, CPU i+1 faults and "
            "unmaps; global: every CPU faults pages of one shared region while CPU 0 unmaps and remaps it "
            "(ops: the faults; the remaps' latency is in metrics.workload); unmap: CPU 0 unmaps a region every "
            "other CPU holds translations of, nothing else in the timed section (op: the munmap, its shootdown "
            "included; the map, faults and touches between are not timed)."},
           {"processes", "enum", "", "shared", 0, 0, {"shared", "private"},
            "shared: the CPUs are threads of one process (one address space); private: one process per CPU."},
           {"pages", "integer", "", 16, 1, 1e6, {}, "Pages per region (16 = 64 KiB)."},
           {"fill", "enum", "", "faults", 0, 0, {"faults", "populate"},
            "How the pages get filled: faults (touched after mmap, a page fault each) or populate (mmap with "
            "MAP_POPULATE, as MOSBENCH's memmap.c: the kernel fills them in the mmap call, no fault entry and exit; "
            "pattern local only)."},
           {"think_cycles", "number", "cycles", 1000, 0, 1e12, {}, "Mean user-mode work between rounds (exponential)."},
           {"rounds", "integer", "", 100, 1, 1e9, {}, "Rounds each CPU makes."}},
          [](const nlohmann::json& p, const WorkloadContext& ctx) -> std::unique_ptr<Workload> {
            if (p["pattern"] != "local" && p["processes"] != "shared")
              throw ParamError("pattern", "pipeline, global and unmap need the CPUs in one process (processes: shared)");
            if (p["fill"] == "populate" && p["pattern"] != "local")
              throw ParamError("fill", "populate is for pattern local (each CPU maps and fills its own region)");
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
