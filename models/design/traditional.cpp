// The traditional design: one kernel instance across all CPUs; every kernel
// object is shared and protected by its own lock, as Linux does it. Its
// operations are recipes (traditional_recipes.cpp) run over kernel objects
// (kernel_objects.hpp); a scenario may change any lock's kind and replace any
// recipe.
#include <fmt/format.h>

#include <deque>
#include <set>
#include <stdexcept>

#include "models/cpu/tlb_ops.hpp"
#include "models/design/kernel_design.hpp"
#include "models/design/kernel_objects.hpp"
#include "models/design/message_shootdown.hpp"
#include "models/design/partition.hpp"
#include "models/design/port_costs.hpp"
#include "models/design/recipe.hpp"
#include "models/design/traditional_recipes.hpp"
#include "engine/json_reader.hpp"
#include "models/sync/lock.hpp"

namespace smpsim {
namespace {

const std::set<std::string>& object_classes() {
  static const std::set<std::string> o = {"mm",  "vma",    "pt",   "mm_cpu", "zone", "pcp",   "dir", "dentry",
                                          "file", "child", "anon_vma", "rq", "spool", "sb", "mapping", "page"};
  return o;
}

// Default lock kinds, per class and field: Linux's choices.
std::map<std::string, std::string> default_lock_kinds() {
  return {{"mm.mmap_sem", "rwsem"},
          {"vma.lock", "rwsem"},
          {"pt.ptl", "qspinlock"},
          {"zone.lock", "qspinlock"},
          {"mm.free_space_lock", "qspinlock"},
          {"rq.lock", "qspinlock"},
          {"anon_vma.lock", "qspinlock"},
          {"spool.i_rwsem", "rwsem"},
          {"sb.mount_lock", "seqlock"},
          {"page.lock", "qspinlock"},
          {"mapping.xa_lock", "qspinlock"}};
}

struct Explain {
  std::vector<nlohmann::json> steps;
};

class Traditional : public KernelDesign {
 public:
  Traditional(const DesignSpec& spec, MemorySystem& mem)
      : mem_(mem), objs_(mem, lock_kinds(spec.params)), per_node_zones_(spec.params["zones"] == "per_node"),
        precise_shootdown_(spec.params["shootdown"] == "precise"), kind_(spec.kind),
        part_(make_partition(spec.params, mem.cores())), instances_(part_.instances()),
        xcall_fs_(spec.params.value("fs_access", "xcall") == "xcall"),
        xcall_mm_(spec.params.value("shared_mm", "per_instance") == "xcall"),
        ports_(spec.kind == "msgport" ? std::make_unique<PortCosts>(spec.params, mem) : nullptr),
        msg_shootdown_(spec.kind == "msgport" && spec.params.value("shootdown_messages", "ipi") != "ipi"
                           ? std::make_unique<MessageShootdown>(mem, spec.params["shootdown_messages"].get<std::string>(),
                                                                spec.params.value("shootdown_message_cycles", 40.0))
                           : nullptr),
        doors_(size_t(mem.cores())), in_kernel_(size_t(mem.cores()), 0), xcall_seq_(size_t(mem.cores()), 0) {
    if (spec.params.contains("async_ops")) async_ops_ = spec.params["async_ops"].get<std::set<std::string>>();
    int next_id = 0;
    static const std::string file = "<design>";
    for (auto& [op, steps] : spec.params["recipes"].items())
      recipes_[op] = parse_recipe(steps, "/design/recipes/" + op, file, object_classes(), &next_id);
    // Wake-ups of sleeping tasks (mutexes, rwsems, ...) go through the
    // scheduler's recipe: the target CPU's run queue, under its lock.
    if (Trace* tr = mem_.trace(); tr && instances_ > 1)
      for (int cpu = 0; cpu < mem_.cores(); ++cpu)
        tr->set_process(cpu, part_.instance_of(cpu) + 1, fmt::format("instance {}", part_.instance_of(cpu)));
    mem_.set_wake_hook([this](Core& waker, int target) {
      OpArgs a;
      a.v["target"] = target;
      exec(waker, recipes_.at("wake_up"), a, nullptr, 0, "wake_up");
    });
  }
  ~Traditional() override { mem_.set_wake_hook(nullptr); }
  const char* kind() const override { return kind_.c_str(); }

  Lock& lock_for(const std::string& object, const std::string& lock_kind) override {
    auto it = by_object_.find(object);
    if (it != by_object_.end()) return *locks_[it->second];
    locks_.push_back(make_lock(lock_kind, object, mem_, /*home_die=*/0));
    by_object_[object] = locks_.size() - 1;
    return *locks_.back();
  }

  bool has_op(const std::string& op) const override { return recipes_.count(op) > 0; }

