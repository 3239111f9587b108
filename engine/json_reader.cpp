#include "engine/json_reader.hpp"

#include <cmath>

namespace smpsim {

JsonReader::JsonReader(const json& j, std::string pointer, const std::string* file)
    : j_(j), pointer_(std::move(pointer)), file_(file) {
  if (!j_.is_object()) fail_here("expected an object, got " + describe(j_));
}

std::string JsonReader::escape(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string JsonReader::ptr(const std::string& key) const { return pointer_ + "/" + escape(key); }

void JsonReader::fail(const std::string& key, const std::string& expected) const {
  throw BadInput(*file_, ptr(key), expected);
}
void JsonReader::fail_here(const std::string& expected) const {
  throw BadInput(*file_, pointer_.empty() ? "/" : pointer_, expected);
}

std::string JsonReader::describe(const json& v) {
  std::string d = v.dump();
  if (d.size() > 60) d = d.substr(0, 57) + "...";
  switch (v.type()) {
    case json::value_t::string: return "the string " + d;
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::boolean: return "the boolean " + d;
    case json::value_t::null: return "null";
    default: return d;
  }
}

const json* JsonReader::field(const std::string& key) {
  read_.insert(key);
  auto it = j_.find(key);
  return it == j_.end() ? nullptr : &*it;
}

JsonReader JsonReader::object(const std::string& key) {
  const json* v = field(key);
  if (!v) fail(key, "missing required object");
  return JsonReader(*v, ptr(key), file_);
}

const json& JsonReader::raw(const std::string& key) {
  const json* v = field(key);
  if (!v) fail(key, "missing required field");
  return *v;
}

double JsonReader::number(const std::string& key, double min, double max, const double* dflt) {
  const json* v = field(key);
  if (!v) {
    if (dflt) return *dflt;
    fail(key, "missing required number");
  }
  if (!v->is_number()) fail(key, "expected a number, got " + describe(*v));
  double x = v->get<double>();
  if (!std::isfinite(x) || x < min || x > max)
    fail(key, "expected a number in [" + json(min).dump() + ", " + json(max).dump() + "], got " + v->dump());
  return x;
}

long long JsonReader::integer(const std::string& key, long long min, long long max, const long long* dflt) {
  const json* v = field(key);
  if (!v) {
    if (dflt) return *dflt;
    fail(key, "missing required integer");
  }
  long long x = 0;
  if (v->is_number_unsigned()) {
    const unsigned long long u = v->get<unsigned long long>();
    if (u > static_cast<unsigned long long>(max))
      fail(key, "expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " + v->dump());
    x = static_cast<long long>(u);
  } else if (v->is_number_integer()) {
    x = v->get<long long>();
  } else if (v->is_number_float() && std::floor(v->get<double>()) == v->get<double>() &&
             std::fabs(v->get<double>()) < 9e15) {
    x = static_cast<long long>(v->get<double>());  // 2000.0 is accepted as 2000
  } else {
    fail(key, "expected an integer, got " + describe(*v));
  }
  if (x < min || x > max)
    fail(key, "expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " + v->dump());
  return x;
}

std::string JsonReader::str(const std::string& key, const std::string* dflt) {
  const json* v = field(key);
  if (!v) {
    if (dflt) return *dflt;
    fail(key, "missing required string");
  }
  if (!v->is_string()) fail(key, "expected a string, got " + describe(*v));
  return v->get<std::string>();
}

std::string JsonReader::choice(const std::string& key, const std::vector<std::string>& allowed,
                               const std::string* dflt) {
  std::string s = str(key, dflt);
  for (const auto& a : allowed)
    if (a == s) return s;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + ("\"" + a + "\"");
  fail(key, "expected one of " + list + ", got \"" + s + "\"");
}

json JsonReader::param(const ParamSpec& p) {
  const bool has_default = !p.dflt.is_null();
  double dn = 0;
  long long di = 0;
  std::string ds;
  if (p.dflt.is_number()) dn = p.dflt.get<double>(), di = p.dflt.get<long long>();
  if (p.dflt.is_string()) ds = p.dflt.get<std::string>();
  if (p.type == "number") return number(p.name, p.min, p.max, has_default ? &dn : nullptr);
  if (p.type == "integer") return integer(p.name, (long long)p.min, (long long)p.max, has_default ? &di : nullptr);
  if (p.type == "enum") return choice(p.name, p.choices, has_default ? &ds : nullptr);
  if (p.type == "string") return str(p.name, has_default ? &ds : nullptr);
  if (p.type == "array") {  // structure checked by the model that declares it
    if (!has(p.name)) {
      if (has_default) return p.dflt;
      fail(p.name, "missing required array");
    }
    const json& v = raw(p.name);
    if (!v.is_array()) fail(p.name, "expected an array, got " + describe(v));
    return v;
  }
  throw std::logic_error("JsonReader::param: no generic reader for type " + p.type);
}

void JsonReader::done() const {
  for (auto it = j_.begin(); it != j_.end(); ++it)
    if (!read_.count(it.key())) {
      std::string known;
      for (const auto& k : read_) known += (known.empty() ? "" : ", ") + k;
      throw BadInput(*file_, ptr(it.key()), "unknown key \"" + it.key() + "\" (known here: " + known + ")");
    }
}

}  // namespace smpsim
