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
  if (page_alloc == "zone") {
    r["alloc_page"] = json::parse(R"([{"lock": "zone.lock", "do": [{"write": "zone.free_list"}]}])");
    r["free_page"] = json::parse(R"([{"lock": "zone.lock", "do": [{"write": "zone.free_list"}]}])");
  } else {
    r["alloc_page"] = json::parse(R"([{"write": "pcp.list"},
      {"every": 31, "do": [{"lock": "zone.lock", "do": [{"write": "zone.free_list", "lines": 2}]}]}])");
    r["free_page"] = r["alloc_page"];
  }
  // VM. Faults: handle_mm_fault -> do_anonymous_page; mmap: do_mmap ->
  // vma_link; munmap: do_munmap -> unmap_region (zap_pte_range, free pages,
  // tlb_finish_mmu -> flush_tlb_mm_range, the shootdown).
  const json zap = json::parse(R"({"repeat": "pages", "do": [
      {"lock": "pt.ptl", "do": [{"write": "pt.pte"}]}, {"call": "free_page"}]})");
  const json fill = json::parse(R"({"lock": "pt.ptl", "do": [{"write": "pt.pte"}, {"tlb_fill": "mm"}]})");
  if (vm == "mmap_sem" || vm == "per_vma") {
    r["mmap"] = json::array({json::parse(R"({"lock": "mm.mmap_sem", "mode": "write", "do": [
        {"read": "mm.vma_tree", "lines": 3}, {"write": "mm.vma_tree", "lines": 2}, {"write": "vma.node"}]})")});
    json unmap_body = json::parse(R"([{"read": "mm.vma_tree", "lines": 3}, {"write": "mm.vma_tree", "lines": 2}])");
    if (vm == "per_vma") {  // vma_start_write: wait for readers of this VMA
      unmap_body.push_back(json{{"lock", "vma.lock"}, {"mode", "write"}, {"do", json::array({zap})}});
    } else {
      unmap_body.push_back(zap);
    }
    unmap_body.push_back(json{{"shootdown", "mm"}});
    r["munmap"] = json::array({json{{"lock", "mm.mmap_sem"}, {"mode", "write"}, {"do", unmap_body}}});
  }
  if (vm == "mmap_sem") {
    r["page_fault"] = json::array({json{{"lock", "mm.mmap_sem"}, {"mode", "read"},
                                        {"do", json::array({json{{"read", "mm.vma_tree"}, {"lines", 3}},
                                                            json{{"call", "alloc_page"}}, fill})}}});
  } else if (vm == "per_vma") {  // Linux 6.4: lock_vma_under_rcu
    r["page_fault"] = json::array(
        {json::parse(R"({"rcu": "mm.vma_tree", "do": [{"read": "mm.vma_tree", "lines": 3}]})"),
         json{{"lock", "vma.lock"}, {"mode", "read"}, {"do", json::array({json{{"call", "alloc_page"}}, fill})}}});
  } else {  // pt_extents (seed 004): VMA extents in the bottom page-table page, under its PTL
    r["page_fault"] = json::array({json::parse(R"({"lock": "pt.ptl", "do": [{"read": "pt.extents"}]})"),
                                   json{{"call", "alloc_page"}}, fill});
    r["mmap"] = json::parse(R"([{"call": "find_free_space"},
        {"lock": "pt.ptl", "do": [{"write": "pt.extents"}]}])");
    r["munmap"] = json::array({json::parse(R"({"lock": "pt.ptl", "do": [{"write": "pt.extents"}]})"), zap,
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
  // VFS: open = path_openat -> link_path_walk, one component per directory
  // level, then a reference on the final dentry (dget: the lockref, the
  // dentry's lock and count in one word); close = fput -> dput.
  if (path_walk == "ref") {
    r["open"] = json::parse(R"([{"repeat": "depth", "do": [
        {"read": "dir.d_hash"}, {"atomic": "dir.d_lockref"}, {"atomic": "dir.d_lockref"}]},
        {"read": "dentry.d_hash"}, {"atomic": "dentry.d_lockref"}, {"compute": 300}])");
  } else {  // RCU walk: no reference on the intermediate directories
    r["open"] = json::parse(R"([{"rcu": "dir.d_hash", "do": [{"repeat": "depth", "do": [{"read": "dir.d_hash"}]},
        {"read": "dentry.d_hash"}]}, {"atomic": "dentry.d_lockref"}, {"compute": 300}])");
  }
  r["close"] = json::parse(R"([{"compute": 100}, {"atomic": "dentry.d_lockref"}])");

  // Scheduler: try_to_wake_up -> ttwu_queue: enqueue on the target CPU's run
  // queue under its lock (the reschedule IPI is sent by the caller's model).
  r["wake_up"] = json::parse(R"([{"lock": "rq.lock", "do": [{"write": "rq.queue"}, {"compute": 600}]}])");

  // fork (copy_process -> dup_mmap): copy every VMA, linking each into the
  // parent's anon_vma (anon_vma_fork, under the anon_vma lock: MOSBENCH's
  // exim bottleneck), copy the page tables, then wake_up_new_task.
  r["fork"] = json::parse(R"([{"compute": 3000},
      {"lock": "mm.mmap_sem", "mode": "write", "do": [
        {"read": "mm.vma_tree", "lines": 3},
        {"repeat": "vmas", "do": [{"lock": "anon_vma.lock", "do": [{"write": "anon_vma.chain"}]},
                                  {"write": "child.vma_tree"}]},
        {"repeat": "pages", "do": [{"read": "pt.pte"}, {"write": "child.pte"}]}]},
      {"call": "wake_up"}])");
  // exit (exit_mmap): unlink every VMA from the anon_vma, free the pages.
  r["exit"] = json::parse(R"([{"repeat": "vmas", "do": [{"lock": "anon_vma.lock", "do": [{"write": "anon_vma.chain"}]}]},
      {"repeat": "pages", "do": [{"write": "child.pte"}, {"call": "free_page"}]}, {"compute": 2000}])");
  // exec (do_execveat -> exec_mmap, begin_new_exec): the old address space
  // torn down as at exit, the new one mapped (binary, stack), a path walk for
  // the binary.
  r["exec"] = json::parse(R"([{"call": "open"}, {"call": "exit"},
      {"lock": "mm.mmap_sem", "mode": "write", "do": [{"repeat": 4, "do": [
        {"read": "mm.vma_tree", "lines": 3}, {"write": "mm.vma_tree", "lines": 2}]}]},
      {"call": "close"}, {"compute": 5000}])");
  // Directory operations in a spool directory (vfs_create, vfs_rename within
  // one directory, vfs_unlink), under the directory inode's i_rwsem.
  r["create"] = json::parse(R"([{"call": "lookup_spool"}, {"lock": "spool.i_rwsem", "mode": "write", "do": [
      {"write": "spool.dir_data"}, {"atomic": "sb.inode_count"}, {"compute": 1500}]}])");
  r["rename"] = json::parse(R"([{"call": "lookup_spool"}, {"lock": "spool.i_rwsem", "mode": "write", "do": [
      {"write": "spool.dir_data", "lines": 2}, {"compute": 1000}]}])");
  r["unlink"] = json::parse(R"([{"call": "lookup_spool"}, {"lock": "spool.i_rwsem", "mode": "write", "do": [
      {"write": "spool.dir_data"}, {"atomic": "sb.inode_count"}, {"compute": 1000}]}])");
  r["lookup_spool"] = json::parse(R"([{"read": "spool.d_hash"}, {"atomic": "spool.d_lockref"},
      {"atomic": "spool.d_lockref"}])");
  // readdir (iterate_dir under i_rwsem for reading), then a lookup per entry.
  r["readdir"] = json::parse(R"([{"lock": "spool.i_rwsem", "mode": "read", "do": [{"read": "spool.dir_data", "lines": 4}]},
      {"repeat": "entries", "do": [{"call": "lookup_spool"}]}])");
  // Page cache. read (filemap_read): the page looked up in the file's
  // mapping under RCU, its refcount taken and dropped, the data copied;
  // a miss (every `miss_every`-th read) inserts a new page under the
  // mapping's xa_lock. write (generic_perform_write): the page locked
  // (lock_page), written, marked dirty under xa_lock.
  r["file_read"] = json::parse(R"([{"rcu": "mapping.i_pages", "do": [{"read": "mapping.i_pages", "lines": 2}]},
      {"atomic": "page.refcount"}, {"read": "page.data", "lines": 4}, {"atomic": "page.refcount"},
      {"every": 16, "do": [{"call": "alloc_page"}, {"lock": "mapping.xa_lock", "do": [{"write": "mapping.i_pages"}]}]}])");
  r["file_write"] = json::parse(R"([{"rcu": "mapping.i_pages", "do": [{"read": "mapping.i_pages", "lines": 2}]},
      {"lock": "page.lock", "do": [{"write": "page.data", "lines": 4}]},
      {"lock": "mapping.xa_lock", "do": [{"write": "mapping.dirty_tags"}]}])");
  // A fault on a file mapping (filemap_fault): the page from the page cache,
  // then the PTE under the PTL.
  r["file_fault"] = json::array({json{{"call", "file_read"}}, fill});
  // mprotect (mprotect_fixup, change_protection): under mmap_sem for writing
  // (or the PTL alone with pt_extents), rewrite the PTEs and shoot down.
  if (vm == "pt_extents") {
    r["mprotect"] = json::parse(R"([{"lock": "pt.ptl", "do": [{"write": "pt.extents"},
        {"repeat": "pages", "do": [{"write": "pt.pte"}]}]}, {"shootdown": "mm"}])");
  } else {
    r["mprotect"] = json::parse(R"([{"lock": "mm.mmap_sem", "mode": "write", "do": [
        {"read": "mm.vma_tree", "lines": 3}, {"write": "vma.node"},
        {"lock": "pt.ptl", "do": [{"repeat": "pages", "do": [{"write": "pt.pte"}]}]}, {"shootdown": "mm"}]}])");
  }
  // Mount-table lookup on a path walk (lookup_mnt): under the mount_lock
  // seqlock for reading.
  r["mount_lookup"] = json::parse(R"([{"lock": "sb.mount_lock", "mode": "read", "do": [{"read": "sb.mount_hash"}]}])");
  return r;
}

}  // namespace smpsim
