// script: a workload written in the scenario. Every CPU makes ops_per_core
// operations, each drawn from a weighted mix of the design's ops (recipes,
// including ones the scenario adds), with think time between them; or, with
// `phases`, runs one mix after another ({"ops": N, "mix": [...]} each). Op
// arguments are numbers or per-CPU symbols:
//   "cpu"          the CPU's id (an address space or file per CPU)
//   "region"       the CPU's own address region
//   "random_page"  a random page of the CPU's region (`pages` pages long)
//   "shared_page"  a random page of one region all CPUs share
#include <algorithm>

#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

struct MixEntry {
  std::string op;
  double weight;
  std::vector<std::pair<std::string, nlohmann::json>> args;
};

struct Phase {
  long long ops;
  std::vector<MixEntry> mix;
  double total_weight = 0;
};

class Script : public Workload {
 public:
  long long ops_per_cpu() const override {
    long long n = 0;
    for (const auto& ph : phases_) n += ph.ops;
    return n;
  }
  Script(std::vector<Phase> phases, const nlohmann::json& p)
      : phases_(std::move(phases)), think_cycles_(p["think_cycles"]), exponential_(p["think"] == "exponential"),
        pages_(p["pages"]) {
    for (auto& ph : phases_)
      for (const auto& m : ph.mix) ph.total_weight += m.weight;
  }

  void run_core(Core& c, MemorySystem& mem, KernelDesign& design, OpRecorder& rec) override {
    const long long region = (1LL << 32) + (long long)c.id * (1LL << 30), shared = 1LL << 31;
    rec.warm(c.id, mem.now_ns(c));
    for (const Phase& ph : phases_) {
      for (long long i = 0; i < ph.ops; ++i) {
        mem.compute(c, exponential_ ? c.rng.exponential(think_cycles_) : think_cycles_, CpuState::User);
        double x = c.rng.uniform01() * ph.total_weight;
        const MixEntry* e = &ph.mix.back();
        for (const auto& m : ph.mix) {
          if (x < m.weight) {
            e = &m;
            break;
          }
          x -= m.weight;
        }
        OpArgs a;
        a.v["pages"] = pages_;
        for (const auto& [k, v] : e->args) {
          if (v.is_number_integer()) a.v[k] = v.get<long long>();
          else if (v == "cpu") a.v[k] = c.id;
          else if (v == "region") a.v[k] = region;
          else if (v == "random_page") a.v[k] = region + (long long)c.rng.below(uint64_t(pages_)) * 4096;
          else a.v[k] = shared + (long long)c.rng.below(uint64_t(pages_)) * 4096;  // shared_page
        }
        const double t0 = mem.now_ns(c);
        design.run_op(c, e->op, a);
        rec.op_done(c.id, mem.now_ns(c), t0);
      }
    }
  }

 private:
  std::vector<Phase> phases_;
  double think_cycles_;
  bool exponential_;
  long long pages_;
};