  void run_op(Core& c, const std::string& op, const OpArgs& args) override {
    auto it = recipes_.find(op);
    if (it == recipes_.end()) throw std::logic_error("the design has no op " + op);
    // The op starts when the work before it (and interrupts meanwhile) is
    // done; until then the CPU is not in the kernel, so cross calls that
    // arrive are served at once.
    mem_.flush(c);
    // ccCluster: an operation on the shared file system whose home is another
    // instance is a cross-instance call (doors style).
    const int server = route(c, op, args);
    AddressSpace& as = address_space(args.get("mm"));
    if (server >= 0 && server != c.id) {
      ++in_kernel_[size_t(c.id)];
      const bool vm = vm_ops().count(op) > 0;
      if (vm && !as.cpus_ran.count(c.id)) switch_mm(mem_, c, as);
      if (ports_) ports_->send(c, op);
      if (async_ops_.count(op)) {
        sendmsg(c, server, op, args);
        --in_kernel_[size_t(c.id)];
        serve_doors(c);
        return;
      }
      xcall(c, server, op, args);
      // A fault served at the home instance: the caller loads the new
      // translation when it retries the access.
      if (vm && (op == "page_fault" || op == "file_fault")) c.tlb.insert(as.asid, uint64_t(args.get("addr")) >> 12);
      --in_kernel_[size_t(c.id)];
      serve_doors(c);
      return;
    }
    ++in_kernel_[size_t(c.id)];
    if (!as.cpus_ran.count(c.id)) switch_mm(mem_, c, as);
    Explain* ex = nullptr;
    Explain local;
    if (c.id == 0 && op == explain_op_) ex = &local;
    mem_.flush(c);  // switch_mm's private work
    const double t0 = mem_.now_ns(c);
    const bool local_message = ports_ && server == c.id;  // msgport: a message to our own port
    if (local_message) {
      ++c.counters.messages_local;
      ports_->send(c, op);
      ports_->receive(c, c.id, op);
    }
    exec(c, it->second, args, ex, 0, op);
    if (local_message) ports_->reply(c, op);
    if (Trace* tr = mem_.trace()) tr->complete(c.id, op, "op", t0, mem_.now_ns(c));
    if (ex) explained_ = {{"op", op}, {"cpu", c.id}, {"total_ns", mem_.now_ns(c) - t0}, {"steps", ex->steps}};
    --in_kernel_[size_t(c.id)];
    serve_doors(c);  // requests that arrived while this CPU was in the kernel
  }

  std::vector<nlohmann::json> lock_rows() const override {
    std::vector<nlohmann::json> rows = objs_.class_rows();
    // lock_stat's contention points: which op waited, how often, how long.
    for (nlohmann::json& r : rows) {
      auto it = points_.find(r["name"].get<std::string>());
      nlohmann::json pts = nlohmann::json::array();
      if (it != points_.end()) {
        std::vector<std::pair<std::string, std::pair<long long, double>>> v(it->second.begin(), it->second.end());
        std::stable_sort(v.begin(), v.end(), [](const auto& x, const auto& y) { return x.second.second > y.second.second; });
        for (const auto& [op, cw] : v) pts.push_back({{"op", op}, {"contentions", cw.first}, {"waittime_total_ns", cw.second}});
      }
      r["contention_points"] = pts;
    }
    for (const auto& l : locks_) {
      nlohmann::json j = lock_stats_json(l->name(), l->kind(), l->stats());
      j["line_transfers"] = l->line_transfers();
      rows.insert(rows.begin(), j);
    }
    return rows;
  }
  std::vector<nlohmann::json> lock_instance_rows() const override { return objs_.instance_rows(); }
  long long lock_objects() const override { return objs_.lock_count() + (long long)locks_.size(); }

  void explain(const std::string& op) override { explain_op_ = op; }
  nlohmann::json explanation() const override { return explained_; }

 private:
  static std::map<std::string, std::string> lock_kinds(const nlohmann::json& params) {
    std::map<std::string, std::string> k = default_lock_kinds();
    for (auto& [name, kind] : params["locks"].items()) k[name] = kind.get<std::string>();
    return k;
  }

  AddressSpace& address_space(long long mm) {
    auto it = spaces_.find(mm);
    if (it == spaces_.end()) {
      it = spaces_.emplace(mm, AddressSpace{}).first;
      it->second.asid = uint64_t(mm) + 1;
    }
    return it->second;
  }

