// A model parameter declared once, with its type, unit, default and
// description: scenario loading reads through these declarations and
// `smpsim describe` prints them.
#pragma once
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace smpsim {

struct ParamSpec {
  std::string name;
  std::string type;     // number, integer, string, enum, matrix, table
  std::string unit;     // "" when unitless
  nlohmann::json dflt;  // null: required
  double min = 0, max = 0;
  std::vector<std::string> choices;  // for enum
  std::string description;
};

// A parameter value that is well-typed but wrong for this machine or run;
// the loader reports it at the parameter's JSON pointer.
class ParamError : public std::runtime_error {
 public:
  ParamError(std::string param, const std::string& what) : std::runtime_error(what), param_(std::move(param)) {}
  const std::string& param() const { return param_; }

 private:
  std::string param_;
};

}  // namespace smpsim
