// libFuzzer target: any bytes as a scenario file. The loader and validator
// must answer with a result or a BadInput (exit code 2 in the CLI), never
// crash, hang or throw anything else. Build and run: `make fuzz`
// (FUZZ_SECONDS=N for longer); crashes go to tests/fuzz/crashes/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/errors.hpp"
#include "sim/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    return 0;  // not JSON (read_json_file reports it as bad input before the loader runs)
  }
  try {
    smpsim::check_scenario_file(doc, "<fuzz>");
    smpsim::read_sweep_section(doc, "<fuzz>");
  } catch (const smpsim::BadInput&) {
    // the expected answer to a bad scenario
  }
  return 0;
}
