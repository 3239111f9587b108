// Statistics declared once, by the component that counts them (zsim's and Ramulator's way): each statistic
// has a name, a unit and a description, and a group of them says where it appears in a result document.
//
// A counter struct binds its members in a StatTable: the table encodes the struct as JSON in declaration
// order and sums (or maxes) two of them, so no output lists a struct's fields by hand. Figures derived at
// output time (averages, shares, per-op rates) are declared as StatSpecs of their group.
// Every group registers itself with one line,
//
//   SMPSIM_REGISTER(StatRegistry, [] { return CoreCounters::table().group("events", {...}, "..."); });
//
// and `smpsim describe stats` walks the registry; tests check that a result's fields at each group's
// paths are exactly the declared ones, and the analysis package reads its column lists from it.
#pragma once
#include <nlohmann/json.hpp>

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "engine/registry.hpp"

namespace smpsim {

struct StatSpec {
  std::string name;
  std::string unit;  // count, ns, bytes, cycles, ratio, 1/s, text, ...
  std::string description;
  std::vector<std::string> keys;  // an object keyed by these (every key always present), or none
};

struct StatGroup {
  std::string name;                // "events", "coherence", ...
  std::vector<std::string> where;  // dotted paths in a result ("metrics.events", "metrics.cores[]"), or a file
  std::string description;
  std::vector<StatSpec> stats;
};
using StatRegistry = Registry<StatGroup>;

// How a statistic of many CPUs (or resources) becomes a total.
enum class StatSum { Sum, Max };

template <class T>
class StatTable {
 public:
  struct Field {
    StatSpec spec;
    std::function<nlohmann::json(const T&)> get;
    std::function<void(T&, const T&)> add;
  };

  static Field count(std::string name, std::string description, long long T::*m) {
    return {{std::move(name), "count", std::move(description), {}},
            [m](const T& v) { return nlohmann::json(v.*m); },
            [m](T& into, const T& from) { into.*m += from.*m; }};
  }
  static Field number(std::string name, std::string unit, std::string description, double T::*m,
                      StatSum how = StatSum::Sum) {
    return {{std::move(name), std::move(unit), std::move(description), {}},
            [m](const T& v) { return nlohmann::json(v.*m); },
            [m, how](T& into, const T& from) {
              into.*m = how == StatSum::Sum ? into.*m + from.*m : std::max(into.*m, from.*m);
            }};
  }
  // An array of counts indexed by an enum, written as an object with every key present.
  template <size_t N>
  static Field keyed(std::string name, std::string description, std::array<long long, N> T::*m,
                     std::vector<std::string> keys) {
    return {{std::move(name), "count", std::move(description), keys},
            [m, keys](const T& v) {
              nlohmann::json o = nlohmann::json::object();
              for (size_t i = 0; i < N; ++i) o[keys[i]] = (v.*m)[i];
              return o;
            },
            [m](T& into, const T& from) {
              for (size_t i = 0; i < N; ++i) (into.*m)[i] += (from.*m)[i];
            }};
  }

  explicit StatTable(std::vector<Field> fields) : fields_(std::move(fields)) {}

  // The struct as a JSON object, fields in declaration order.
  nlohmann::json to_json(const T& v) const {
    nlohmann::json j = nlohmann::json::object();
    for (const Field& f : fields_) j[f.spec.name] = f.get(v);
    return j;
  }
  void add(T& into, const T& from) const {
    for (const Field& f : fields_) f.add(into, from);
  }
  std::vector<StatSpec> specs() const {
    std::vector<StatSpec> s;
    for (const Field& f : fields_) s.push_back(f.spec);
    return s;
  }
  StatGroup group(std::string name, std::vector<std::string> where, std::string description,
                  std::vector<StatSpec> derived = {}) const {
    StatGroup g{std::move(name), std::move(where), std::move(description), specs()};
    for (StatSpec& s : derived) g.stats.push_back(std::move(s));
    return g;
  }

 private:
  std::vector<Field> fields_;
};

// A group's statistic names, in declaration order.
std::vector<std::string> stat_names(const std::string& group);
// The registered group of that name (an internal error if none).
const StatGroup& stat_group(const std::string& group);
// Every group as JSON (`smpsim describe json`'s "stats").
nlohmann::json stats_json();

}  // namespace smpsim
