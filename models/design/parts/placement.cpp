#include "models/design/parts/placement.hpp"

#include <fmt/format.h>

namespace smpsim {

const std::set<std::string>& vm_ops() {
  static const std::set<std::string> o = {"page_fault", "populate_page", "mmap", "munmap", "mprotect", "file_fault"};
  return o;
}

const std::set<std::string>& fs_ops() {
  static const std::set<std::string> o = {"open",   "close",     "stat",       "readdir",     "create",      "rename",
                                          "unlink", "file_read", "file_write", "mount_lookup"};
  return o;
}

InstancePlacement::InstancePlacement(const MemorySystem& mem, Partition part, Options o)
    : mem_(mem), part_(std::move(part)), instances_(part_.instances()), o_(o) {}

// An instance's memory is its first CPU's node.
int InstancePlacement::instance_die(int k) const { return mem_.machine().topo.die_of(part_.first_cpu(k)); }

// The home instance of an address space when one space spans instances
// (shared_mm = xcall): the instance that touched it first.
int InstancePlacement::mm_home(const Core& c, long long mm) const {
  if (!o_.xcall_mm || instances_ == 1) return part_.instance_of(c.id);
  return mm_home_.emplace(mm, part_.instance_of(c.id)).first->second;
}

// The home instance of the file or directory an op names: the instance that
// touched it first (first touch, deterministic in simulated order).
int InstancePlacement::fs_home(const Core& c, const OpArgs& a) const {
  if (instances_ == 1) return 0;
  const bool file = a.v.count("file") > 0;
  if (!file && !a.v.count("dir")) return part_.instance_of(c.id);
  auto& homes = file ? file_home_ : dir_home_;
  return homes.emplace(a.get(file ? "file" : "dir"), part_.instance_of(c.id)).first->second;
}

ObjectRef InstancePlacement::object(const Core& c, ObjectClass cls, const OpArgs& a) const {
  using C = ObjectClass;
  const Topology& t = mem_.machine().topo;
  const long long mm = a.get("mm");
  if (cls == C::mm || cls == C::vma || cls == C::pt || cls == C::anon_vma) {
    // An address space lives in one instance: the running CPU's (each
    // instance runs its own copy of a process), or its home (shared_mm).
    const int h = mm_home(c, mm);
    const int home = instances_ > 1 ? instance_die(h) : int(a.get("mm_home", 0));
    if (cls == C::mm) return {{C::mm, in(h), mm}, home};
    if (cls == C::vma) return {{C::vma, in(h), mm, a.get("vma")}, home};
    if (cls == C::pt) return {{C::pt, in(h), mm, a.get("addr") >> 21}, home};
    return {{C::anon_vma, in(h), mm}, home};
  }
  const int k = part_.instance_of(c.id);  // per-kernel objects: the running CPU's instance
  if (cls == C::mm_cpu) return {{C::mm_cpu, in(k), mm, c.id}, t.die_of(c.id)};
  if (cls == C::zone) {
    const int node = o_.per_node_zones ? t.die_of(c.id) : instance_die(k);
    return {{C::zone, in(k), node}, node};
  }
  if (cls == C::pcp) return {{C::pcp, -1, c.id}, t.die_of(c.id)};
  if (cls == C::child) return {{C::mm, in(k), a.get("child")}, t.die_of(c.id)};  // the child's mm
  if (cls == C::rq) {
    const int target = int(a.get("target", c.id));
    return {{C::rq, -1, target}, t.die_of(target)};
  }
  // Each instance caches the path's directories and its mount table itself.
  if (cls == C::dir) return {{C::dir, in(k)}, instance_die(k)};
  if (cls == C::sb) return {{C::sb, in(k)}, instance_die(k)};
  // The shared (cluster) file system: a file's objects live at its home instance.
  const int h = fs_home(c, a);
  const int fs_die = instance_die(h);
  if (cls == C::spool) return {{C::spool, in(h), a.get("dir")}, fs_die};
  if (cls == C::mapping) return {{C::mapping, in(h), a.get("file")}, fs_die};
  if (cls == C::page) return {{C::page, in(h), a.get("file"), a.get("addr") >> 12}, fs_die};
  if (cls == C::dentry) return {{C::dentry, in(h), a.get("file")}, fs_die};
  return {{C::file, in(h), a.get("file")}, fs_die};
}

int InstancePlacement::server(const Core& c, const std::string& op, const OpArgs& a) const {
  if (instances_ == 1) return -1;
  int home;
  if (o_.xcall_fs && fs_ops().count(op)) home = fs_home(c, a);
  else if (o_.xcall_mm && vm_ops().count(op)) home = mm_home(c, a.get("mm"));
  else return -1;
  if (home == part_.instance_of(c.id)) return -1;
  return server_in(home, c);
}

int InstancePlacement::server_in(int home, const Core& c) const {
  const std::vector<int>& cpus = part_.cpus(home);
  return cpus[size_t(part_.rank(c.id)) % cpus.size()];
}

OwnerPlacement::OwnerPlacement(const MemorySystem& mem, bool per_node_zones)
    : InstancePlacement(mem, Partition::blocks(mem.cores(), 1), Options{per_node_zones, false, false}) {}

// Every VM and file-system op goes to the owner CPU of its object (address
// space, file or directory), placed by hash.
int OwnerPlacement::server(const Core&, const std::string& op, const OpArgs& a) const {
  long long obj;
  if (vm_ops().count(op)) obj = a.get("mm") * 7919 + 1;
  else if (fs_ops().count(op)) obj = a.v.count("file") ? a.get("file") * 31 + 2 : a.get("dir") * 31 + 3;
  else return -1;
  return int(obj % mem_.cores());
}

}  // namespace smpsim
