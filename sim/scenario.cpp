#include "sim/scenario.hpp"

#include <fmt/format.h>

#include "models/machine/cpu_placement.hpp"
#include "models/machine/machine_params.hpp"

#include "sim/core_list.hpp"

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "models/design/kernel_design.hpp"
#include "models/machine/presets.hpp"
#include "engine/json_reader.hpp"

namespace smpsim {

namespace {

constexpr long long kMaxOps = 1'000'000'000LL;


// Applies {"a.b.c": value} overrides (dotted paths or JSON pointers). A path
// must name an existing object; the last component may be new.
void apply_overrides(json& doc, const json& set, const std::string& set_ptr, const std::string& file) {
  if (!set.is_object()) throw BadInput(file, set_ptr, "expected an object of overrides, got " + JsonReader::describe(set));
  for (auto it = set.begin(); it != set.end(); ++it) {
    const std::string& path = it.key();
    std::string p = path;
    if (p.empty() || p[0] != '/') {
      p = "/" + p;
      for (auto& ch : p)
        if (ch == '.') ch = '/';
    }
    json::json_pointer jp;
    try {
      jp = json::json_pointer(p);
    } catch (const json::exception&) {
      throw BadInput(file, set_ptr + "/" + JsonReader::escape(path), "not a valid path: \"" + path + "\"");
    }
    bool in_object = false;
    try {  // a token that is not an array index on the way (an empty one: "a//b") throws
      in_object = !jp.empty() && doc.contains(jp.parent_pointer()) && doc[jp.parent_pointer()].is_object();
    } catch (const json::exception&) {
      in_object = false;
    }
    if (!in_object)
      throw BadInput(file, set_ptr + "/" + JsonReader::escape(path),
                     "override path \"" + path + "\" does not name a field of an existing object "
                     "(add the enclosing object to the scenario first)");
    doc[jp] = it.value();
  }
}

}  // namespace

json read_json_file(const std::string& path) {
  // A scenario is a regular file of at most kMaxInputBytes, nested at most kMaxJsonDepth deep: a device
  // (/dev/zero), a FIFO or a huge file would be read without bound, and deep nesting would exhaust the stack
  // of the code that walks the document.
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) throw BadInput(path, "", "cannot open the file");
  if (!std::filesystem::is_regular_file(st))
    throw BadInput(path, "", "expected a regular file (a scenario JSON), got a directory, device or FIFO");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw BadInput(path, "", "cannot read the file's size");
  if (size > kMaxInputBytes)
    throw BadInput(path, "", fmt::format("the file is {} bytes, more than a scenario may be ({} bytes)", size,
                                         kMaxInputBytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw BadInput(path, "", "cannot open the file");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw BadInput(path, "", "the file is empty, expected a JSON object");
  try {
    return json::parse(text, [&path](int depth, json::parse_event_t, json&) {
      if (depth > kMaxJsonDepth)
        throw BadInput(path, "", fmt::format("JSON nested more than {} levels deep", kMaxJsonDepth));
      return true;
    });
  } catch (const json::exception& e) {  // a syntax error, or a number too large for a double (found by the fuzzer)
    throw BadInput(path, "", std::string("not valid JSON: ") + e.what());
  }
}

bool name_fits_a_path(const std::string& n) {
  if (n.empty() || n.size() > kMaxNameLength || n == "." || n == "..") return false;
  for (unsigned char ch : n)
    if (ch < 0x20 || ch == 0x7f || ch == '/' || ch == '\\') return false;
  return true;
}

std::vector<std::string> variant_names(const json& doc, const std::string& file) {
  std::vector<std::string> names;
  if (!doc.is_object() || !doc.contains("variants")) return names;
  const json& v = doc["variants"];
  if (!v.is_array()) throw BadInput(file, "/variants", "expected an array of {\"name\", \"set\"} objects, got " + JsonReader::describe(v));
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string p = "/variants/" + std::to_string(i);
    JsonReader r(v[i], p, &file);
    std::string n = r.str("name");
    if (!name_fits_a_path(n) || n.find_first_of(" ,\"") != std::string::npos)
      r.fail("name", "expected a name of 1 to " + std::to_string(kMaxNameLength) +
                         " printable characters without spaces, commas, quotes or slashes (it names files), got " +
                         json(n).dump());
    for (const auto& o : names)
      if (o == n) r.fail("name", "expected a unique variant name, \"" + n + "\" appears twice");
    r.raw("set");
    const std::string desc;
    r.str("description", &desc);
    r.done();
    names.push_back(n);
  }
  return names;
}

Scenario load_scenario(const json& doc_in, const std::string& file, const std::string& variant, int cores,
                       long long seed) {
  Scenario sc;
  sc.file = file;
  sc.variant = variant;
  if (!doc_in.is_object()) throw BadInput(file, "/", "expected a scenario object, got " + JsonReader::describe(doc_in));
  const std::vector<std::string> variants = variant_names(doc_in, file);

  json doc = doc_in;
  doc.erase("variants");
  if (!variant.empty()) {
    size_t idx = 0;
    while (idx < variants.size() && variants[idx] != variant) ++idx;
    if (idx == variants.size()) {
      std::string list;
      for (const auto& n : variants) list += (list.empty() ? "" : ", ") + n;
      throw BadInput(file, "/variants", "no variant named \"" + variant + "\" (have: " + (list.empty() ? "none" : list) + ")");
    }
    apply_overrides(doc, doc_in["variants"][idx]["set"], "/variants/" + std::to_string(idx) + "/set", file);
  }
  const std::string where = variant.empty() ? file : file + " (variant " + variant + ")";

  JsonReader r(doc, "", &where);
  r.integer("schema_version", 1, 1);
  if (r.has("sweep")) {
    r.raw("sweep");
    read_sweep_section(doc, file);
  }
  sc.name = r.str("name");
  if (!name_fits_a_path(sc.name))
    r.fail("name", "expected a name of 1 to " + std::to_string(kMaxNameLength) +
                       " printable characters without slashes, not . or .. (a sweep's default output is out/NAME), got " +
                       json(sc.name).dump());
  const std::string no_desc;
  r.str("description", &no_desc);

  // machine: a preset name, {"preset": name, ...overrides}, or an explicit description
  json mj = r.raw("machine");
  if (mj.is_string() || (mj.is_object() && mj.contains("preset"))) {
    const json& pn = mj.is_string() ? mj : mj["preset"];
    const std::string pptr = mj.is_string() ? "/machine" : "/machine/preset";
    if (!pn.is_string()) throw BadInput(where, pptr, "expected a preset name, got " + JsonReader::describe(pn));
    json preset = preset_machine(pn.get<std::string>());
    if (preset.is_null()) {
      std::string list;
      for (const auto& n : preset_names()) list += (list.empty() ? "" : ", ") + n;
      throw BadInput(where, pptr, "unknown machine preset \"" + pn.get<std::string>() + "\" (have: " + list + ")");
    }
    if (mj.is_object()) {
      json patch = mj;
      patch.erase("preset");
      preset.merge_patch(patch);
    }
    mj = preset;
  }
  sc.machine = parse_machine(mj, "/machine", where);
  // The resolved machine holds every parameter the run used: the defaults too (IPI, TLB, scheduling costs).
  for (const ParamSpec& p : machine_params())
    if (!mj.contains(p.name) && !p.dflt.is_null()) mj[p.name] = p.dflt;

  // design: optional (the traditional kernel); a workload that drives the hardware directly takes none.
  static const json kDefaultDesign = {{"kind", "traditional"}};
  const bool has_design = r.has("design");
  if (has_design) r.object("design");  // read below; marks the key as known
  sc.design = parse_design(has_design ? doc["design"] : kDefaultDesign, "/design", where, sc.machine.topo.cores());

  JsonReader run = r.object("run");
  const long long one = 1, zero = 0;
  sc.run.seed = (unsigned long long)run.integer("seed", 0, (1LL << 53), &one);
  sc.run.warmup_ops = run.integer("warmup_ops", 0, kMaxOps, &zero);
  const std::string until_first = "until_first_done";
  sc.run.measure = run.choice("measure", {"until_first_done", "until_all_done"}, &until_first);
  // Which CPUs: an explicit list, or a placement policy (run.cores of them are used).
  Topology& topo = sc.machine.topo;
  if (run.has("cpus")) {
    if (run.has("placement")) run.fail("placement", "give run.cpus or run.placement, not both");
    const json& list = run.raw("cpus");
    if (!list.is_array() || list.empty() || int(list.size()) > topo.cores())
      run.fail("cpus", "expected a list of 1 to " + std::to_string(topo.cores()) + " CPU ids of machine " +
                           sc.machine.name + ", got " + JsonReader::describe(list));
    std::vector<bool> seen(size_t(topo.cores()), false);
    for (size_t i = 0; i < list.size(); ++i) {
      const json& v = list[i];
      if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() >= topo.cores())
        throw BadInput(where, run.ptr("cpus") + "/" + std::to_string(i),
                       "expected a CPU id in [0, " + std::to_string(topo.cores() - 1) + "] (machine " +
                           sc.machine.name + "), got " + JsonReader::describe(v));
      if (seen[size_t(v.get<int>())])
        throw BadInput(where, run.ptr("cpus") + "/" + std::to_string(i), "CPU " + v.dump() + " is listed twice");
      seen[size_t(v.get<int>())] = true;
      sc.run.cpus.push_back(v.get<int>());
    }
    sc.run.placement = "cpus";
    topo.cpu_order = listed_order(topo, sc.run.cpus);
    sc.run.max_cores = int(sc.run.cpus.size());
  } else {
    const std::string compact = "compact";
    sc.run.placement = run.choice("placement", placement_names(), &compact);
    topo.cpu_order = placement_order(topo, sc.run.placement);
    sc.run.max_cores = topo.cores();
  }
  const long long all = sc.run.max_cores;
  sc.run.cores = int(run.integer("cores", 1, all, &all));
  const double no_limit = 0;
  sc.run.max_sim_time_ns = run.number("max_sim_time_ns", 0, 1e18, &no_limit);
  sc.run.max_events = run.integer("max_events", 0, (1LL << 62), &zero);
  sc.run.max_wall_s = run.number("max_wall_s", 0, 1e9, &no_limit);
  const long long trace_events = sc.run.max_trace_events;
  sc.run.max_trace_events = run.integer("max_trace_events", 1, 1LL << 40, &trace_events);
  run.done();

