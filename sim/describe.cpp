#include "sim/describe.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "models/coherence/protocol.hpp"
#include "models/design/kernel_design.hpp"
#include "models/machine/machine_params.hpp"
#include "models/machine/presets.hpp"
#include "models/sync/lock.hpp"
#include "models/sync/read_mostly.hpp"
#include "models/workload/workload.hpp"
#include "engine/errors.hpp"
#include "engine/stats.hpp"
#include "sim/scenario.hpp"

namespace smpsim {

namespace {

std::string wrap(const std::string& text, size_t indent, size_t width) {
  std::string out, line;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t sp = text.find(' ', pos);
    std::string word = text.substr(pos, sp == std::string::npos ? std::string::npos : sp - pos);
    pos = sp == std::string::npos ? text.size() : sp + 1;
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n" + std::string(indent, ' ');
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}

void print_params(const std::vector<ParamSpec>& params) {
  for (const ParamSpec& p : params) {
    std::string type = p.type;
    if (p.type == "enum") {
      type = "one of";
      for (const auto& c : p.choices) type += " " + c;
    } else if (p.type == "number" || p.type == "integer") {
      type += fmt::format(" in [{}, {}]", p.min, p.max);
    }
    const std::string dflt = p.dflt.is_null() ? (p.type == "array" ? "optional" : "required") : "default " + p.dflt.dump();
    fmt::print("  {:<18} {}{}; {}\n", p.name, type, p.unit.empty() ? "" : " (" + p.unit + ")", dflt);
    fmt::print("  {:<18} {}\n", "", wrap(p.description, 21, 96));
  }
}

void describe_machines() {
  fmt::print("Machine presets (\"machine\": \"NAME\", or {{\"preset\": \"NAME\", ...overrides}}):\n\n");
  for (const auto& n : preset_names()) {
    const std::string file = "preset " + n;
    Machine m = parse_machine(preset_machine(n), "/machine", file);
    const json j = preset_machine(n);
    const Topology& t = m.topo;
    fmt::print("  {:<14} {:>4} CPUs = {} sockets x {} dies x {} cores x {} threads, {} GHz, {} {}, max {} hops\n",
               n, t.cores(), t.sockets, t.dies_per_socket, t.cores_per_die, t.threads_per_core, m.freq_ghz,
               j["protocol"].get<std::string>(), j["invalidation"].get<std::string>(), t.max_hops());
    fmt::print("  {:<15}{}\n", "", j["source"].get<std::string>());
    fmt::print("  {:<15}{}\n", "", wrap(preset_derivation(n), 17, 96));
  }
  fmt::print("\n(Each preset is a data file: models/machine/presets/NAME.json.)\n");
  fmt::print("\nMachine parameters (an explicit \"machine\" object; `smpsim describe machine NAME` prints a preset):\n\n");
  print_params(machine_params());
}

void describe_workloads() {
  fmt::print("Workloads (\"workload\": {{\"kind\": KIND, ...parameters}}):\n");
  for (const WorkloadKind& k : workload_kinds()) {
    fmt::print("\n{}\n  {}\n  {}\n\n", k.name, wrap(k.description, 2, 100),
               k.drives == WorkloadDrives::DesignOps ? "Runs the kernel design's ops (any design)."
                                                     : "Drives the hardware directly: takes no design section.");
    print_params(k.params);
  }
}

void describe_designs() {
  fmt::print("Kernel designs (\"design\": {{\"kind\": KIND, ...parameters}}):\n");
  for (const DesignKind& k : DesignRegistry::all()) {
    fmt::print("\n{}\n  {}\n\n", k.name, wrap(k.description, 2, 100));
    print_params(k.params);
  }
}

}  // namespace


json params_json(const std::vector<ParamSpec>& params) {
  json a = json::array();
  for (const ParamSpec& p : params) {
    json j = {{"name", p.name}, {"type", p.type}, {"unit", p.unit}, {"default", p.dflt}, {"description", p.description}};
    if (p.type == "number" || p.type == "integer") j["min"] = p.min, j["max"] = p.max;
    if (p.type == "enum") j["choices"] = p.choices;
    a.push_back(j);
  }
  return a;
}

json describe_json() {
  json workloads = json::array();
  for (const WorkloadKind& k : workload_kinds())
    workloads.push_back({{"name", k.name},
                         {"description", k.description},
                         {"op", what_one_op_is(k)},
                         {"drives", k.drives == WorkloadDrives::DesignOps ? "design_ops" : "hardware"},
                         {"params", params_json(k.params)}});
  json locks = json::array();
  for (const LockKind& k : lock_kind_list()) locks.push_back({{"name", k.name}, {"description", k.description}});
  json rw = json::array();
  for (const ReadMostlyKind& k : ReadMostlyRegistry::all()) rw.push_back({{"name", k.name}, {"description", k.description}});
  json protocols = json::array();
  for (const ProtocolKind& k : ProtocolRegistry::all())
    protocols.push_back({{"name", k.name}, {"description", k.description}});
  json designs = json::array();
  for (const DesignKind& k : DesignRegistry::all())
    designs.push_back({{"name", k.name}, {"description", k.description}, {"params", params_json(k.params)}});
  return {{"machine", {{"presets", preset_names()}, {"params", params_json(machine_params())}}},
          {"designs", designs},
          {"workloads", workloads},
          {"locks", locks},
          {"read_mostly", rw},
          {"protocols", protocols},
          {"stats", stats_json()}};
}

// Every statistic a result reports, by group (engine/stats.hpp).
void describe_stats() {
  fmt::print("Statistics (each group: where it appears in a result, then name, unit, meaning):\n");
  for (const StatGroup& g : StatRegistry::all()) {
    std::string where;
    for (const std::string& w : g.where) where += (where.empty() ? "" : ", ") + w;
    fmt::print("\n{} ({}): {}\n", g.name, where, wrap(g.description, 4, 96));
    for (const StatSpec& s : g.stats) {
      std::string desc = s.description;
      if (!s.keys.empty()) {
        desc += "; keys:";
        for (const std::string& k : s.keys) desc += " " + k;
      }
      fmt::print("  {:<28} {:<7} {}\n", s.name, s.unit, wrap(desc, 39, 72));
    }
  }
}

void describe_protocols() {
  fmt::print("Coherence protocols (a machine's \"protocol\": NAME; models/coherence/):\n\n");
  for (const ProtocolKind& k : ProtocolRegistry::all()) fmt::print("  {:<8} {}\n", k.name, wrap(k.description, 11, 96));
}

void describe_locks() {
  fmt::print("Lock kinds (\"lock\": KIND; KIND_irqsave keeps interrupts off while held; docs/locking/):\n\n");
  for (const LockKind& k : lock_kind_list()) fmt::print("  {:<16} {}\n", k.name, wrap(k.description, 19, 96));
  fmt::print("\nReader-writer schemes (a kernel object's lock kind: \"design\": {{\"locks\": {{\"mm.mmap_sem\": KIND}}}};\n"
             "rw_micro's \"sync\"; docs/locking/read_mostly.md, docs/locking/sleeping.md):\n\n");
  for (const ReadMostlyKind& k : ReadMostlyRegistry::all())
    fmt::print("  {:<16} {}\n", k.name, wrap(k.description, 19, 96));
}

int describe(const std::string& topic, const std::string& name) {
  if (topic == "lock") {
    describe_locks();
    return 0;
  }
  if (topic == "json") {
    fmt::print("{}\n", describe_json().dump(2));
    return 0;
  }
  if (topic == "workload") {
    describe_workloads();
    return 0;
  }
  if (topic == "design") {
    describe_designs();
    return 0;
  }
  if (topic == "protocol") {
    describe_protocols();
    return 0;
  }
  if (topic == "stats") {
    describe_stats();
    return 0;
  }
  if (topic != "machine")
    throw BadInput("", "describe",
                   "expected a topic: machine, design, workload, lock, protocol, stats or json, got \"" + topic + "\"");
  if (name.empty()) {
    describe_machines();
    return 0;
  }
  json m = preset_machine(name);
  if (m.is_null()) throw BadInput("", "describe machine", "unknown preset \"" + name + "\"");
  fmt::print("{}\n", m.dump(2));
  return 0;
}

}  // namespace smpsim
