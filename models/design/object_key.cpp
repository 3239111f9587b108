#include "models/design/object_key.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace smpsim {

ObjectClass object_class(const std::string& name) {
  static const std::pair<const char*, ObjectClass> classes[] = {
      {"mm", ObjectClass::mm},         {"vma", ObjectClass::vma},       {"pt", ObjectClass::pt},
      {"anon_vma", ObjectClass::anon_vma}, {"mm_cpu", ObjectClass::mm_cpu}, {"zone", ObjectClass::zone},
      {"pcp", ObjectClass::pcp},       {"child", ObjectClass::child},   {"rq", ObjectClass::rq},
      {"dir", ObjectClass::dir},       {"sb", ObjectClass::sb},         {"spool", ObjectClass::spool},
      {"mapping", ObjectClass::mapping}, {"page", ObjectClass::page},   {"dentry", ObjectClass::dentry},
      {"file", ObjectClass::file},     {"cpu", ObjectClass::cpu}};
  for (const auto& [n, c] : classes)
    if (name == n) return c;
  throw std::logic_error("no kernel object class " + name);
}

std::string object_name(const ObjectKey& k) {
  std::string n;
  switch (k.cls) {
    case ObjectClass::mm:
    case ObjectClass::child: n = fmt::format("mm{}", k.a); break;
    case ObjectClass::vma: n = fmt::format("mm{}.vma{}", k.a, k.b); break;
    case ObjectClass::pt: n = fmt::format("mm{}.pt{}", k.a, k.b); break;
    case ObjectClass::anon_vma: n = fmt::format("mm{}.anon_vma", k.a); break;
    case ObjectClass::mm_cpu: n = fmt::format("mm{}.cpu{}", k.a, k.b); break;
    case ObjectClass::zone: n = fmt::format("zone{}", k.a); break;
    case ObjectClass::pcp: n = fmt::format("cpu{}.pcp", k.a); break;
    case ObjectClass::rq: n = fmt::format("cpu{}.rq", k.a); break;
    case ObjectClass::dir: n = "dir0"; break;
    case ObjectClass::sb: n = "sb0"; break;
    case ObjectClass::spool: n = fmt::format("spool{}", k.a); break;
    case ObjectClass::mapping: n = fmt::format("file{}.mapping", k.a); break;
    case ObjectClass::page: n = fmt::format("file{}.page{}", k.a, k.b); break;
    case ObjectClass::dentry: n = fmt::format("dentry{}", k.a); break;
    case ObjectClass::file: n = fmt::format("file{}", k.a); break;
    case ObjectClass::cpu: n = fmt::format("cpu{}", k.a); break;
  }
  return k.instance >= 0 ? fmt::format("k{}.{}", k.instance, n) : n;
}

}  // namespace smpsim
