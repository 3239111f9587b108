// The traditional design's default op recipes: one kernel across all CPUs,
// Linux's data structures and locks. Each recipe names the Linux functions
// it imitates; docs/design/traditional.md describes them.
#include "models/design/traditional_recipes.hpp"

namespace smpsim {

using nlohmann::json;

json traditional_recipes(const std::string& vm, const std::string& page_alloc, const std::string& free_space,
                         const std::string& path_walk) {
  json r = json::object();
  // Page allocator: __rmqueue under zone->lock, or the per-CPU lists
  // (rmqueue_pcplist) refilled and drained in batches of 31 under zone->lock.
  // A freed page goes to the head of the list, still in the freeing CPU's cache: its next allocation zeroes
  // it there (free lists are LIFO; the model keeps the hot pages per CPU).
  if (page_alloc == "zone") {
    r["alloc_page"] = json::parse(R"([{"lock": "zone.lock", "do": [{"write": "zone.free_list"}]}])");
    r["free_page"] = json::parse(R"([{"lock": "zone.lock", "do": [{"write": "zone.free_list"}]}, {"page_to_free_list": "hot"}])");
  } else {
    r["alloc_page"] = json::parse(R"([{"write": "pcp.list"},
      {"every": 31, "do": [{"lock": "zone.lock", "do": [{"write": "zone.free_list", "lines": 2}]}]}])");
    r["free_page"] = json::parse(R"([{"write": "pcp.list"}, {"page_to_free_list": "hot"},
      {"every": 31, "do": [{"lock": "zone.lock", "do": [{"write": "zone.free_list", "lines": 2}]}]}])");
  }
  // VM. Faults: handle_mm_fault -> do_anonymous_page; mmap: do_mmap ->
  // vma_link; munmap: do_munmap -> unmap_region (zap_pte_range, free pages,
  // tlb_finish_mmu -> flush_tlb_mm_range, the shootdown).
  const json zap = json::parse(R"({"repeat": "pages", "do": [
      {"lock": "pt.ptl", "do": [{"write": "pt.pte"}]}, {"call": "free_page"}]})");
  const json fill = json::parse(R"({"lock": "pt.ptl", "do": [{"write": "pt.pte"}, {"tlb_fill": "mm"}]})");
  // Every system call and fault pays its entry and exit (kernel_costs.cpp); an anonymous fault's new page
  // is zeroed (clear_page) through the memory model.
  const json syscall = json::parse(R"({"cost": "syscall_entry_exit"})");
  const json fault = json::parse(R"({"cost": "fault_entry_exit"})");
  const json zero_page = json::parse(R"({"zero": 4096})");
  if (vm == "mmap_sem" || vm == "per_vma") {
    r["mmap"] = json::array({syscall, json::parse(R"({"lock": "mm.mmap_sem", "mode": "write", "do": [
        {"cost": "vma_alloc"}, {"read": "mm.vma_tree", "lines": 3}, {"write": "mm.vma_tree", "lines": 2},
        {"write": "vma.node"}]})")});
    json unmap_body = json::parse(R"([{"read": "mm.vma_tree", "lines": 3}, {"write": "mm.vma_tree", "lines": 2}])");
    if (vm == "per_vma") {  // vma_start_write: wait for readers of this VMA
      unmap_body.push_back(json{{"lock", "vma.lock"}, {"mode", "write"}, {"do", json::array({zap})}});
    } else {
      unmap_body.push_back(zap);
    }
    unmap_body.push_back(json{{"shootdown", "mm"}});
    unmap_body.push_back(json{{"cost", "vma_free"}});
    r["munmap"] = json::array({syscall, json{{"lock", "mm.mmap_sem"}, {"mode", "write"}, {"do", unmap_body}}});
  }
  // handle_mm_fault's work; a fault is it behind the exception's entry and exit, MAP_POPULATE's fill
  // (__mm_populate, populate_page) is it alone.
  json handle;
  if (vm == "mmap_sem") {
    handle = json::array({json{{"lock", "mm.mmap_sem"}, {"mode", "read"},
                               {"do", json::array({json{{"read", "mm.vma_tree"}, {"lines", 3}},
                                                   json{{"call", "alloc_page"}}, zero_page, fill})}}});
  } else if (vm == "per_vma") {  // Linux 6.4: lock_vma_under_rcu
    handle = json::array(
        {json::parse(R"({"rcu": "mm.vma_tree", "do": [{"read": "mm.vma_tree", "lines": 3}]})"),
         json{{"lock", "vma.lock"}, {"mode", "read"}, {"do", json::array({json{{"call", "alloc_page"}}, zero_page, fill})}}});
  } else {  // pt_extents (seed 004): VMA extents in the bottom page-table page, under its PTL
    handle = json::array({json::parse(R"({"lock": "pt.ptl", "do": [{"read": "pt.extents"}]})"),
                          json{{"call", "alloc_page"}}, zero_page, fill});
    // An extent is written in place: no VMA structure to allocate or free.
    r["mmap"] = json::array({syscall, json::parse(R"({"call": "find_free_space"})"),
                             json::parse(R"({"lock": "pt.ptl", "do": [{"write": "pt.extents"}]})")});
    r["munmap"] = json::array({syscall, json::parse(R"({"lock": "pt.ptl", "do": [{"write": "pt.extents"}]})"), zap,
                               json{{"shootdown", "mm"}}, json{{"call", "release_free_space"}}});
    if (free_space == "global") {  // one extent tree of free virtual space per address space
      r["find_free_space"] = json::parse(R"([{"lock": "mm.free_space_lock", "do": [
          {"read": "mm.free_tree", "lines": 3}, {"write": "mm.free_tree"}]}])");
    } else {  // per-CPU caches of free space, refilled from the tree now and then
      r["find_free_space"] = json::parse(R"([{"write": "mm_cpu.free_cache"},
          {"every": 64, "do": [{"lock": "mm.free_space_lock", "do": [
            {"read": "mm.free_tree", "lines": 3}, {"write": "mm.free_tree", "lines": 2}]}]}])");
    }
    r["release_free_space"] = r["find_free_space"];
  }
  // A load of a mapped page whose translation the CPU does not hold: no fault, the page walker reads the PTE
  // and fills the TLB (user code touching memory another CPU faulted in).
  r["touch_page"] = json::parse(R"([{"read": "pt.pte"}, {"tlb_fill": "mm"}])");
  r["populate_page"] = handle;
  r["page_fault"] = handle;
  r["page_fault"].insert(r["page_fault"].begin(), fault);
  // VFS: open = path_openat -> link_path_walk, one component per directory
  // level, then a reference on the final dentry (dget: the lockref, the
  // dentry's lock and count in one word); close = fput -> dput.
  if (path_walk == "ref") {
    r["path_walk"] = json::parse(R"([{"repeat": "depth", "do": [{"cost": "path_component"},
        {"read": "dir.d_hash"}, {"atomic": "dir.d_lockref"}, {"atomic": "dir.d_lockref"}]},
        {"cost": "path_component"}, {"read": "dentry.d_hash"}, {"atomic": "dentry.d_lockref"}])");
  } else {  // RCU walk: no reference on the intermediate directories
    r["path_walk"] = json::parse(R"([{"rcu": "dir.d_hash", "do": [
        {"repeat": "depth", "do": [{"cost": "path_component"}, {"read": "dir.d_hash"}]},
        {"cost": "path_component"}, {"read": "dentry.d_hash"}]}, {"atomic": "dentry.d_lockref"}])");
  }
  // `depth` directories above the file: a path of depth + 1 components.
  r["open"] = json::parse(R"([{"cost": "syscall_entry_exit"}, {"call": "path_walk"}, {"cost": "file_open"}])");
  r["close"] = json::parse(R"([{"cost": "syscall_entry_exit"}, {"cost": "file_close"}, {"atomic": "dentry.d_lockref"}])");
  // stat (vfs_statx): the path walked, the attributes copied out, the reference dropped.
  r["stat"] = json::parse(R"([{"cost": "syscall_entry_exit"}, {"call": "path_walk"}, {"atomic": "dentry.d_lockref"}])");
  // A system call that does nothing (getppid): the entry and exit alone.
  r["getppid"] = json::parse(R"([{"cost": "syscall_entry_exit"}])");

  // Scheduler: try_to_wake_up -> ttwu_queue: enqueue on the target CPU's run
  // queue under its lock (the reschedule IPI is sent by the caller's model).
  r["wake_up"] = json::parse(R"([{"lock": "rq.lock", "do": [{"write": "rq.queue"}, {"compute": 600}]}])");

  // fork (copy_process -> dup_mmap): copy every VMA, linking each into the
  // parent's anon_vma (anon_vma_fork, under the anon_vma lock: MOSBENCH's
  // exim bottleneck), copy the page tables, then wake_up_new_task.
  r["fork"] = json::parse(R"([{"cost": "syscall_entry_exit"}, {"cost": "fork_exit_task"},
      {"lock": "mm.mmap_sem", "mode": "write", "do": [
        {"read": "mm.vma_tree", "lines": 3},
        {"repeat": "vmas", "do": [{"cost": "fork_vma_copy"}, {"lock": "anon_vma.lock", "do": [{"write": "anon_vma.chain"}]},
                                  {"write": "child.vma_tree"}]},
        {"repeat": "pages", "do": [{"cost": "fork_pte_copy"}, {"read": "pt.pte"}, {"write": "child.pte"}]}]},
      {"call": "wake_up"}])");
  // An address space torn down (exit_mmap): every VMA unlinked from the anon_vma and freed, the pages freed.
  r["mm_teardown"] = json::parse(R"([{"repeat": "vmas", "do": [{"lock": "anon_vma.lock", "do": [{"write": "anon_vma.chain"}]},
      {"cost": "vma_free"}]}, {"repeat": "pages", "do": [{"write": "child.pte"}, {"call": "free_page"}]}])");
  // exit (do_exit): the address space, then the task (fork_exit_task's other half: release_task, the
  // parent's wait4).
  r["exit"] = json::parse(R"([{"cost": "syscall_entry_exit"}, {"call": "mm_teardown"}, {"cost": "fork_exit_task"}])");
  // exec (do_execveat -> exec_mmap, begin_new_exec): a path walk for the binary, the old address space
  // torn down, the new one mapped (binary, stack), the image loaded.
  r["exec"] = json::parse(R"([{"cost": "syscall_entry_exit"}, {"call": "path_walk"}, {"cost": "file_open"},
      {"call": "mm_teardown"},
      {"lock": "mm.mmap_sem", "mode": "write", "do": [{"repeat": 4, "do": [{"cost": "vma_alloc"},
        {"read": "mm.vma_tree", "lines": 3}, {"write": "mm.vma_tree", "lines": 2}]}]},
      {"cost": "file_close"}, {"atomic": "dentry.d_lockref"}, {"cost": "exec_image"}])");
  // Directory operations in a spool directory (vfs_create, vfs_rename within
  // one directory, vfs_unlink), under the directory inode's i_rwsem.
  // create is open(O_CREAT): it returns an open file (close it with close).
  r["create"] = json::parse(R"([{"cost": "syscall_entry_exit"}, {"call": "lookup_spool"},
      {"lock": "spool.i_rwsem", "mode": "write", "do": [
        {"write": "spool.dir_data"}, {"atomic": "sb.inode_count"}, {"cost": "inode_create"}]}, {"cost": "file_open"}])");
  r["rename"] = json::parse(R"([{"cost": "syscall_entry_exit"}, {"call": "lookup_spool"}, {"call": "lookup_spool"},
      {"lock": "spool.i_rwsem", "mode": "write", "do": [
        {"write": "spool.dir_data", "lines": 2}, {"cost": "dirent_rename"}]}])");
  r["unlink"] = json::parse(R"([{"cost": "syscall_entry_exit"}, {"call": "lookup_spool"},
      {"lock": "spool.i_rwsem", "mode": "write", "do": [
        {"write": "spool.dir_data"}, {"atomic": "sb.inode_count"}, {"cost": "inode_unlink"}]}])");
  // A name looked up in the spool directory: the directory's component, then the name's.
  r["lookup_spool"] = json::parse(R"([{"cost": "path_component"}, {"read": "spool.d_hash"},
      {"atomic": "spool.d_lockref"}, {"atomic": "spool.d_lockref"}, {"cost": "path_component"}])");
  // readdir (getdents: iterate_dir under i_rwsem for reading), then a lookup per entry.
  r["readdir"] = json::parse(R"([{"cost": "syscall_entry_exit"},
      {"lock": "spool.i_rwsem", "mode": "read", "do": [{"read": "spool.dir_data", "lines": 4}]},
      {"repeat": "entries", "do": [{"cost": "readdir_entry"}, {"call": "lookup_spool"}]}])");
  // Page cache. read (filemap_read): the page looked up in the file's
  // mapping under RCU, its refcount taken and dropped, the data copied;
  // a miss (every `miss_every`-th read) inserts a new page under the
  // mapping's xa_lock. write (generic_perform_write): the page locked
  // (lock_page), written, marked dirty under xa_lock.
  // The op argument `bytes` (0 if not given) is copied to or from user space through the memory model.
  r["page_cache_get"] = json::parse(R"([{"rcu": "mapping.i_pages", "do": [{"read": "mapping.i_pages", "lines": 2}]},
      {"atomic": "page.refcount"},
      {"every": 16, "do": [{"call": "alloc_page"}, {"lock": "mapping.xa_lock", "do": [{"write": "mapping.i_pages"}]}]}])");
  r["file_read"] = json::parse(R"([{"cost": "syscall_entry_exit"}, {"call": "page_cache_get"},
      {"read": "page.data", "lines": 4}, {"copy": "bytes"}, {"atomic": "page.refcount"}])");
  r["file_write"] = json::parse(R"([{"cost": "syscall_entry_exit"},
      {"rcu": "mapping.i_pages", "do": [{"read": "mapping.i_pages", "lines": 2}]},
      {"lock": "page.lock", "do": [{"write": "page.data", "lines": 4}, {"copy": "bytes"}]},
      {"lock": "mapping.xa_lock", "do": [{"write": "mapping.dirty_tags"}]}])");
  // A fault on a file mapping (filemap_fault): the page from the page cache,
  // then the PTE under the PTL.
  r["file_fault"] = json::array({fault, json{{"call", "page_cache_get"}}, fill});
  // mprotect (mprotect_fixup, change_protection): under mmap_sem for writing
  // (or the PTL alone with pt_extents), rewrite the PTEs and shoot down.
  if (vm == "pt_extents") {
    r["mprotect"] = json::parse(R"([{"cost": "syscall_entry_exit"}, {"lock": "pt.ptl", "do": [{"write": "pt.extents"},
        {"repeat": "pages", "do": [{"write": "pt.pte"}]}]}, {"shootdown": "mm"}])");
  } else {
    r["mprotect"] = json::parse(R"([{"cost": "syscall_entry_exit"}, {"lock": "mm.mmap_sem", "mode": "write", "do": [
        {"read": "mm.vma_tree", "lines": 3}, {"write": "vma.node"},
        {"lock": "pt.ptl", "do": [{"repeat": "pages", "do": [{"write": "pt.pte"}]}]}, {"shootdown": "mm"}]}])");
  }
  // Mount-table lookup on a path walk (lookup_mnt): under the mount_lock
  // seqlock for reading.
  r["mount_lookup"] = json::parse(R"([{"lock": "sb.mount_lock", "mode": "read", "do": [{"read": "sb.mount_hash"}]}])");
  return r;
}

}  // namespace smpsim