// `where`: the JSON pointer (below /workload) of the mix.
std::vector<MixEntry> parse_mix(const nlohmann::json& mix, const WorkloadContext& ctx, const std::string& where) {
  const std::vector<std::string>& ops = ctx.design_ops;
  std::vector<MixEntry> out;
  if (!mix.is_array() || mix.empty()) throw ParamError(where, "expected at least one {\"op\", \"weight\", \"args\"} entry");
  for (size_t i = 0; i < mix.size(); ++i) {
    const std::string at = where + "/" + std::to_string(i);
    const nlohmann::json& m = mix[i];
    if (!m.is_object()) throw ParamError(at, "expected an object {\"op\", \"weight\", \"args\"}");
    for (auto& [k, v] : m.items())
      if (k != "op" && k != "weight" && k != "args") throw ParamError(at + "/" + k, "unknown key \"" + k + "\"");
    MixEntry e;
    if (!m.contains("op") || !m["op"].is_string()) throw ParamError(at + "/op", "expected the name of an op");
    e.op = m["op"];
    if (std::find(ops.begin(), ops.end(), e.op) == ops.end()) {
      std::string list;
      for (const auto& o : ops) list += (list.empty() ? "" : ", ") + o;
      throw ParamError(at + "/op", "the design has no op \"" + e.op + "\" (has: " + list + ")");
    }
    e.weight = 1;
    if (m.contains("weight")) {
      if (!m["weight"].is_number() || m["weight"].get<double>() <= 0)
        throw ParamError(at + "/weight", "expected a positive number");
      e.weight = m["weight"];
    }
    if (m.contains("args")) {
      if (!m["args"].is_object()) throw ParamError(at + "/args", "expected an object of op arguments");
      for (auto& [k, v] : m["args"].items()) {
        const bool ok = v.is_number_integer() ||
                        (v.is_string() && (v == "cpu" || v == "region" || v == "random_page" || v == "shared_page"));
        if (!ok)
          throw ParamError(at + "/args/" + k,
                           "expected an integer or one of \"cpu\", \"region\", \"random_page\", \"shared_page\"");
        // The largest value it takes: the integer, the last CPU of the run, or an address.
        const long long most = v.is_number_integer() ? v.get<long long>() : v == "cpu" ? ctx.cores - 1 : (1LL << 40);
        const std::string bad = check_op_arg(k, most, ctx.cores, ctx.machine.topo.dies(), ctx.recipe_args);
        if (!bad.empty()) throw ParamError(at + "/args/" + k, bad + (v.is_string() ? " (\"" + v.get<std::string>() + "\")" : ""));
        e.args.emplace_back(k, v);
      }
    }
    out.push_back(e);
  }
  return out;
}

}  // namespace

WorkloadKind script_kind() {
  return {"script",
          "A workload written in the scenario: a weighted mix of the design's ops (including recipes the scenario "
          "adds) with their arguments, and think time between them. op = one drawn operation.",
          {{"mix", "array", "", nlohmann::json::array(), 0, 0, {},
            "[{\"op\": NAME, \"weight\": W, \"args\": {\"mm\": 0, \"addr\": \"random_page\", ...}}]; argument "
            "values are integers or \"cpu\", \"region\", \"random_page\", \"shared_page\"."},
           {"phases", "array", "", nlohmann::json::array(), 0, 0, {},
            "Instead of mix and ops_per_core: [{\"ops\": N, \"mix\": [...]}, ...], run one after another."},
           {"think_cycles", "number", "cycles", 1000, 0, 1e12, {}, "Mean work between operations."},
           {"think", "enum", "", "exponential", 0, 0, {"exponential", "fixed"}, "Distribution of the think time."},
           {"pages", "integer", "", 16, 1, 1e6, {}, "Pages in each region (the op argument \"pages\" by default)."},
           {"ops_per_core", "integer", "", 1000, 1, 1e9, {}, "Operations each CPU makes."}},
          [](const nlohmann::json& p, const WorkloadContext& ctx) -> std::unique_ptr<Workload> {
            std::vector<Phase> phases;
            const nlohmann::json& ph = p["phases"];
            if (ph.empty()) {
              phases.push_back({p["ops_per_core"].get<long long>(), parse_mix(p["mix"], ctx, "mix")});
            } else {
              if (!p["mix"].empty()) throw ParamError("phases", "give either mix or phases, not both");
              for (size_t i = 0; i < ph.size(); ++i) {
                const std::string at = "phases/" + std::to_string(i);
                if (!ph[i].is_object() || !ph[i].contains("ops") || !ph[i]["ops"].is_number_integer() ||
                    ph[i]["ops"].get<long long>() < 1)
                  throw ParamError(at + "/ops", "expected a positive integer number of ops");
                for (auto& [k, v] : ph[i].items())
                  if (k != "ops" && k != "mix") throw ParamError(at + "/" + k, "unknown key \"" + k + "\"");
                phases.push_back({ph[i]["ops"].get<long long>(),
                                  parse_mix(ph[i].value("mix", nlohmann::json()), ctx, at + "/mix")});
              }
            }
            return std::make_unique<Script>(std::move(phases), p);
          },
          WorkloadDrives::DesignOps};
}

SMPSIM_REGISTER(WorkloadRegistry, script_kind);

}  // namespace smpsim