  // The instance of an object class an op's arguments designate, and its home node.
  // ccCluster geometry: the active CPUs in `instances` contiguous blocks (one
  // socket each when every CPU is active and instances = sockets); an
  // instance's memory is its first CPU's die.
  static Partition make_partition(const nlohmann::json& params, int active_cpus) {
    if (params.contains("cpus")) return Partition::lists(params["cpus"].get<std::vector<std::vector<int>>>(), active_cpus);
    return Partition::blocks(active_cpus, params.value("instances", 1));
  }
  int instance_of(int cpu) const { return part_.instance_of(cpu); }
  int first_cpu(int k) const { return part_.first_cpu(k); }
  int instance_die(int k) const { return mem_.machine().topo.die_of(first_cpu(k)); }
  // Objects of instance k are named k<k>.NAME when there are several.
  std::string in(int k, const std::string& name) const {
    return instances_ > 1 ? fmt::format("k{}.{}", k, name) : name;
  }
  static const std::set<std::string>& vm_ops() {
    static const std::set<std::string> o = {"page_fault", "mmap", "munmap", "mprotect", "file_fault"};
    return o;
  }
  // The home instance of an address space when one space spans instances
  // (shared_mm = xcall): the instance that touched it first.
  int mm_home(const Core& c, long long mm) const {
    if (!xcall_mm_ || instances_ == 1) return instance_of(c.id);
    return mm_home_.emplace(mm, instance_of(c.id)).first->second;
  }
  static const std::set<std::string>& fs_ops() { return fs_service_ops(); }
  // The home instance of the file or directory an op names: the instance
  // that touched it first (first touch, deterministic in simulated order).
  int fs_home(const Core& c, const OpArgs& a) const {
    if (instances_ == 1) return 0;
    const bool file = a.v.count("file") > 0;
    if (!file && !a.v.count("dir")) return instance_of(c.id);
    auto& homes = file ? file_home_ : dir_home_;
    return homes.emplace(a.get(file ? "file" : "dir"), instance_of(c.id)).first->second;
  }

  // The instance of an object class an op's arguments designate, and its home node.
  std::pair<std::string, int> instance(const Core& c, const std::string& cls, const OpArgs& a) const {
    const Topology& t = mem_.machine().topo;
    const long long mm = a.get("mm");
    const int k = instance_of(c.id);  // per-kernel objects: the running CPU's instance
    if (cls == "mm" || cls == "vma" || cls == "pt" || cls == "anon_vma") {
      // An address space lives in one instance: the running CPU's (each
      // instance runs its own copy of a process), or its home (shared_mm).
      const int h = mm_home(c, mm);
      const int mm_home = instances_ > 1 ? instance_die(h) : int(a.get("mm_home", 0));
      if (cls == "mm") return {in(h, fmt::format("mm{}", mm)), mm_home};
      if (cls == "vma") return {in(h, fmt::format("mm{}.vma{}", mm, a.get("vma"))), mm_home};
      if (cls == "pt") return {in(h, fmt::format("mm{}.pt{}", mm, a.get("addr") >> 21)), mm_home};
      return {in(h, fmt::format("mm{}.anon_vma", mm)), mm_home};
    }
    const int mm_home = instances_ > 1 ? instance_die(k) : int(a.get("mm_home", 0));
    if (cls == "mm") return {in(k, fmt::format("mm{}", mm)), mm_home};
    if (cls == "vma") return {in(k, fmt::format("mm{}.vma{}", mm, a.get("vma"))), mm_home};
    if (cls == "pt") return {in(k, fmt::format("mm{}.pt{}", mm, a.get("addr") >> 21)), mm_home};
    if (cls == "mm_cpu") return {in(k, fmt::format("mm{}.cpu{}", mm, c.id)), t.die_of(c.id)};
    if (cls == "zone") {
      const int node = per_node_zones_ ? t.die_of(c.id) : instance_die(k);
      return {in(k, fmt::format("zone{}", node)), node};
    }
    if (cls == "pcp") return {fmt::format("cpu{}.pcp", c.id), t.die_of(c.id)};
    if (cls == "child") return {in(k, fmt::format("mm{}", a.get("child"))), t.die_of(c.id)};
    if (cls == "anon_vma") return {in(k, fmt::format("mm{}.anon_vma", mm)), mm_home};
    if (cls == "rq") {
      const int target = int(a.get("target", c.id));
      return {fmt::format("cpu{}.rq", target), t.die_of(target)};
    }
    // Each instance caches the path's directories and its mount table itself.
    if (cls == "dir") return {in(k, "dir0"), instance_die(k)};
    if (cls == "sb") return {in(k, "sb0"), instance_die(k)};
    // The shared (cluster) file system: a file's objects live at its home instance.
    const int h = fs_home(c, a);
    const int fs_die = instance_die(h);
    if (cls == "spool") return {in(h, fmt::format("spool{}", a.get("dir"))), fs_die};
    if (cls == "mapping") return {in(h, fmt::format("file{}.mapping", a.get("file"))), fs_die};
    if (cls == "page") return {in(h, fmt::format("file{}.page{}", a.get("file"), a.get("addr") >> 12)), fs_die};
    if (cls == "dentry") return {in(h, fmt::format("dentry{}", a.get("file"))), fs_die};
    return {in(h, fmt::format("file{}", a.get("file"))), fs_die};
  }

