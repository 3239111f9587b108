// Coherence latencies in cycles, by operation x previous line state x distance
// between the requester and the cache (or memory node) that answers.
// Entries the published tables leave out are derived by documented fallbacks
// (see lookup()), never guessed silently.
#pragma once
#include <array>
#include <optional>
#include <string>

#include "models/machine/topology.hpp"

namespace smpsim {

enum class Op { Load = 0, Store, Atomic };
enum class LineState { I = 0, S, E, O, M };
constexpr int kOpCount = 3;
constexpr int kStateCount = 5;
const char* op_name(Op op);
const char* state_name(LineState s);
bool op_from_name(const std::string& n, Op* out);
bool state_from_name(const std::string& n, LineState* out);

struct LatencyTable {
  using Row = std::array<std::optional<double>, kDistanceCount>;
  std::array<std::array<Row, kStateCount>, kOpCount> cycles{};
  // Mesh tables give one hop and the machine's maximum ("max_hops"); hop
  // counts in between are interpolated linearly.
  std::array<std::array<std::optional<double>, kStateCount>, kOpCount> max_hops_cycles{};
  int machine_max_hops = 1;

  void set(Op op, LineState st, Distance d, double c) { cycles[int(op)][int(st)][int(d)] = c; }
  std::optional<double> get(Op op, LineState st, Distance d) const;
  // The cost of `op` on a line in state `st` answered from distance `d`:
  //  - the entry itself when present (hop counts: the column, or interpolated
  //    between one_hop and max_hops);
  //  - a store or atomic on an I line is a read-for-ownership from memory: load I;
  //  - an atomic on E costs as on M; an atomic on O costs as on S (sharers to invalidate);
  //  - a store on O (not measured on MESI/MESIF machines) costs as a store on S.
  // Returns nullopt when no rule applies (the loader rejects such tables).
  std::optional<double> lookup(Op op, LineState st, Distance d) const;
};

}  // namespace smpsim
