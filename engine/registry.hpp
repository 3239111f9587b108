// One way to register anything a scenario names by kind (locks, reader-writer
// schemes, kernel designs, workloads, coherence protocols): a file defines its
// entry and registers it with one line,
//
//   SMPSIM_REGISTER(LockRegistry, [] { return LockKind{"ticket", "...", make_ticket}; });
//
// and nothing else lists it. Entries are kept sorted by name, so what a
// registry lists never depends on the order the linker ran the registrations.
// (The library is a CMake OBJECT library: every registering file is linked.)
#pragma once
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace smpsim {

template <class Entry>
class Registry {
 public:
  using Factory = Entry (*)();
  // Called at static initialisation: only the factory is kept. Entries are
  // made on the first look-up, after every file has registered (an entry may
  // then use other registries: a workload's parameter lists the lock kinds).
  static void add(Factory f) { factories().push_back(f); }
  static const std::vector<Entry>& all() {
    static const std::vector<Entry> sorted = [] {
      std::vector<Entry> v;
      for (Factory f : factories()) v.push_back(f());
      std::sort(v.begin(), v.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
      for (size_t i = 1; i < v.size(); ++i)
        if (v[i].name == v[i - 1].name) {
          std::fprintf(stderr, "smpsim: internal error: \"%s\" is registered twice\n", v[i].name.c_str());
          std::abort();
        }
      return v;
    }();
    return sorted;
  }
  static const Entry* find(const std::string& name) {
    for (const Entry& e : all())
      if (e.name == name) return &e;
    return nullptr;
  }
  static std::vector<std::string> names() {
    std::vector<std::string> n;
    for (const Entry& e : all()) n.push_back(e.name);
    return n;
  }

 private:
  static std::vector<Factory>& factories() {
    static std::vector<Factory> v;
    return v;
  }
};

#define SMPSIM_REGISTRY_CONCAT2(a, b) a##b
#define SMPSIM_REGISTRY_CONCAT(a, b) SMPSIM_REGISTRY_CONCAT2(a, b)
// Registers `factory` (a function, or a lambda without captures, returning the entry).
#define SMPSIM_REGISTER(RegistryType, ...)                                                      \
  static const bool SMPSIM_REGISTRY_CONCAT(smpsim_registered_, __LINE__) [[maybe_unused]] = \
      (RegistryType::add(__VA_ARGS__), true)

}  // namespace smpsim