  // ---- Cross-instance calls (doors) ----
  struct Door {
    std::string op;
    OpArgs args;
    int caller;
    uint64_t seq;
    int slot;  // the caller's request and reply lines (one pair per outstanding call)
  };
  // A door op that is not a recipe: shoot down the TLBs of the server's instance.
  static constexpr const char* kShootdownDoor = "tlb_shootdown_instance";

  // The caller writes its request line, interrupts a CPU of the home instance
  // and waits for the reply line, serving calls made to it meanwhile.
  // Where an op runs: -1 here; else the CPU that serves it.
  //  - ccCluster: a file-system op whose home is another instance goes to a
  //    CPU of that instance (spread over it by the caller's place in its own);
  //  - msgport: every VM and file-system op goes to the owner CPU of its
  //    object (address space, file or directory), placed by hash.
  int route(const Core& c, const std::string& op, const OpArgs& a) const {
    if (ports_) {  // msgport
      long long obj;
      if (vm_ops().count(op)) obj = a.get("mm") * 7919 + 1;
      else if (fs_ops().count(op)) obj = a.v.count("file") ? a.get("file") * 31 + 2 : a.get("dir") * 31 + 3;
      else return -1;
      return int(obj % mem_.cores());
    }
    if (instances_ == 1) return -1;
    int home;
    if (xcall_fs_ && fs_ops().count(op)) home = fs_home(c, a);
    else if (xcall_mm_ && vm_ops().count(op)) home = mm_home(c, a.get("mm"));
    else return -1;
    if (home == instance_of(c.id)) return -1;
    return server_in(home, c);
  }
  // The CPU of instance `home` that serves c's calls: spread over the
  // instance by c's place in its own.
  int server_in(int home, const Core& c) const {
    const std::vector<int>& cpus = part_.cpus(home);
    return cpus[size_t(part_.rank(c.id)) % cpus.size()];
  }

  LineId door_line(int caller, const char* field, int slot) {
    return objs_.line(fmt::format("cpu{}", caller), field, slot, mem_.machine().topo.die_of(caller));
  }

  void xcall(Core& c, int server, const std::string& op, const OpArgs& args) {
    const double t0 = mem_.now_ns(c);
    const uint64_t seq = xcall_start(c, server, op, args, 0);
    xcall_wait(c, 0, seq);
    c.counters.xcall_wait_ns += mem_.now_ns(c) - t0;
  }
  // msgport's sendmsg: the request goes and the caller goes on; its reply
  // port is one of kAsyncSlots reply lines, waited for only when the slot is
  // needed again (a bounded number of messages in flight per CPU).
  static constexpr int kAsyncSlots = 4, kAsyncSlot0 = 100;  // slots 0.. are for waited calls
  void sendmsg(Core& c, int server, const std::string& op, const OpArgs& args) {
    int& next = async_next_[c.id];
    const int slot = kAsyncSlot0 + next;
    next = (next + 1) % kAsyncSlots;
    auto it = async_pending_.find({c.id, slot});
    if (it != async_pending_.end()) xcall_wait(c, slot, it->second);  // the port's previous reply
    const double t0 = mem_.now_ns(c);
    async_pending_[{c.id, slot}] = xcall_start(c, server, op, args, slot);
    c.counters.xcall_wait_ns += mem_.now_ns(c) - t0;
  }

  // Writes the request line of `slot` and interrupts the server.
  uint64_t xcall_start(Core& c, int server, const std::string& op, const OpArgs& args, int slot) {
    const uint64_t seq = ++xcall_seq_[size_t(c.id)];
    ++c.counters.xcalls;
    mem_.store(c, door_line(c.id, "xcall_req", slot), 0, seq);
    Door d{op, args, c.id, seq, slot};
    mem_.send_ipi(c, {server}, [this, d](Core& s) { door_arrives(s, d); });
    return seq;
  }
  // Spins on the reply line of `slot`; every kPollCycles, serves calls made
  // to this CPU (two instances calling each other would otherwise wait for ever).
  // A wait inside a recipe that holds locks serves only lock-free calls (a
  // recipe call could need a lock the waiter holds: a deadlock no real
  // kernel would have, since there the call runs in another thread).
  void xcall_wait(Core& c, int slot, uint64_t seq, bool lockfree_only = false) {
    constexpr double kPollCycles = 2000;
    const LineId rep = door_line(c.id, "xcall_rep", slot);
    uint64_t v = 0;
    while (!mem_.spin_until_deadline(c, rep, 0, [seq](uint64_t x) { return x == seq; },
                                     mem_.now_ns(c) + mem_.machine().ns(kPollCycles), &v))
      serve_doors(c, lockfree_only);
  }

