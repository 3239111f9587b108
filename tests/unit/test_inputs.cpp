// Core lists, and scenario-loader errors naming the JSON pointer.
#include <catch2/catch.hpp>

#include "machines.hpp"
#include "sim/core_list.hpp"
#include "engine/errors.hpp"

using namespace smpsim;
using nlohmann::json;

TEST_CASE("core lists: single values, ranges, steps and doubling", "[cli]") {
  CHECK(parse_core_list("1,2,4,8") == std::vector<int>{1, 2, 4, 8});
  CHECK(parse_core_list("1-4") == std::vector<int>{1, 2, 3, 4});
  CHECK(parse_core_list("1-256:x2") == std::vector<int>{1, 2, 4, 8, 16, 32, 64, 128, 256});
  CHECK(parse_core_list("4-16:4,1") == std::vector<int>{1, 4, 8, 12, 16});
  CHECK(parse_core_list("8,2-3,8") == std::vector<int>{2, 3, 8});
  for (const char* bad : {"", "0", "a", "4-1", "1-8:x1", "1-8:0", "1,,2", "3:x2", "-5", "1-99999999999"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_core_list(bad), BadInput);
  }
}

namespace {
json good_scenario() {
  return {{"schema_version", 1},
          {"name", "t"},
          {"machine", "opteron48"},
          {"design", {{"kind", "traditional"}}},
          {"workload",
           {{"kind", "lock_micro"}, {"think_cycles", 100}, {"cs_cycles", 10}, {"lock", "mcs"}, {"acquisitions_per_core", 5}}},
          {"run", {{"seed", 3}}}};
}

std::string error_pointer(const json& doc, const std::string& variant = "") {
  try {
    load_scenario(doc, "f.json", variant);
  } catch (const BadInput& e) {
    return e.pointer();
  }
  return "(accepted)";
}
}  // namespace

TEST_CASE("the loader resolves presets and defaults", "[scenario]") {
  Scenario sc = load_scenario(good_scenario(), "f.json", "", 4);
  CHECK(sc.run.cores == 4);
  CHECK(sc.run.seed == 3);
  CHECK(sc.resolved["workload"]["think"] == "exponential");
  CHECK(sc.workload != nullptr);
  CHECK(sc.machine.topo.cores() == 48);
  CHECK(sc.resolved["machine"]["coherence_cycles"]["load"]["M"]["two_hops"] == 252);
  CHECK(sc.resolved["run"]["cores"] == 4);
}

TEST_CASE("the loader names the JSON pointer of what is wrong", "[scenario]") {
  json d = good_scenario();
  d["workload"]["cs_cycles"] = -1;
  CHECK(error_pointer(d) == "/workload/cs_cycles");
  d = good_scenario();
  d["workload"]["lock"] = "spin";
  CHECK(error_pointer(d) == "/workload/lock");
  d = good_scenario();
  d["run"]["sed"] = 3;
  CHECK(error_pointer(d) == "/run/sed");
  d = good_scenario();
  d["machine"] = {{"preset", "opteron48"}, {"coherence_cycles", {{"load", {{"M", {{"two_hops", "x"}}}}}}}};
  CHECK(error_pointer(d) == "/machine/coherence_cycles/load/M/two_hops");
  d = good_scenario();
  d["machine"] = smpsim::test::tiny_machine_json();
  d["machine"]["coherence_cycles"]["store"].erase("S");
  CHECK(error_pointer(d) == "/machine/coherence_cycles/store/S");
  d = good_scenario();
  d["variants"] = json::array({{{"name", "x"}, {"set", {{"workload.nope.deeper", 1}}}}});
  CHECK(error_pointer(d, "x") == "/variants/0/set/workload.nope.deeper");
  d["variants"] = json::array({{{"name", "x"}, {"set", {{"workload.lock", "rwsem-typo"}}}}});
  CHECK(error_pointer(d, "x") == "/workload/lock");
  CHECK(error_pointer(d, "") == "(accepted)");
}
