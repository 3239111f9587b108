// Kernel objects as the traditional design lays them out: each instance of an
// object class ("mm0", "pt0.17", "zone2") has fields that are cache lines
// (created on first use, homed on the instance's node) or locks (of the kind
// the scenario chooses per class and field: "mm.mmap_sem": "rwsem").
#pragma once
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/design/object_key.hpp"

#include "models/sync/lock.hpp"
#include "models/sync/read_mostly.hpp"

namespace smpsim {

class KernelObjects {
 public:
  KernelObjects(MemorySystem& mem, std::map<std::string, std::string> lock_kinds)
      : mem_(mem), lock_kinds_(std::move(lock_kinds)) {}

  // Ids, given once (when recipes are resolved): a field name ("mmap_sem"), and
  // a lock class ("mm.mmap_sem", with its kind).
  int field_id(const std::string& field);
  int lock_class(const std::string& cls, const std::string& field);
  const std::string& lock_kind(int lock_class) const { return classes_[size_t(lock_class)].kind; }
  bool is_rw(int lock_class) const { return classes_[size_t(lock_class)].rw; }

  // Lines [0, n) of a field of an object, created (and named) at first use.
  LineId line(const ObjectKey& obj, int field, int index, int home_die);
  // The lock of lock class `lock_class` (its field `field`) of an object:
  // exclusive, or reader-writer. An object's lock is one whatever class names it
  // (a child's mm is an mm); it keeps the class it was made for.
  Lock& lock(const ObjectKey& obj, int lock_class, int field, int home_die);
  ReadMostly& rw_lock(const ObjectKey& obj, int lock_class, int field);

  // lock_stat rows: one per lock class (instances merged), and per instance.
  std::vector<nlohmann::json> class_rows() const;
  std::vector<nlohmann::json> instance_rows() const;
  long long lock_count() const { return (long long)(excl_.size() + rw_.size()); }

 private:
  struct Key {
    ObjectKey obj;
    int field;
    bool operator==(const Key& o) const { return field == o.field && obj == o.obj; }
  };
  struct KeyHash {
    size_t operator()(const Key& k) const { return ObjectKeyHash{}(k.obj) * 31 + size_t(k.field); }
  };
  struct LockClass {
    std::string name;  // "mm.mmap_sem"
    std::string kind;
    bool rw;
  };
  std::string name(const Key& k) const { return object_name(k.obj) + "." + fields_[size_t(k.field)]; }

  MemorySystem& mem_;
  std::map<std::string, std::string> lock_kinds_;  // "cls.field" -> kind
  std::vector<std::string> fields_;
  std::map<std::string, int> field_ids_;
  std::vector<LockClass> classes_;
  std::map<std::string, int> class_ids_;
  // The objects, by name (the order of lock_stat's rows), and the op path's index of them.
  struct Excl {
    std::string cls;  // "mm.mmap_sem"
    std::unique_ptr<Lock> lock;
  };
  struct Rw {
    std::string cls;
    std::unique_ptr<ReadMostly> lock;
  };
  std::unordered_map<Key, std::vector<LineId>, KeyHash> lines_;
  std::map<std::string, Excl> excl_;  // by "instance.field"
  std::map<std::string, Rw> rw_;
  std::unordered_map<Key, Lock*, KeyHash> excl_index_;
  std::unordered_map<Key, ReadMostly*, KeyHash> rw_index_;
};

}  // namespace smpsim
