// Reads one JSON object field by field, checking types and ranges, and
// reporting the JSON pointer of anything wrong. done() rejects keys that were
// never read, so a misspelt field is an error, not a silent default.
#pragma once
#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

#include "engine/params.hpp"
#include "engine/errors.hpp"

namespace smpsim {

using json = nlohmann::json;

class JsonReader {
 public:
  JsonReader(const json& j, std::string pointer, const std::string* file);

  bool has(const std::string& key) const { return j_.contains(key); }
  JsonReader object(const std::string& key);
  const json& raw(const std::string& key);  // marks the key read, no checks
  double number(const std::string& key, double min, double max, const double* dflt = nullptr);
  long long integer(const std::string& key, long long min, long long max, const long long* dflt = nullptr);
  std::string str(const std::string& key, const std::string* dflt = nullptr);
  std::string choice(const std::string& key, const std::vector<std::string>& allowed,
                     const std::string* dflt = nullptr);
  // Reads a declared parameter (type, range, choices, default).
  json param(const ParamSpec& p);
  void done() const;

  std::string ptr(const std::string& key) const;
  [[noreturn]] void fail(const std::string& key, const std::string& expected) const;
  [[noreturn]] void fail_here(const std::string& expected) const;
  const std::string& file() const { return *file_; }
  const std::string& pointer() const { return pointer_; }

  static std::string describe(const json& v);  // "the string \"x\"", "-5", ...
  static std::string escape(const std::string& key);  // JSON pointer token escaping

 private:
  const json* field(const std::string& key);
  const json& j_;
  std::string pointer_;
  const std::string* file_;
  std::set<std::string> read_;
};

}  // namespace smpsim