  // A shootdown of an address space that CPUs of several instances ran: the
  // initiator IPIs the CPUs of its own instance, and makes one cross call to
  // each other instance, whose server IPIs its own CPUs (McVoy: the
  // shootdown is a cross call). The calls go out together; then it waits
  // for every reply. Returns the number of CPUs shot down; *calls gets the
  // number of cross calls.
  int cross_instance_shootdown(Core& c, AddressSpace& as, const std::vector<uint64_t>& pages, const OpArgs& a,
                               int* ncalls) {
    const int k = instance_of(c.id);
    int targets = tlb_shootdown(mem_, c, as, pages, false, precise_shootdown_,
                                [this, k](int cpu) { return instance_of(cpu) == k; });
    std::set<int> remote;
    for (int cpu : as.cpus_ran)
      if (instance_of(cpu) != k) {
        remote.insert(instance_of(cpu));
        ++targets;
      }
    const double t0 = mem_.now_ns(c);
    std::vector<std::pair<int, uint64_t>> calls;
    int slot = 1;  // slot 0 is the call this op may itself be serving for
    for (int r : remote) {
      calls.emplace_back(slot, xcall_start(c, server_in(r, c), kShootdownDoor, a, slot));
      ++slot;
    }
    for (const auto& [sl, seq] : calls) xcall_wait(c, sl, seq, /*lockfree_only=*/true);
    *ncalls = int(calls.size());
    c.counters.xcall_wait_ns += mem_.now_ns(c) - t0;
    return targets;
  }

  // In the IPI handler: serve at once if the CPU is outside the kernel (user
  // mode or idle), as a doors server thread would be scheduled; else queue
  // the call for the CPU's next kernel exit.
  void door_arrives(Core& s, const Door& d) {
    if (in_kernel_[size_t(s.id)]) {
      doors_[size_t(s.id)].push_back(d);
      return;
    }
    // The call runs in the server's kernel with interrupts enabled (it may
    // sleep, and be woken by an IPI).
    s.in_irq = false;
    const CpuState saved = s.stall_state;
    s.stall_state = CpuState::Stall;
    serve(s, d);
    serve_doors(s);  // calls that arrived meanwhile were queued: this CPU may not enter the kernel again
    s.stall_state = saved;
    s.in_irq = true;
  }

  void serve(Core& s, const Door& d) {
    ++in_kernel_[size_t(s.id)];
    ++s.counters.xcalls_served;
    mem_.load(s, door_line(d.caller, "xcall_req", d.slot), 0);
    if (d.op == kShootdownDoor) {
      const int k = instance_of(s.id);
      tlb_shootdown(mem_, s, address_space(d.args.get("mm")), shootdown_pages(d.args), false, precise_shootdown_,
                    [this, k](int cpu) { return instance_of(cpu) == k; });
    } else {
      if (ports_) ports_->receive(s, d.caller, d.op);
      exec(s, recipes_.at(d.op), d.args, nullptr, 0, d.op);
      if (ports_) ports_->reply(s, d.op);
    }
    mem_.store(s, door_line(d.caller, "xcall_rep", d.slot), 0, d.seq);
    --in_kernel_[size_t(s.id)];
  }

  void serve_doors(Core& s, bool lockfree_only = false) {
    if (lockfree_only) {
      auto& q = doors_[size_t(s.id)];
      for (auto it = q.begin(); it != q.end();) {
        if (it->op != kShootdownDoor) {
          ++it;
          continue;
        }
        const Door d = *it;
        q.erase(it);
        serve(s, d);
        it = q.begin();  // serving may have queued more
      }
      return;
    }
    if (in_kernel_[size_t(s.id)] > 1) return;  // only at the outermost level
    while (!doors_[size_t(s.id)].empty()) {
      const Door d = doors_[size_t(s.id)].front();
      doors_[size_t(s.id)].pop_front();
      serve(s, d);
    }
  }

  static std::vector<uint64_t> shootdown_pages(const OpArgs& a) {
    std::vector<uint64_t> pages;
    const uint64_t first = uint64_t(a.get("addr")) >> 12;
    for (long long i = 0; i < std::max(1LL, a.get("pages", 1)); ++i) pages.push_back(first + uint64_t(i));
    return pages;
  }

  std::string describe_access(const Core& c) const {
    const AccessResult& r = c.last;
    if (r.hit) return fmt::format("hit, {} cycles", r.latency_cycles);
    const std::string from = r.from_memory ? "memory" : r.from_core >= 0 ? "CPU " + std::to_string(r.from_core) : "sharers";
    return fmt::format("miss on {}: {} from {} ({}), {} cycles, queued {:.1f} ns", state_name(r.prev),
                       r.invalidations ? fmt::format("{} copies invalidated", r.invalidations) : "line",
                       from, distance_name(r.dist), r.latency_cycles, r.start_ns - r.request_ns);
  }

