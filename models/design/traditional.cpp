// The traditional design: one kernel instance across all cores; every kernel
// object is shared, protected by its own lock, on lines homed on node 0
// (where a boot-time allocation lands).
#include <map>
#include <stdexcept>

#include "models/design/kernel_design.hpp"

namespace smpsim {
namespace {

class Traditional : public KernelDesign {
 public:
  explicit Traditional(MemorySystem& mem) : mem_(mem) {}
  const char* kind() const override { return "traditional"; }

  Lock& lock_for(const std::string& object, const std::string& lock_kind) override {
    auto it = by_object_.find(object);
    if (it != by_object_.end()) return *locks_[it->second];
    locks_.push_back(make_lock(lock_kind, object, mem_, /*home_die=*/0));
    by_object_[object] = locks_.size() - 1;
    return *locks_.back();
  }

  std::vector<const Lock*> locks() const override {
    std::vector<const Lock*> out;
    for (const auto& l : locks_) out.push_back(l.get());
    return out;
  }

 private:
  MemorySystem& mem_;
  std::vector<std::unique_ptr<Lock>> locks_;  // creation order: deterministic reports
  std::map<std::string, size_t> by_object_;
};

}  // namespace

const std::vector<std::string>& design_kinds() {
  static const std::vector<std::string> k = {"traditional"};
  return k;
}

std::unique_ptr<KernelDesign> make_design(const std::string& kind, MemorySystem& mem) {
  if (kind == "traditional") return std::make_unique<Traditional>(mem);
  throw std::invalid_argument("unknown design " + kind);
}

}  // namespace smpsim