  // Command-line overrides.
  if (cores > 0) {
    if (cores > sc.run.max_cores)
      throw BadInput(where, "--cores", "expected at most " + std::to_string(sc.run.max_cores) +
                                            (sc.run.cpus.empty() ? " cores (the machine " + sc.machine.name + ")"
                                                                 : " cores (the CPUs run.cpus lists)") +
                                            ", got " + std::to_string(cores));
    sc.run.cores = cores;
  }
  if (seed >= 0) sc.run.seed = (unsigned long long)seed;

  JsonReader w = r.object("workload");
  std::vector<std::string> kinds;
  for (const auto& k : workload_kinds()) kinds.push_back(k.name);
  sc.workload_kind = w.choice("kind", kinds);
  const WorkloadKind& wk = *find_workload_kind(sc.workload_kind);
  if (wk.drives == WorkloadDrives::Hardware && has_design && doc["design"] != kDefaultDesign)
    throw BadInput(where, "/design",
                   "workload " + sc.workload_kind + " drives the hardware directly and runs no kernel design's ops, so "
                   "this design would be ignored: remove the design section (or a variant's design change)");
  json wparams = {{"kind", sc.workload_kind}};
  for (const ParamSpec& p : wk.params) wparams[p.name] = w.param(p);
  w.done();
  try {
    std::vector<std::string> ops;
    for (auto& [op, steps] : sc.design.params["recipes"].items()) ops.push_back(op);
    std::set<std::string> counts;  // "repeat", "zero", "copy": "ARG" anywhere in the recipes
    std::function<void(const json&)> scan = [&](const json& j) {
      for (const char* k : {"repeat", "zero", "copy"})
        if (j.is_object() && j.contains(k) && j[k].is_string()) counts.insert(j[k].get<std::string>());
      if (j.is_object() || j.is_array())
        for (const auto& v : j) scan(v);
    };
    scan(sc.design.params["recipes"]);
    sc.workload = wk.make(wparams, WorkloadContext{sc.machine, sc.run.cores, sc.run.warmup_ops, ops,
                                                   std::vector<std::string>(counts.begin(), counts.end())});
    // Every workload skips each CPU's first run.warmup_ops ops: they must leave some to measure.
    const long long per_cpu = sc.workload->ops_per_cpu();
    if (sc.run.warmup_ops > 0 && per_cpu >= 0 && sc.run.warmup_ops >= per_cpu)
      throw BadInput(where, "/run/warmup_ops",
                     "expected fewer warm-up ops than the " + std::to_string(per_cpu) + " ops each CPU of workload " +
                         sc.workload_kind + " makes, got " + std::to_string(sc.run.warmup_ops));
  } catch (const ParamError& e) {
    // A parameter name, or a JSON pointer below /workload for a structured one.
    const std::string& p = e.param();
    throw BadInput(where, "/workload/" + (p.find('/') == std::string::npos ? JsonReader::escape(p) : p), e.what());
  }
  r.done();

