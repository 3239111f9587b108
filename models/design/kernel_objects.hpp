// Kernel objects as the traditional design lays them out: each instance of an
// object class ("mm0", "pt0.17", "zone2") has fields that are cache lines
// (created on first use, homed on the instance's node) or locks (of the kind
// the scenario chooses per class and field: "mm.mmap_sem": "rwsem").
#pragma once
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/sync/lock.hpp"
#include "models/sync/read_mostly.hpp"

namespace smpsim {

class KernelObjects {
 public:
  KernelObjects(MemorySystem& mem, std::map<std::string, std::string> lock_kinds)
      : mem_(mem), lock_kinds_(std::move(lock_kinds)) {}

  // Lines [0, n) of a field of an instance.
  LineId line(const std::string& instance, const std::string& field, int index, int home_die);
  // The lock `cls.field` of an instance: exclusive, or reader-writer.
  bool is_rw(const std::string& cls, const std::string& field) const;
  Lock& lock(const std::string& instance, const std::string& cls, const std::string& field, int home_die);
  ReadMostly& rw_lock(const std::string& instance, const std::string& cls, const std::string& field);
  std::string lock_kind(const std::string& cls, const std::string& field) const;

  // lock_stat rows: one per lock class (instances merged), and per instance.
  std::vector<nlohmann::json> class_rows() const;
  std::vector<nlohmann::json> instance_rows() const;
  long long lock_count() const { return (long long)(excl_.size() + rw_.size()); }

 private:
  MemorySystem& mem_;
  std::map<std::string, std::string> lock_kinds_;  // "cls.field" -> kind
  std::map<std::string, std::vector<LineId>> lines_;
  struct Excl {
    std::string cls;  // "mm.mmap_sem"
    std::unique_ptr<Lock> lock;
  };
  struct Rw {
    std::string cls;
    std::unique_ptr<ReadMostly> lock;
  };
  std::map<std::string, Excl> excl_;  // by "instance.field"
  std::map<std::string, Rw> rw_;
};

}  // namespace smpsim
