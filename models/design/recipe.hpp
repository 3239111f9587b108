// Op recipes: a kernel operation as data, a list of steps over named kernel
// objects ("mm.mmap_sem", "pt.pte", "zone.lock"). A design ships default
// recipes; a scenario may replace any of them without recompiling.
//
// Step forms (JSON):
//   {"lock": "OBJ.FIELD", "mode": "exclusive"|"read"|"write", "do": [steps]}
//   {"read": "OBJ.FIELD", "lines": N}    {"write": ...}    {"atomic": ...}
//   {"compute": CYCLES}
//   {"cost": "NAME"}                      a named kernel cost (kernel_costs.hpp): syscall_entry_exit, ...
//   {"zero": BYTES | "ARG"}               the CPU zeroes BYTES of local memory (clear_page), through the
//   {"copy": BYTES | "ARG"}               memory model; or copies them (copy_page, copy_to_user)
//   {"page_to_free_list": "hot"}          the CPU frees a page it has in its cache: its next zeroing finds it there
//   {"call": "OP"}                        another op of the same design
//   {"shootdown": "mm"}                   TLB shootdown of the current address space
//   {"tlb_fill": "mm"}                    the CPU's TLB now holds the page at the op's address
//   {"ipi": "others"|"next", "broadcast": B, "wait": W, "do": [steps]}
//                                         IPIs whose handler runs the steps on each target;
//                                         with wait, the sender spins until every handler is done
//   {"repeat": N | "ARG", "do": [steps]}  N times, or as many as the op argument ARG
//   {"every": N, "do": [steps]}           every N-th time this CPU reaches the step
//   {"rcu": "OBJ.FIELD", "do": [steps]}   an RCU read-side section
#pragma once
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "models/design/object_key.hpp"

namespace smpsim {

struct Step {
  enum class Kind { Lock, Read, Write, Atomic, Compute, Cost, Zero, Copy, PageFreed, Call, Shootdown, TlbFill, Ipi, Repeat, Every, Rcu } kind;
  std::string targets;        // ipi: others, next
  bool broadcast = false, wait = true;
  std::string object, field;  // for targets "OBJ.FIELD"
  ObjectClass object_cls = ObjectClass::mm;  // `object`, resolved
  std::string mode;           // lock: exclusive, read, write
  bool mode_given = false;    // lock: the scenario said which (checked against the lock's kind)
  std::string pointer;        // the step's JSON pointer (for errors found after parsing)
  int lines = 1;
  double cycles = 0;
  int cost = -1;              // cost: its index in kernel_costs()
  double bytes = 0;           // zero, copy: a fixed size, or
  std::string bytes_arg;      // the op argument giving it
  std::string call;
  int count = 0;              // repeat: a fixed count, or
  std::string count_arg;      // the op argument giving it
  int every = 0;
  std::vector<Step> body;
  int id = 0;                 // unique per recipe set (for "every" counters)
  // Resolved by the kernel engine once (no string look-up on the path of an op):
  int field_id = -1;                   // `field`'s id in the engine's kernel objects
  int lock_class = -1;                 // "object.field"'s id (its lock kind)
  const std::vector<Step>* called = nullptr;  // call: the recipe it calls
};
using Recipe = std::vector<Step>;

// Parses a recipe; BadInput names the JSON pointer of a bad step. Objects must
// be among `objects`; calls among `ops` (checked by the caller afterwards).
// Steps nest (lock, repeat, every, rcu, ipi bodies) at most kMaxRecipeDepth levels deep.
constexpr int kMaxRecipeDepth = 32;
Recipe parse_recipe(const nlohmann::json& j, const std::string& pointer, const std::string& file,
                    const std::set<std::string>& objects, int* next_id, int depth = 0);
void collect_calls(const Recipe& r, std::set<std::string>* calls);

}  // namespace smpsim
