// A kernel object instance as a key ("mm0.pt3" in instance 1 is {pt, 1, 0, 3}):
// the op path finds objects by key, and a name is built only when the object
// is created (its lines' and locks' names), for lock_stat and --explain.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

namespace smpsim {

// The classes recipes may name (kernel_object_classes()), and cpu for per-CPU
// lines (cross-call channels, IPI acknowledgements).
enum class ObjectClass : uint8_t {
  mm, vma, pt, anon_vma, mm_cpu, zone, pcp, child, rq, dir, sb, spool, mapping, page, dentry, file, cpu
};
// The class a recipe names; std::logic_error if none (recipes are checked first).
ObjectClass object_class(const std::string& name);

struct ObjectKey {
  ObjectClass cls;
  int instance;  // the kernel instance whose object it is (named "k<instance>."), or -1
  long long a = 0, b = 0;  // the numbers in its name: mm and vma, file and page, CPU, ...
  bool operator==(const ObjectKey& o) const {
    return cls == o.cls && instance == o.instance && a == o.a && b == o.b;
  }
};
// "k1.mm0.pt3", "zone2", "cpu5.rq".
std::string object_name(const ObjectKey& k);

struct ObjectKeyHash {
  size_t operator()(const ObjectKey& k) const {
    uint64_t h = uint64_t(k.cls) * 0x9E3779B97F4A7C15ull ^ uint64_t(uint32_t(k.instance)) << 32;
    h ^= uint64_t(k.a) + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h ^= uint64_t(k.b) + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return size_t(h);
  }
};

}  // namespace smpsim
