// Reads an explicit machine description through the declared parameters,
// each bound to its member (models/machine/machine_params.cpp), then checks that the latency table
// covers every distance the topology can produce.
#include <cmath>

#include "models/coherence/protocol.hpp"
#include "models/machine/machine_params.hpp"
#include "engine/json_reader.hpp"
#include "sim/scenario.hpp"

namespace smpsim {

namespace {

json read_param(JsonReader& r, const std::string& name) { return r.param(machine_param(name)); }

void check_coherence_table(const Machine& m, const std::string& ptr, const std::string& file) {
  std::vector<Distance> dists = m.topo.distances_in_use();
  bool has_same_die = false;
  for (Distance d : dists) has_same_die |= d == Distance::SameDie;
  if (!has_same_die) dists.insert(dists.begin(), Distance::SameDie);  // local memory, lone upgrades
  std::vector<std::pair<Op, LineState>> needed = {
      {Op::Load, LineState::I},  {Op::Load, LineState::S},  {Op::Load, LineState::E},  {Op::Load, LineState::M},
      {Op::Store, LineState::S}, {Op::Store, LineState::E}, {Op::Store, LineState::M}, {Op::Atomic, LineState::S},
      {Op::Atomic, LineState::M}};
  if (coherence_protocol(m.protocol).has_owned_state()) {
    needed.push_back({Op::Load, LineState::O});
    needed.push_back({Op::Store, LineState::O});
  }
  for (auto [op, st] : needed)
    for (Distance d : dists)
      if (!m.table.lookup(op, st, d))
        throw BadInput(file, ptr + "/" + op_name(op) + "/" + state_name(st),
                       "expected a latency for distance \"" + distance_name(d) +
                           "\" (this topology has CPUs that far apart)");
}

std::vector<std::vector<int>> read_die_hops(const json& h, const Topology& t, const std::string& hp,
                                            const std::string& file) {
  const int dies = t.dies();
  if (!h.is_array() || int(h.size()) != dies)
    throw BadInput(file, hp, "expected a " + std::to_string(dies) + "x" + std::to_string(dies) + " matrix of hop counts");
  std::vector<std::vector<int>> out;
  for (int a = 0; a < dies; ++a) {
    const std::string rp = hp + "/" + std::to_string(a);
    if (!h[a].is_array() || int(h[a].size()) != dies)
      throw BadInput(file, rp, "expected a row of " + std::to_string(dies) + " hop counts");
    std::vector<int> row;
    for (int b = 0; b < dies; ++b) {
      const json& v = h[a][b];
      const int lo = t.socket_of_die(a) == t.socket_of_die(b) ? 0 : 1;
      if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > kMaxHops)
        throw BadInput(file, rp + "/" + std::to_string(b),
                       "expected an integer hop count in [" + std::to_string(lo) + ", " + std::to_string(kMaxHops) +
                           "], got " + v.dump());
      row.push_back(v.get<int>());
    }
    out.push_back(row);
  }
  return out;
}

}  // namespace

Machine parse_machine(const json& j, const std::string& pointer, const std::string& file) {
  JsonReader r(j, pointer, &file);
  Machine m;
  for (const MachineParam& p : machine_param_bindings())
    if (p.bind) p.bind(m, r.param(p.spec));
  Topology& t = m.topo;
  if (t.cores() > 4096) r.fail_here("expected at most 4096 CPUs, got " + std::to_string(t.cores()));
  const std::string ic = read_param(r, "interconnect").get<std::string>();
  int width = read_param(r, "mesh_width").get<int>();
  if (width == 0) width = std::max(1, int(std::lround(std::sqrt(double(t.sockets)))));
  if (r.has("die_hops")) {
    t.die_hops = read_die_hops(r.raw("die_hops"), t, r.ptr("die_hops"), file);
  } else {
    t.die_hops.assign(t.dies(), std::vector<int>(t.dies(), 0));
    for (int a = 0; a < t.dies(); ++a)
      for (int b = 0; b < t.dies(); ++b)
        t.die_hops[a][b] = interconnect_hops(ic, t.sockets, width, t.socket_of_die(a), t.socket_of_die(b));
    if (t.max_hops() > kMaxHops)
      r.fail("interconnect", "expected at most " + std::to_string(kMaxHops) + " hops between dies, got " +
                                 std::to_string(t.max_hops()));
  }

  const ParamSpec& cc = machine_param("coherence_cycles");
  JsonReader tbl = r.object("coherence_cycles");
  m.table.machine_max_hops = std::max(1, t.max_hops());
  for (const char* op_s : {"load", "store", "atomic"}) {
    if (!tbl.has(op_s)) continue;
    Op op;
    op_from_name(op_s, &op);
    JsonReader states = tbl.object(op_s);
    for (const char* st_s : {"M", "O", "E", "S", "I"}) {
      if (!states.has(st_s)) continue;
      LineState st;
      state_from_name(st_s, &st);
      JsonReader cols = states.object(st_s);
      for (int d = 0; d <= int(Distance::ThreeHops); ++d) {
        const std::string dn = distance_name(Distance(d));
        if (cols.has(dn)) m.table.set(op, st, Distance(d), cols.number(dn, cc.min, cc.max));
      }
      if (cols.has("max_hops")) m.table.max_hops_cycles[int(op)][int(st)] = cols.number("max_hops", cc.min, cc.max);
      cols.done();
    }
    states.done();
  }
  tbl.done();
  r.done();
  check_coherence_table(m, r.ptr("coherence_cycles"), file);
  return m;
}

}  // namespace smpsim
