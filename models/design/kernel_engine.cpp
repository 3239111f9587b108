#include "models/design/kernel_engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "models/cpu/tlb_ops.hpp"
#include "models/design/kernel_costs.hpp"
#include "models/design/traditional_recipes.hpp"

namespace smpsim {

const std::set<std::string>& kernel_object_classes() {
  static const std::set<std::string> o = {"mm",  "vma",    "pt",   "mm_cpu", "zone", "pcp",   "dir", "dentry",
                                          "file", "child", "anon_vma", "rq", "spool", "sb", "mapping", "page"};
  return o;
}

namespace {
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
}  // namespace

namespace {

// Edit distance (Levenshtein), for "did you mean".
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// Every lock a recipe takes is one of the design's locks (the defaults and design.locks: a new lock is declared
// there with its kind, so that a misspelt name is an error, not a new lock), taken in a mode its kind has.
void check_lock_steps(const Recipe& rec, const std::map<std::string, std::string>& locks, const std::string& file) {
  for (const Step& s : rec) {
    if (s.kind == Step::Kind::Lock) {
      const std::string name = s.object + "." + s.field;
      auto it = locks.find(name);
      if (it == locks.end()) {
        std::string best;
        size_t best_d = std::string::npos;
        for (const auto& [n, k] : locks)
          if (const size_t d = edit_distance(name, n); d < best_d) best_d = d, best = n;
        throw BadInput(file, s.pointer + "/lock",
                       "\"" + name + "\" is not a lock of this design" +
                           (best_d <= 3 ? " (did you mean \"" + best + "\"?)" : std::string()) +
                           "; a new lock is declared in design.locks with its kind, e.g. {\"" + name +
                           "\": \"qspinlock\"}");
      }
      const bool rw = is_read_mostly_kind(it->second);
      if (s.mode_given && rw && s.mode == "exclusive")
        throw BadInput(file, s.pointer + "/mode",
                       name + " is a reader-writer lock (" + it->second + "): mode read or write, not exclusive");
      if (s.mode_given && !rw && s.mode != "exclusive")
        throw BadInput(file, s.pointer + "/mode",
                       name + " is a " + it->second + ", which has no read or write side: mode exclusive (or none)");
    }
    check_lock_steps(s.body, locks, file);
  }
}

}  // namespace

const std::vector<ParamSpec>& kernel_engine_params() {
  static const std::vector<ParamSpec> p = [] {
    std::vector<ParamSpec> v = {
        {"vm", "enum", "", "mmap_sem", 0, 0, {"mmap_sem", "per_vma", "pt_extents"},
         "VM locking: one rwsem per address space; per-VMA locks with an RCU walk of the VMA tree (Linux 6.4); or VMA "
         "extents in the page-table pages under their PTLs (Piggin, seed 004)."},
        {"page_alloc", "enum", "", "percpu", 0, 0, {"zone", "percpu"},
         "Pages from the zone's free lists under the zone lock, or from per-CPU lists refilled in batches of 31."},
        {"free_space", "enum", "", "global", 0, 0, {"global", "percpu"},
         "pt_extents: free virtual space from one extent tree, or per-CPU caches of it."},
        {"path_walk", "enum", "", "ref", 0, 0, {"ref", "rcu"},
         "Path lookup taking a reference on every directory (ref-walk) or only on the final dentry (RCU-walk)."},
        {"zones", "enum", "", "per_node", 0, 0, {"per_node", "global"},
         "One zone (free lists and lock) per NUMA node, or one for the machine."},
        {"shootdown", "enum", "", "mm_cpumask", 0, 0, {"mm_cpumask", "precise"},
         "TLB shootdown targets: every CPU that ran the address space (Linux's mm_cpumask), or only CPUs whose TLB "
         "holds one of the pages (RadixVM-style tracking)."},
        {"ipi_shootdown", "enum", "", "call_function", 0, 0, {"call_function", "flush_cpumask"},
         "How an IPI shootdown reaches its targets: Linux 3.x-6.x's smp_call_function_many (a csd per target on "
         "the target's call_single_queue, the initiator waiting on each csd in turn), or Linux 2.6.2x's "
         "flush_tlb_others (one request and a shared cpumask whose bits the targets clear; the initiator spins "
         "on it) (docs/machine-model.md#tlb-shootdowns)."},
        {"locks", "object", "", nlohmann::json::object(), 0, 0, {},
         "Lock kind per OBJECT.FIELD, e.g. {\"zone.lock\": \"ticket\"}: any spinlock, mutex, or reader-writer kind. "
         "A recipe takes only these locks and the design's own (a new lock is declared here; a misspelt one is an "
         "error naming the closest), in a mode its kind has (read/write for reader-writer kinds)."},
        {"recipes", "object", "", nlohmann::json::object(), 0, 0, {},
         "Op recipes replacing or adding to the design's defaults: {\"page_fault\": [steps]} (docs/design/traditional.md)."},
    };
    for (ParamSpec& c : kernel_cost_params()) v.push_back(std::move(c));
    return v;
  }();
  return p;
}

nlohmann::json parse_kernel_engine(JsonReader& r) {
  const std::string& file = r.file();
  nlohmann::json out = nlohmann::json::object();
  for (const ParamSpec& p : kernel_engine_params())
    if (p.type != "object") out[p.name] = r.param(p);
  nlohmann::json recipes = traditional_recipes(out["vm"], out["page_alloc"], out["free_space"], out["path_walk"]);
  std::vector<std::string> kinds = lock_kinds();
  for (const auto& k : read_mostly_kinds()) kinds.push_back(k);
  nlohmann::json locks = nlohmann::json::object();
  for (const auto& [name, kind] : default_lock_kinds()) locks[name] = kind;
  if (r.has("locks")) {
    JsonReader lr(r.raw("locks"), r.ptr("locks"), &file);
    for (auto& [name, kind] : r.raw("locks").items()) {
      const auto dot = name.find('.');
      if (dot == std::string::npos || !kernel_object_classes().count(name.substr(0, dot)))
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
  // Check every recipe, that every call names an op, and that no op calls itself, directly or not (a recipe
  // is a program the engine runs recursively: a cycle would never end).
  int next_id = 0;
  std::set<std::string> calls;
  std::map<std::string, std::set<std::string>> calls_of;
  for (auto& [op, steps] : recipes.items()) {
    Recipe rec = parse_recipe(steps, r.pointer() + "/recipes/" + op, file, kernel_object_classes(), &next_id);
    collect_calls(rec, &calls_of[op]);
    calls.insert(calls_of[op].begin(), calls_of[op].end());
    check_lock_steps(rec, locks, file);
  }
  for (const auto& c : calls)
    if (!recipes.contains(c))
      throw BadInput(file, r.pointer() + "/recipes", "a step calls \"" + c + "\", which no recipe defines");
  std::map<std::string, int> state;  // 1: on the current path, 2: done
  std::vector<std::string> path;
  std::function<void(const std::string&)> visit = [&](const std::string& op) {
    state[op] = 1;
    path.push_back(op);
    for (const std::string& callee : calls_of[op]) {
      if (state[callee] == 1) {
        std::string cycle;
        for (auto it = std::find(path.begin(), path.end(), callee); it != path.end(); ++it) cycle += *it + " -> ";
        throw BadInput(file, r.pointer() + "/recipes/" + JsonReader::escape(callee),
                       "recipe calls form a cycle (" + cycle + callee + "): an op may not call itself, directly or not");
      }
      if (state[callee] == 0) visit(callee);
    }
    path.pop_back();
    state[op] = 2;
  };
  for (const auto& [op, callees] : calls_of)
    if (state[op] == 0) visit(op);
  out["locks"] = locks;
  out["recipes"] = recipes;
  return out;
}

namespace {
std::map<std::string, std::string> lock_kinds_of(const nlohmann::json& params) {
  std::map<std::string, std::string> k = default_lock_kinds();
  for (auto& [name, kind] : params["locks"].items()) k[name] = kind.get<std::string>();
  return k;
}
}  // namespace

KernelEngine::KernelEngine(std::string kind, const nlohmann::json& params, MemorySystem& mem)
    : mem_(mem), kind_(std::move(kind)), objs_(mem, lock_kinds_of(params)),
      shootdown_options_{false, params["shootdown"] == "precise", shootdown_protocol_named(params["ipi_shootdown"]), {}},
      calls_(mem, objs_) {
  for (const KernelCost& k : kernel_costs()) cost_cycles_.push_back(params[std::string(k.name) + "_cycles"].get<double>());
  int next_id = 0;
  static const std::string file = "<design>";
  for (auto& [op, steps] : params["recipes"].items())
    recipes_[op] = parse_recipe(steps, "/design/recipes/" + op, file, kernel_object_classes(), &next_id);
  for (auto& [op, recipe] : recipes_) resolve(recipe);
  ipi_acks_field_ = objs_.field_id("ipi_acks");
  wake_up_ = &recipes_.at("wake_up");
  calls_.set_server([this](Core& s, const CrossCalls::Call& d) { serve_call(s, d); });
  // Wake-ups of sleeping tasks (mutexes, rwsems, ...) go through the
  // scheduler's recipe: the target CPU's run queue, under its lock.
  mem_.set_wake_hook([this](Core& waker, int target) {
    OpArgs a;
    a.v["target"] = target;
    exec(waker, *wake_up_, a, nullptr, 0, "wake_up");
  });
}

KernelEngine::~KernelEngine() { mem_.set_wake_hook(nullptr); }

// Ids for the steps' fields and lock classes, and the recipes calls name:
// the op path looks nothing up by name.
void KernelEngine::resolve(Recipe& recipe) {
  for (Step& s : recipe) {
    if (!s.field.empty()) {
      s.field_id = objs_.field_id(s.field);
      s.lock_class = objs_.lock_class(s.object, s.field);
    }
    if (s.kind == Step::Kind::Call) s.called = &recipes_.at(s.call);
    resolve(s.body);
  }
}

void KernelEngine::set_placement(std::unique_ptr<Placement> p) {
  placement_ = std::move(p);
  const Partition& part = placement_->partition();
  if (Trace* tr = mem_.trace(); tr && part.instances() > 1)  // a trace process per kernel instance
    for (int cpu = 0; cpu < mem_.cores(); ++cpu)
      tr->set_process(cpu, part.instance_of(cpu) + 1, fmt::format("instance {}", part.instance_of(cpu)));
}

Lock& KernelEngine::lock_for(const std::string& object, const std::string& lock_kind, int home_die) {
  auto it = by_object_.find(object);
  if (it != by_object_.end()) return *locks_[it->second];
  locks_.push_back(make_lock(lock_kind, object, mem_, home_die));
  by_object_[object] = locks_.size() - 1;
  return *locks_.back();
}

AddressSpace& KernelEngine::address_space(const Core& c, long long mm) {
  // Each instance that runs its own copy of a process has its own address space
  // (its own mm_cpumask); one shared across instances is its home's.
  const std::pair<int, long long> key{placement_->space_instance(c, mm), mm};
  auto it = spaces_.find(key);
  if (it == spaces_.end()) {
    it = spaces_.emplace(key, AddressSpace{}).first;
    it->second.asid = uint64_t(mm) + 1;
  }
  return it->second;
}

void KernelEngine::run_op(Core& c, const std::string& op, const OpArgs& args) {
  auto it = recipes_.find(op);
  if (it == recipes_.end()) throw std::logic_error("the design has no op " + op);
  // The op starts when the work before it (and interrupts meanwhile) is
  // done; until then the CPU is not in the kernel, so calls that arrive are
  // served at once.
  mem_.flush(c);
  const int server = placement_->server(c, op, args);
  AddressSpace& as = address_space(c, args.get("mm"));
  if (server >= 0 && server != c.id) {  // a cross call (doors) or a message to another CPU's port
    calls_.enter(c);
    const bool vm = vm_ops().count(op) > 0;
    if (vm && !as.cpus_ran.count(c.id)) switch_mm(mem_, c, as);
    if (costs_) costs_->send(c, op);
    if (async_ops_.count(op)) {
      calls_.send(c, server, op, args);
      calls_.leave(c);
      calls_.serve_queued(c);
      return;
    }
    const double call_t0 = mem_.now_ns(c);
    calls_.call(c, server, op, args);
    if (Trace* tr = mem_.trace()) {
      nlohmann::json a(args.v);
      a["server_cpu"] = server;
      tr->complete(c.id, "call " + op, "op", call_t0, mem_.now_ns(c), std::move(a));
    }
    // A fault served elsewhere: the caller loads the new translation when it
    // retries the access.
    if (vm && (op == "page_fault" || op == "file_fault")) c.tlb.insert(as.asid, uint64_t(args.get("addr")) >> 12);
    calls_.leave(c);
    calls_.serve_queued(c);
    return;
  }
  calls_.enter(c);
  if (!as.cpus_ran.count(c.id)) switch_mm(mem_, c, as);
  Explain* ex = nullptr;
  Explain local;
  if (c.id == 0 && op == explain_op_) ex = &local;
  mem_.flush(c);  // switch_mm's private work
  const double t0 = mem_.now_ns(c);
  const bool local_message = server == c.id;  // a message to the CPU's own port
  if (local_message) {
    calls_.count_local_message(c);
    if (costs_) {
      costs_->send(c, op);
      costs_->receive(c, c.id, op);
    }
  }
  if (ex) ex->add("message costs", mem_.now_ns(c) - t0);  // a message to the CPU's own port
  exec(c, it->second, args, ex, 0, op);
  const double t2 = mem_.now_ns(c);
  if (local_message && costs_) costs_->reply(c, op);
  if (ex) ex->add("message costs", mem_.now_ns(c) - t2);
  if (Trace* tr = mem_.trace()) tr->complete(c.id, op, "op", t0, mem_.now_ns(c), nlohmann::json(args.v));
  if (ex) {
    nlohmann::json parts = nlohmann::json::object();
    for (const auto& [name, ns] : ex->parts)
      if (ns != 0) parts[name] = ns;  // parts the op did not use are left out
    explained_ = {{"op", op}, {"cpu", c.id}, {"total_ns", mem_.now_ns(c) - t0}, {"steps", ex->steps}, {"parts", parts}};
  }
  calls_.leave(c);
  calls_.serve_queued(c);  // calls that arrived while this CPU was in the kernel
}

// A call served on this CPU: another instance's shootdown, or an op.
void KernelEngine::serve_call(Core& s, const CrossCalls::Call& d) {
  if (d.op == CrossInstanceShootdown::kCallOp) {
    shootdown_->serve(s, address_space(s, d.args.get("mm")), shootdown_pages(d.args));
    return;
  }
  if (costs_) costs_->receive(s, d.caller, d.op);
  exec(s, recipes_.at(d.op), d.args, nullptr, 0, d.op);
  if (costs_) costs_->reply(s, d.op);
}

std::vector<nlohmann::json> KernelEngine::lock_rows() const {
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

std::string KernelEngine::describe_access(const Core& c) const {
  const AccessResult& r = c.last;
  if (r.forwarded) return fmt::format("forwarded from the store buffer, {} cycles", r.latency_cycles);
  // A buffered store: the CPU paid the issue only (in the step's time); its drain overlaps what follows.
  const std::string buffered = r.buffered ? "store buffered, its drain: " : "";
  if (r.hit) return buffered + fmt::format("hit, {} cycles", r.latency_cycles);
  const std::string from = r.from_memory ? "memory" : r.from_core >= 0 ? "CPU " + std::to_string(r.from_core) : "sharers";
  std::string out = buffered + fmt::format("miss on {}: {} from {} ({}{}), {} cycles, queued {:.1f} ns", state_name(r.prev),
                                r.invalidations ? fmt::format("{} copies invalidated", r.invalidations) : "line",
                                from, distance_name(r.dist), r.llc ? ", the die's LLC" : "", r.latency_cycles,
                                r.start_ns - r.request_ns);
  if (r.home_detour_cycles > 0) out += fmt::format(" (of which {} cycles through the line's home on a third die)", r.home_detour_cycles);
  if (r.resource_wait_ns > 0)  // queueing at shared resources on the way (interconnect.hpp)
    out += fmt::format(" + {:.1f} ns at resources (most at {})", r.resource_wait_ns,
                       mem_.dir().interconnect().resources()[size_t(r.worst_resource)].name());
  return out;
}

void KernelEngine::exec(Core& c, const Recipe& recipe, const OpArgs& a, Explain* ex, int depth, const std::string& where) {
  for (const Step& s : recipe) {
    mem_.count_step();  // a loop of steps that make no event still meets the runaway guards
    const double t0 = mem_.now_ns(c);
    const bool list = ex && ex->list;
    const size_t slot = list ? ex->steps.size() : 0;  // a step is listed before the steps inside it
    if (list) ex->steps.push_back(nullptr);
    // --explain's parts: a step's own time (not its body's) goes to what it was doing.
    const char* part = nullptr;
    std::string what, detail;  // for --explain only (formatting them costs more than the step)
    switch (s.kind) {
      case Step::Kind::Lock: {
        const auto [obj, home] = placement_->object(c, s.object_cls, a);
        if (list)
          what = fmt::format("lock {}.{} ({}{})", object_name(obj), s.field, objs_.lock_kind(s.lock_class),
                             s.mode == "exclusive" ? "" : ", " + s.mode);
        double body_start = 0, body_end = 0;
        auto body = [&] {
          body_start = mem_.now_ns(c);
          exec(c, s.body, a, ex, depth + 1, where);
          body_end = mem_.now_ns(c);
        };
        bool contended = false;
        const bool rw_lock = objs_.is_rw(s.lock_class);
        if (rw_lock) {
          ReadMostly& rw = objs_.rw_lock(obj, s.lock_class, s.field_id);
          // the deadlock detector's graph: waiting until the body starts, holding while it runs
          mem_.waits().want(c.id, &rw, rw.name() + (s.mode == "read" ? "-R" : "-W"));
          auto held_body = [&] {
            mem_.waits().got(c.id, &rw);
            body();
            mem_.waits().released(c.id, &rw);
          };
          if (s.mode == "read") rw.read(c, held_body);
          else rw.write(c, held_body);
          contended = rw.last_contended(c.id);
        } else {
          Lock& l = objs_.lock(obj, s.lock_class, s.field_id, home);
          contended = l.acquire(c);
          body();
          l.release(c);
        }
        if (contended) {
          const std::string cls = s.object + "." + s.field + (!rw_lock ? "" : s.mode == "read" ? "-R" : "-W");
          auto& p = points_[cls][where];
          ++p.first;
          p.second += body_start - t0;
        }
        if (ex) {
          ex->add(contended ? "lock waits" : "lock acquire and release", body_start - t0);
          ex->add("lock acquire and release", mem_.now_ns(c) - body_end);
        }
        if (list) detail = fmt::format("acquired after {:.1f} ns", body_start - t0);
        break;
      }
      case Step::Kind::Read:
      case Step::Kind::Write:
      case Step::Kind::Atomic: {
        const auto [obj, home] = placement_->object(c, s.object_cls, a);
        for (int i = 0; i < s.lines; ++i) {
          const LineId l = objs_.line(obj, s.field_id, i, home);
          if (s.kind == Step::Kind::Read) mem_.load(c, l, 0);
          else if (s.kind == Step::Kind::Write) mem_.store(c, l, 0, uint64_t(c.id));
          else mem_.fetch_add(c, l, 0, 1);
          if (list) detail += (detail.empty() ? "" : "; ") + describe_access(c);
        }
        part = "memory accesses";
        if (list)
          what = fmt::format("{} {}.{}{}",
                             s.kind == Step::Kind::Read ? "read" : s.kind == Step::Kind::Write ? "write" : "atomic",
                             object_name(obj), s.field, s.lines > 1 ? fmt::format(" x{}", s.lines) : "");
        break;
      }
      case Step::Kind::Compute:
        mem_.compute(c, s.cycles, CpuState::Kernel);
        part = "compute";
        if (list) what = fmt::format("compute {} cycles", s.cycles);
        break;
      case Step::Kind::Cost: {
        const KernelCost& k = kernel_costs()[size_t(s.cost)];
        mem_.compute(c, cost_cycles_[size_t(s.cost)], CpuState::Kernel);
        part = k.part;
        if (list) {
          what = k.name;
          detail = fmt::format("{} cycles", cost_cycles_[size_t(s.cost)]);
        }
        break;
      }
      case Step::Kind::Zero:
      case Step::Kind::Copy: {
        const bool copy = s.kind == Step::Kind::Copy;
        const double bytes = s.bytes_arg.empty() ? s.bytes : double(a.get(s.bytes_arg, 0));
        const MemorySystem::StreamCost sc = mem_.stream(c, bytes, copy);
        part = copy ? "memory copy" : "memory zeroing";
        if (list) {
          what = fmt::format("{} {:.0f} bytes", copy ? "copy" : "zero", bytes);
          if (bytes <= 0)
            detail = "nothing to move (no bytes argument)";
          else if (sc.cached_bytes >= bytes)
            detail = "a cache-hot page the CPU freed: in its cache";
          else
            detail = fmt::format("{}local memory, {} lines in flight{}",
                                 sc.cached_bytes > 0 ? fmt::format("{:.0f} bytes in the cache, the rest from ", sc.cached_bytes) : "",
                                 mem_.machine().line_fill_buffers,
                                 sc.queued_ns > 0 ? fmt::format(", {:.1f} ns beyond the CPU's own limit (the controller's "
                                                                "bandwidth and queue)", sc.queued_ns) : "");
        }
        break;
      }
      case Step::Kind::PageFreed:
        mem_.page_freed_hot(c);
        if (list) what = "page to the free list (cache-hot)";
        break;
      case Step::Kind::Call:
        if (list) what = "call " + s.call;
        exec(c, *s.called, a, ex, depth + 1, s.call);
        break;
      case Step::Kind::Shootdown: {
        AddressSpace& as = address_space(c, a.get("mm"));
        const std::vector<uint64_t> pages = shootdown_pages(a);
        int calls = 0;
        const int targets = shootdown_->run(c, as, pages, a, &calls);
        part = "TLB shootdown";
        if (list) {
          what = "TLB shootdown";
          detail = fmt::format("{} target CPUs", targets);
          if (calls) detail += fmt::format(" ({} other instances reached by cross calls)", calls);
        }
        break;
      }
      case Step::Kind::TlbFill: {
        AddressSpace& as = address_space(c, a.get("mm"));
        c.tlb.insert(as.asid, uint64_t(a.get("addr")) >> 12);
        if (list) what = "TLB fill";
        break;
      }
      case Step::Kind::Ipi: {
        std::vector<int> targets;
        for (int t = 0; t < mem_.cores(); ++t)
          if (t != c.id && (s.targets == "others" || t == (c.id + 1) % mem_.cores())) targets.push_back(t);
        if (targets.empty()) break;
        const LineId acks = objs_.line({ObjectClass::cpu, -1, c.id}, ipi_acks_field_, 0, mem_.machine().topo.die_of(c.id));
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
        part = "IPIs";
        if (list) what = fmt::format("IPI to {} CPUs{}", targets.size(), s.wait ? ", waited for the handlers" : "");
        break;
      }
      case Step::Kind::Repeat: {
        const long long n = s.count_arg.empty() ? s.count : a.get(s.count_arg, 1);
        for (long long i = 0; i < n; ++i) {
          if (ex && i == 1) ex->list = false;  // the first iteration listed, every one in the parts
          exec(c, s.body, a, ex, depth + 1, where);
        }
        if (ex) ex->list = list;
        if (list) {
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
        if (list) what = fmt::format("every {} times", s.every);
        break;
      }
      case Step::Kind::Rcu: {
        mem_.compute(c, 2, CpuState::Kernel);  // rcu_read_lock: a per-CPU count
        const double body_start = mem_.now_ns(c);
        exec(c, s.body, a, ex, depth + 1, where);
        const double body_end = mem_.now_ns(c);
        mem_.compute(c, 2, CpuState::Kernel);
        if (ex) ex->add("lock acquire and release", (body_start - t0) + (mem_.now_ns(c) - body_end));
        if (list) what = "rcu read-side section";
        break;
      }
    }
    if (ex && part) ex->add(part, mem_.now_ns(c) - t0);
    if (list) ex->steps[slot] = {{"step", std::string(size_t(depth) * 2, ' ') + what}, {"ns", mem_.now_ns(c) - t0}, {"detail", detail}};
  }
}

}  // namespace smpsim
