#include "models/machine/latency_table.hpp"

namespace smpsim {

namespace {
const char* const kOps[kOpCount] = {"load", "store", "atomic"};
const char* const kStates[kStateCount] = {"I", "S", "E", "O", "M"};
}  // namespace

const char* op_name(Op op) { return kOps[int(op)]; }
const char* state_name(LineState s) { return kStates[int(s)]; }

bool op_from_name(const std::string& n, Op* out) {
  for (int i = 0; i < kOpCount; ++i)
    if (n == kOps[i]) return *out = Op(i), true;
  return false;
}
bool state_from_name(const std::string& n, LineState* out) {
  for (int i = 0; i < kStateCount; ++i)
    if (n == kStates[i]) return *out = LineState(i), true;
  return false;
}

std::optional<double> LatencyTable::get(Op op, LineState st, Distance d) const {
  if (auto v = cycles[int(op)][int(st)][int(d)]) return v;
  const int h = hops_of(d);
  const auto& max = max_hops_cycles[int(op)][int(st)];
  const auto& one = cycles[int(op)][int(st)][int(Distance::OneHop)];
  if (h >= 1 && max && one) {
    if (machine_max_hops <= 1) return one;
    const double f = double(h - 1) / double(machine_max_hops - 1);
    return *one + (*max - *one) * f;
  }
  return std::nullopt;
}

std::optional<double> LatencyTable::lookup(Op op, LineState st, Distance d) const {
  if (auto v = get(op, st, d)) return v;
  if (st == LineState::I && op != Op::Load) return get(Op::Load, LineState::I, d);
  if (op == Op::Atomic && st == LineState::E) return lookup(Op::Atomic, LineState::M, d);
  if (op == Op::Atomic && st == LineState::O) return lookup(Op::Atomic, LineState::S, d);
  if (op == Op::Store && st == LineState::O) return get(Op::Store, LineState::S, d);
  return std::nullopt;
}

}  // namespace smpsim
