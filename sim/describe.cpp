#include "sim/describe.hpp"

#include <fmt/format.h>

#include "models/machine/machine_params.hpp"
#include "models/machine/presets.hpp"
#include "sim/errors.hpp"
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
  }
  fmt::print("\nMachine parameters (an explicit \"machine\" object; `smpsim describe machine NAME` prints a preset):\n\n");
  for (const ParamSpec& p : machine_params()) {
    std::string type = p.type;
    if (p.type == "enum") {
      type = "one of";
      for (const auto& c : p.choices) type += " " + c;
    } else if (p.type == "number" || p.type == "integer") {
      type += fmt::format(" in [{}, {}]", p.min, p.max);
    }
    const std::string dflt = p.dflt.is_null() ? "required" : "default " + p.dflt.dump();
    fmt::print("  {:<18} {}{}; {}\n", p.name, type, p.unit.empty() ? "" : " (" + p.unit + ")", dflt);
    fmt::print("  {:<18} {}\n", "", wrap(p.description, 21, 96));
  }
}

}  // namespace

int describe(const std::string& topic, const std::string& name) {
  if (topic != "machine") throw BadInput("", "describe", "expected a topic: machine, got \"" + topic + "\"");
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