  // `where`: the recipe the steps belong to (lock_stat's contention point).
  void exec(Core& c, const Recipe& recipe, const OpArgs& a, Explain* ex, int depth, const std::string& where) {
    for (const Step& s : recipe) {
      const double t0 = mem_.now_ns(c);
      const size_t slot = ex ? ex->steps.size() : 0;  // a step is listed before the steps inside it
      if (ex) ex->steps.push_back(nullptr);
      std::string what, detail;  // for --explain only (formatting them costs more than the step)
      switch (s.kind) {
        case Step::Kind::Lock: {
          const auto [inst, home] = instance(c, s.object, a);
          if (ex)
            what = fmt::format("lock {}.{} ({}{})", inst, s.field, objs_.lock_kind(s.object, s.field),
                               s.mode == "exclusive" ? "" : ", " + s.mode);
          double body_start = 0;
          auto body = [&] {
            body_start = mem_.now_ns(c);
            exec(c, s.body, a, ex, depth + 1, where);
          };
          bool contended = false;
          std::string cls = s.object + "." + s.field;
          if (objs_.is_rw(s.object, s.field)) {
            ReadMostly& rw = objs_.rw_lock(inst, s.object, s.field);
            // the deadlock detector's graph: waiting until the body starts, holding while it runs
            mem_.waits().want(c.id, &rw, fmt::format("{}.{}-{}", inst, s.field, s.mode == "read" ? "R" : "W"));
            auto held_body = [&] {
              mem_.waits().got(c.id, &rw);
              body();
              mem_.waits().released(c.id, &rw);
            };
            if (s.mode == "read") rw.read(c, held_body);
            else rw.write(c, held_body);
            contended = rw.last_contended(c.id);
            cls += s.mode == "read" ? "-R" : "-W";
          } else {
            Lock& l = objs_.lock(inst, s.object, s.field, home);
            contended = l.acquire(c);
            body();
            l.release(c);
          }
          if (contended) {
            auto& p = points_[cls][where];
            ++p.first;
            p.second += body_start - t0;
          }
          if (ex) detail = fmt::format("acquired after {:.1f} ns", body_start - t0);
          break;
        }
        case Step::Kind::Read:
        case Step::Kind::Write:
        case Step::Kind::Atomic: {
          const auto [inst, home] = instance(c, s.object, a);
          for (int i = 0; i < s.lines; ++i) {
            const LineId l = objs_.line(inst, s.field, i, home);
            if (s.kind == Step::Kind::Read) mem_.load(c, l, 0);
            else if (s.kind == Step::Kind::Write) mem_.store(c, l, 0, uint64_t(c.id));
            else mem_.fetch_add(c, l, 0, 1);
            if (ex) detail += (detail.empty() ? "" : "; ") + describe_access(c);
          }
          if (ex)
            what = fmt::format("{} {}.{}{}",
                               s.kind == Step::Kind::Read ? "read" : s.kind == Step::Kind::Write ? "write" : "atomic",
                               inst, s.field, s.lines > 1 ? fmt::format(" x{}", s.lines) : "");
          break;
        }
        case Step::Kind::Compute:
          mem_.compute(c, s.cycles, CpuState::Kernel);
          if (ex) what = fmt::format("compute {} cycles", s.cycles);
          break;
        case Step::Kind::Call:
          if (ex) what = "call " + s.call;
          exec(c, recipes_.at(s.call), a, ex, depth + 1, s.call);
          break;
        case Step::Kind::Shootdown: {
          AddressSpace& as = address_space(a.get("mm"));
          const std::vector<uint64_t> pages = shootdown_pages(a);
          int calls = 0;
          const int targets = msg_shootdown_                  ? msg_shootdown_->run(c, as, pages)
                              : xcall_mm_ && instances_ > 1 ? cross_instance_shootdown(c, as, pages, a, &calls)
                                                            : tlb_shootdown(mem_, c, as, pages, false, precise_shootdown_);
          if (ex) {
            what = "TLB shootdown";
            detail = fmt::format("{} target CPUs", targets);
            if (calls) detail += fmt::format(" ({} other instances reached by cross calls)", calls);
          }
          break;
        }
        case Step::Kind::TlbFill: {
          AddressSpace& as = address_space(a.get("mm"));
          c.tlb.insert(as.asid, uint64_t(a.get("addr")) >> 12);
          if (ex) what = "TLB fill";
          break;
        }
        case Step::Kind::Ipi: {
          std::vector<int> targets;
          for (int t = 0; t < mem_.cores(); ++t)
            if (t != c.id && (s.targets == "others" || t == (c.id + 1) % mem_.cores())) targets.push_back(t);
          if (targets.empty()) break;
          const LineId acks = objs_.line(fmt::format("cpu{}", c.id), "ipi_acks", 0, mem_.machine().topo.die_of(c.id));
          if (s.wait) mem_.store(c, acks, 0, targets.size());
          const Step* step = &s;
          const OpArgs args = a;
          const std::string w = where;
          mem_.send_ipi(c, targets,
                        [this, step, args, w, acks](Core& t) {
                          exec(t, step->body, args, nullptr, 0, w);
                          if (step->wait) mem_.fetch_add(t, acks, 0, uint64_t(-1));
                        },
                        s.broadcast);
          if (s.wait) mem_.spin_until(c, acks, 0, [](uint64_t v) { return v == 0; });
          if (ex) what = fmt::format("IPI to {} CPUs{}", targets.size(), s.wait ? ", waited for the handlers" : "");
          break;
        }
        case Step::Kind::Repeat: {
          const long long n = s.count_arg.empty() ? s.count : a.get(s.count_arg, 1);
          for (long long i = 0; i < n; ++i) exec(c, s.body, a, i == 0 ? ex : nullptr, depth + 1, where);
          if (ex) {
            what = fmt::format("repeat x{}", n);
            detail = n > 1 ? "first iteration shown" : "";
          }
          break;
        }
        case Step::Kind::Every: {
          // Each CPU starts at a random phase: per-CPU caches do not all run
          // out at once.
          auto it = every_.find({c.id, s.id});
          if (it == every_.end()) it = every_.emplace(std::make_pair(c.id, s.id), (long long)c.rng.below(uint64_t(s.every))).first;
          if (it->second++ % s.every == 0) exec(c, s.body, a, ex, depth + 1, where);
          if (ex) what = fmt::format("every {} times", s.every);
          break;
        }
        case Step::Kind::Rcu:
          mem_.compute(c, 2, CpuState::Kernel);  // rcu_read_lock: a per-CPU count
          exec(c, s.body, a, ex, depth + 1, where);
          mem_.compute(c, 2, CpuState::Kernel);
          if (ex) what = "rcu read-side section";
          break;
      }
      if (ex) ex->steps[slot] = {{"step", std::string(size_t(depth) * 2, ' ') + what}, {"ns", mem_.now_ns(c) - t0}, {"detail", detail}};
    }
  }

