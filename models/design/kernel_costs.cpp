#include "models/design/kernel_costs.hpp"

#include <string>

namespace smpsim {

// Every default's source and scaling: docs/design/kernel-costs.md (checked against this table by
// tests/py/test_kernel_costs.py).
const std::vector<KernelCost>& kernel_costs() {
  // [L07]: lmbench 2.0 on an x86-64 at 3.597 GHz, Linux 2.6.22 (docs/design/kernel-costs.md); cycles =
  // microseconds x 3.597. "derived": that measurement less the parts smpsim models separately.
  static const std::vector<KernelCost> k = {
      {"syscall_entry_exit", "entry and exit", 647,
       "A system call's entry and exit (SYSCALL, the entry code, SYSRET) with a null call's body: lmbench "
       "lat_syscall null (getppid), 0.18 us [L07], measured."},
      {"fault_entry_exit", "entry and exit", 2248,
       "A page fault's exception entry and exit with do_page_fault's VMA lookup and access check: lmbench "
       "lat_sig prot (a write to a read-only page, the signal's delivery excluded), 0.625 us [L07], measured."},
      {"path_component", "path walk", 971,
       "One component of a path walk (link_path_walk: hashing the name, the dcache hash lookup, permission "
       "check), the path's copy from user space and the stat's copy-out spread over the components: lmbench "
       "lat_syscall stat of a 4-component path, 1.26 us [L07] less a syscall's entry and exit, / 4; derived."},
      {"file_open", "file", 1529,
       "open's own work once the path is walked (alloc_file, do_dentry_open, fd_install): lmbench lat_syscall "
       "open (open + close of a 4-component path), 2.29 us [L07], less two syscalls and 4 components, half of "
       "the rest (the split between open and close is an assumption); derived."},
      {"file_close", "file", 1529,
       "close's own work (filp_close, __fput, the descriptor freed): the other half of lat_syscall open's rest "
       "(see file_open); derived."},
      {"inode_create", "directory op", 52336,
       "Creating a file in a directory (the file system's create: a new inode, the directory entry, the "
       "journal): lmbench lat_fs 0K create, 16.3 us per file [L07] (creat + close of a 2-component path), less "
       "two syscalls, the path, file_open and file_close; derived. On the source's disk file system, not "
       "tmpfs: an upper bound for MOSBENCH's tmpfs spool."},
      {"inode_unlink", "directory op", 33053,
       "Removing a file (the directory entry, the inode freed, the journal): lmbench lat_fs 0K delete, 9.909 us "
       "[L07], less a syscall and a 2-component path; derived. A disk file system: an upper bound for tmpfs."},
      {"dirent_rename", "directory op", 33053,
       "Renaming a file within one directory: no measurement found; estimate: inode_unlink's value "
       "(one entry removed, one added, no inode created or freed)."},
      {"readdir_entry", "readdir", 300,
       "One directory entry returned by getdents (filldir: the name copied to user space): no measurement "
       "found; estimate."},
      {"vma_alloc", "VMA alloc and free", 300,
       "A VMA allocated and initialized (vm_area_alloc, vma_link's bookkeeping besides the tree's lines): no "
       "measurement found; estimate (a slab allocation and a 200-byte structure initialized)."},
      {"vma_free", "VMA alloc and free", 300,
       "A VMA freed (remove_vma, the slab free): no measurement found; estimate, as vma_alloc."},
      {"fork_vma_copy", "fork and exit", 1000,
       "fork's per-VMA work besides the anon_vma chain (vm_area_dup, the file's reference, anon_vma_fork's "
       "allocations): no measurement found; estimate."},
      {"fork_pte_copy", "fork and exit", 20,
       "fork's per-PTE copy (copy_pte_range: read, write-protect, the page's map count): no measurement found; "
       "estimate."},
      {"fork_exit_task", "fork and exit", 160489,
       "A process created and reaped besides its VMAs and PTEs (copy_process: the task, its mm, files, "
       "signals; wake_up_new_task; do_exit, release_task, the parent's wait4 and two context switches), half "
       "charged to fork and half to exit: lmbench lat_proc fork (fork + exit + wait of lmbench's process, "
       "taken as 16 VMAs and 100 resident pages), 96.1 us [L07], less the other named costs of fork and exit "
       "(two syscalls, 16 VMA copies and frees, 100 PTE copies, the wake-up); derived (the halves are an "
       "assumption)."},
      {"exec_image", "exec", 1210972,
       "exec's work besides the old mm's teardown, the binary's path walk and the new VMAs (load_elf_binary, "
       "the new stack and arguments, and, as lmbench times it, the dynamic loader and the small program's run "
       "in user space): lmbench lat_proc exec (fork + execve + exit + wait), 436 us [L07], less lat_proc fork "
       "and the other named costs of exec (a syscall, a 2-component path, the binary's open and close, 16 VMAs "
       "freed, 4 allocated); derived."},
  };
  return k;
}

std::vector<ParamSpec> kernel_cost_params() {
  std::vector<ParamSpec> v;
  for (const KernelCost& c : kernel_costs())
    v.push_back({std::string(c.name) + "_cycles", "number", "cycles", c.cycles, 0, 1e9, {},
                 std::string(c.description) + " Part: " + c.part + "."});
  return v;
}

int kernel_cost_index(const std::string& name) {
  const auto& k = kernel_costs();
  for (size_t i = 0; i < k.size(); ++i)
    if (name == k[i].name) return int(i);
  return -1;
}

}  // namespace smpsim
