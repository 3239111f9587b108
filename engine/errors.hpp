// Bad input (scenario, flag, override): reported with the file, the JSON
// pointer and what was expected; the CLI maps it to exit code 2.
#pragma once
#include <stdexcept>
#include <string>

namespace smpsim {

class BadInput : public std::runtime_error {
 public:
  BadInput(const std::string& file, const std::string& pointer, const std::string& what)
      : std::runtime_error(format(file, pointer, what)), file_(file), pointer_(pointer) {}
  const std::string& pointer() const { return pointer_; }

 private:
  static std::string format(const std::string& file, const std::string& pointer, const std::string& what) {
    std::string s = file.empty() ? "" : file + ": ";
    if (!pointer.empty()) s += "at " + pointer + ": ";
    return s + what;
  }
  std::string file_, pointer_;
};

// Every simulated CPU blocked for ever (a lock-order cycle, a reply that never
// comes): reported with who waits for what; the CLI maps it to exit code 3.
class SimDeadlock : public std::runtime_error {
 public:
  explicit SimDeadlock(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace smpsim