  MemorySystem& mem_;
  KernelObjects objs_;
  bool per_node_zones_;
  bool precise_shootdown_;
  std::string kind_;
  Partition part_;
  int instances_;
  bool xcall_fs_;
  bool xcall_mm_;
  std::unique_ptr<PortCosts> ports_;  // msgport: light or heavy messages, port agents
  std::unique_ptr<MessageShootdown> msg_shootdown_;  // msgport: shootdowns as messages
  std::vector<std::deque<Door>> doors_;  // calls queued per server CPU
  std::vector<int> in_kernel_;           // per CPU: depth of kernel code running
  std::vector<uint64_t> xcall_seq_;
  std::set<std::string> async_ops_;                           // msgport: ops sent with sendmsg
  std::map<int, int> async_next_;                             // per CPU: its next reply slot
  std::map<std::pair<int, int>, uint64_t> async_pending_;     // (CPU, slot) -> the reply awaited
  mutable std::map<long long, int> file_home_, dir_home_, mm_home_;
  std::map<std::string, Recipe> recipes_;
  std::map<long long, AddressSpace> spaces_;
  std::map<std::pair<int, int>, long long> every_;
  std::map<std::string, std::map<std::string, std::pair<long long, double>>> points_;  // class -> op -> (count, wait)
  std::vector<std::unique_ptr<Lock>> locks_;  // lock_for()'s, in creation order
  std::map<std::string, size_t> by_object_;
  std::string explain_op_;
  nlohmann::json explained_ = nullptr;
};

}  // namespace

const std::vector<std::string>& design_kinds() {
  static const std::vector<std::string> k = {"traditional", "cccluster", "msgport"};
  return k;
}

// design.cpus: an array of non-empty arrays of distinct CPU ids, covering every CPU of the machine.
static nlohmann::json parse_cpu_lists(const nlohmann::json& j, const std::string& ptr, const std::string& file,
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

DesignSpec parse_design(const nlohmann::json& j, const std::string& pointer, const std::string& file, int machine_cpus) {
  JsonReader r(j, pointer, &file);
  DesignSpec d;
  d.kind = r.choice("kind", design_kinds());
  // The simple parameters, through their declarations (design_params.cpp).
  auto declared = [&](const std::string& name) {
    for (const DesignParam& p : design_params())
      if (p.spec.name == name) return r.param(p.spec).get<std::string>();
    throw std::logic_error("undeclared design parameter " + name);
  };
  const std::string vm = declared("vm"), pa = declared("page_alloc"), fs = declared("free_space"),
                    pw = declared("path_walk"), zones = declared("zones"), shootdown = declared("shootdown");
  long long instances = 1;
  std::string fs_access = "xcall", shared_mm = "per_instance";
  nlohmann::json cpus;
  if (d.kind == "cccluster") {
    for (const DesignParam& p : design_params()) {
      if (p.spec.name == "instances") instances = r.param(p.spec).get<long long>();
      if (p.spec.name == "fs_access") fs_access = r.param(p.spec).get<std::string>();
      if (p.spec.name == "shared_mm") shared_mm = r.param(p.spec).get<std::string>();
    }
    if (r.has("cpus")) {
      cpus = parse_cpu_lists(r.raw("cpus"), r.ptr("cpus"), file, machine_cpus);
      if (r.has("instances") && instances != (long long)cpus.size())
        throw BadInput(file, r.ptr("instances"), fmt::format("expected {} (the number of CPU lists in cpus), got {}",
                                                             cpus.size(), instances));
      instances = (long long)cpus.size();
    }
  }
  nlohmann::json port_params = nlohmann::json::object();
  if (d.kind == "msgport")
    for (const ParamSpec& p : msgport_params()) port_params[p.name] = r.param(p);
  // msgport: ops sent with sendmsg (the caller does not wait for the reply).
  nlohmann::json async_ops = nlohmann::json::array();
  if (r.has("async_ops") && d.kind != "msgport")
    throw BadInput(file, r.ptr("async_ops"), "only the msgport design sends messages (design.kind is " + d.kind + ")");
  if (r.has("async_ops")) {
    const nlohmann::json& a = r.raw("async_ops");
    if (!a.is_array()) throw BadInput(file, r.ptr("async_ops"), "expected an array of op names, e.g. [\"close\"]");
    for (size_t i = 0; i < a.size(); ++i) {
      const bool routed = a[i].is_string() && (fs_service_ops().count(a[i].get<std::string>()) ||
                                               a[i] == "page_fault" || a[i] == "mmap" || a[i] == "munmap" ||
                                               a[i] == "mprotect" || a[i] == "file_fault");
      if (!routed)
        throw BadInput(file, r.ptr("async_ops") + "/" + std::to_string(i),
                       "expected an op sent to an owner's port (a file-system or VM op), got " + a[i].dump());
      async_ops.push_back(a[i]);
    }
  }

  nlohmann::json recipes = traditional_recipes(vm, pa, fs, pw);
  std::vector<std::string> kinds = lock_kinds();
  for (const auto& k : read_mostly_kinds()) kinds.push_back(k);
  nlohmann::json locks = nlohmann::json::object();
  for (const auto& [name, kind] : default_lock_kinds()) locks[name] = kind;
  if (r.has("locks")) {
    JsonReader lr(r.raw("locks"), r.ptr("locks"), &file);
    for (auto& [name, kind] : r.raw("locks").items()) {
      const auto dot = name.find('.');
      if (dot == std::string::npos || !object_classes().count(name.substr(0, dot)))
        lr.fail(name, "expected OBJECT.FIELD with a kernel object of this design, got \"" + name + "\"");
      locks[name] = lr.choice(name, kinds);
    }
    lr.done();
  }
  if (r.has("recipes")) {
    const nlohmann::json& rj = r.raw("recipes");
    if (!rj.is_object()) throw BadInput(file, r.ptr("recipes"), "expected an object of op recipes");
    for (auto& [op, steps] : rj.items()) recipes[op] = steps;
  }
  r.done();
  // Check every recipe, and that every call names an op.
  int next_id = 0;
  std::set<std::string> calls;
  for (auto& [op, steps] : recipes.items()) {
    Recipe rec = parse_recipe(steps, pointer + "/recipes/" + op, file, object_classes(), &next_id);
    collect_calls(rec, &calls);
  }
  for (const auto& c : calls)
    if (!recipes.contains(c)) throw BadInput(file, pointer + "/recipes", "a step calls \"" + c + "\", which no recipe defines");
  d.params = {{"vm", vm}, {"page_alloc", pa}, {"free_space", fs}, {"path_walk", pw}, {"zones", zones},
              {"shootdown", shootdown},
              {"locks", locks}, {"recipes", recipes}};
  if (d.kind == "msgport") {
    d.params.update(port_params);
    d.params["async_ops"] = async_ops;
  }
  if (d.kind == "cccluster") {
    d.params["instances"] = instances;
    d.params["fs_access"] = fs_access;
    d.params["shared_mm"] = shared_mm;
    if (!cpus.is_null()) d.params["cpus"] = cpus;
  }
  return d;
}

std::unique_ptr<KernelDesign> make_design(const DesignSpec& spec, MemorySystem& mem) {
  // ccCluster: the same kernel, N instances of it (instances = 1 is the traditional kernel).
  // msgport: the same subsystems, every object owned by a CPU and reached by messages.
  if (spec.kind == "traditional" || spec.kind == "cccluster" || spec.kind == "msgport")
    return std::make_unique<Traditional>(spec, mem);
  throw std::invalid_argument("unknown design " + spec.kind);
}

}  // namespace smpsim