  // The resolved scenario: every value the run used.
  sc.resolved = doc;
  sc.resolved["machine"] = mj;
  sc.resolved["workload"] = wparams;
  sc.resolved["design"] = sc.design.params;
  sc.resolved["design"]["kind"] = sc.design.kind;
  sc.resolved["run"] = {{"seed", sc.run.seed},
                        {"warmup_ops", sc.run.warmup_ops},
                        {"measure", sc.run.measure},
                        {"cores", sc.run.cores}};
  if (sc.run.cpus.empty()) sc.resolved["run"]["placement"] = sc.run.placement;
  else sc.resolved["run"]["cpus"] = sc.run.cpus;
  if (sc.run.max_sim_time_ns > 0) sc.resolved["run"]["max_sim_time_ns"] = sc.run.max_sim_time_ns;
  if (sc.run.max_events > 0) sc.resolved["run"]["max_events"] = sc.run.max_events;
  if (sc.run.max_wall_s > 0) sc.resolved["run"]["max_wall_s"] = sc.run.max_wall_s;
  return sc;
}

SweepSection read_sweep_section(const json& doc, const std::string& file) {
  SweepSection out;
  if (!doc.is_object() || !doc.contains("sweep")) return out;
  JsonReader r(doc["sweep"], "/sweep", &file);
  if (r.has("cores")) {
    const json& c = r.raw("cores");
    if (c.is_string()) {
      out.cores = c.get<std::string>();
    } else if (c.is_array() && !c.empty()) {
      for (const json& v : c) {
        if (!v.is_number_integer() || v.get<long long>() < 1)
          throw BadInput(file, "/sweep/cores", "expected core counts (integers from 1), got " + JsonReader::describe(v));
        out.cores += (out.cores.empty() ? "" : ",") + std::to_string(v.get<long long>());
      }
    } else {
      throw BadInput(file, "/sweep/cores", "expected a core list (\"1-48\", \"1,2,4\") or an array of counts, got " +
                                              JsonReader::describe(c));
    }
    try {
      parse_core_list(out.cores);
    } catch (const BadInput& e) {
      std::string what = e.what();
      const std::string prefix = "at --cores: ";
      if (what.rfind(prefix, 0) == 0) what = what.substr(prefix.size());
      throw BadInput(file, "/sweep/cores", what);
    }
  }
  if (r.has("set")) {
    const json& sets = r.raw("set");
    if (!sets.is_object()) throw BadInput(file, "/sweep/set", "expected {\"PATH\": [VALUES], ...}");
    for (auto& [path, values] : sets.items()) {
      const std::string ptr = "/sweep/set/" + JsonReader::escape(path);
      if (!values.is_array() || values.empty()) throw BadInput(file, ptr, "expected a non-empty array of values");
      out.sets.push_back({path, values.get<std::vector<json>>()});
    }
  }
  r.done();
  return out;
}

Scenario check_scenario_file(const json& doc, const std::string& file, int cores, long long seed) {
  Scenario base = load_scenario(doc, file, "", cores, seed);
  for (const auto& v : variant_names(doc, file)) load_scenario(doc, file, v, cores, seed);
  return base;
}

}  // namespace smpsim
