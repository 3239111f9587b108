// Placement: which instance of a kernel object an op's arguments designate
// (its name and home node), and which CPU serves an op. A design's answer to
// "where does this object live, and who runs this op?":
//  - InstancePlacement: N kernel instances, each on a partition of the CPUs
//    (one instance: the traditional kernel; several: ccCluster). Objects of
//    instance k are named k<k>.NAME when there are several (object_key.hpp); a shared file
//    system's objects live at the instance that touched them first; an address
//    space lives in each instance that runs it, or at its first toucher's
//    (shared_mm). An op on another instance's object is served there.
//  - OwnerPlacement: one kernel whose address spaces and files are each owned
//    by a CPU (placed by hash); every VM and file-system op goes to the
//    owner's port (the message-port design).
#pragma once
#include <map>
#include <set>
#include <string>

#include "models/coherence/memory_system.hpp"
#include "models/design/kernel_design.hpp"
#include "models/design/object_key.hpp"
#include "models/design/parts/partition.hpp"

namespace smpsim {

// The ops that act on an address space, and those the file-system service serves.
const std::set<std::string>& vm_ops();
const std::set<std::string>& fs_ops();

struct ObjectRef {
  ObjectKey key;  // "mm0.pt3", "k1.zone2" (object_name)
  int home_die;   // the node its lines are homed on
};

class Placement {
 public:
  virtual ~Placement() = default;
  // The instance of object class `cls` that op arguments `a` designate on CPU c.
  virtual ObjectRef object(const Core& c, ObjectClass cls, const OpArgs& a) const = 0;
  // Where `op` runs: -1 on c, in its own kernel; c.id for a message to c's own
  // port; otherwise the CPU that serves it.
  virtual int server(const Core& c, const std::string& op, const OpArgs& a) const = 0;
  // Kernel instances (for traces: a process per instance when several).
  virtual const Partition& partition() const = 0;
  // The instance whose copy of address space `mm` CPU c runs (-1: one copy for
  // all): the CPUs that ran one copy are what its shootdowns target.
  virtual int space_instance(const Core& c, long long mm) const = 0;
};

class InstancePlacement : public Placement {
 public:
  struct Options {
    bool per_node_zones = true;  // a zone per NUMA node, or one per instance
    bool xcall_fs = true;        // another instance's file: a call to its home (else direct access)
    bool xcall_mm = false;       // one address space across instances, homed at its first toucher
  };
  InstancePlacement(const MemorySystem& mem, Partition part, Options o);
  ObjectRef object(const Core& c, ObjectClass cls, const OpArgs& a) const override;
  int server(const Core& c, const std::string& op, const OpArgs& a) const override;
  const Partition& partition() const override { return part_; }
  // Per instance (each runs its own copy), or -1 for the one space shared across instances (shared_mm: xcall).
  int space_instance(const Core& c, long long) const override {
    return o_.xcall_mm && instances_ > 1 ? -1 : part_.instance_of(c.id);
  }
  // The CPU of instance `home` that serves c's calls: spread over the
  // instance by c's place in its own.
  int server_in(int home, const Core& c) const;

 protected:
  int instance_die(int k) const;
  // The instance in an object's key: k when there are several (named k<k>.NAME).
  int in(int k) const { return instances_ > 1 ? k : -1; }
  int mm_home(const Core& c, long long mm) const;
  int fs_home(const Core& c, const OpArgs& a) const;

  const MemorySystem& mem_;
  Partition part_;
  int instances_;
  Options o_;
  mutable std::map<long long, int> file_home_, dir_home_, mm_home_;  // first touch, in simulated order
};

class OwnerPlacement : public InstancePlacement {
 public:
  OwnerPlacement(const MemorySystem& mem, bool per_node_zones);
  int server(const Core& c, const std::string& op, const OpArgs& a) const override;
};

}  // namespace smpsim
