// xio_copy: `cp file1 file2`, Dillon and Huey's XIO argument (seed 002):
// pass page references, not data, even between machines. CPU 0 copies a
// file `rounds` times (the others idle); then writes `cow_writes` pages of
// the copy.
//   references: the copy is a reference to the source's pages, copy-on-write
//               at page granularity (the first write to a shared page copies
//               that page): a constant cost, whatever the size;
//   copy:       the bytes move, read and written through the memory bus.
// With fs_node remote, the file system lives on the other node of a two-node
// SSI cluster: a reference copy is a request message and a reply (no data on
// the network); a byte copy reads the data across the network and writes it
// back. Bulk data moves as SimGrid flows over links (memory bus, network).
#include "models/workload/workload.hpp"

namespace smpsim {
namespace {

constexpr double kPageBytes = 4096;

class XioCopy : public Workload {
 public:
  long long ops_per_cpu() const override { return rounds_; }
  explicit XioCopy(const nlohmann::json& p)
      : references_(p["mode"] == "references"), remote_(p["fs_node"] == "remote"),
        bytes_(double(p["file_mib"].get<long long>()) * 1024 * 1024), rounds_(p["rounds"]),
        cow_writes_(p["cow_writes"]), ref_cycles_(p["ref_cycles"]), fault_cycles_(p["fault_cycles"]),
        message_bytes_(p["message_bytes"]), memory_gbps_(p["memory_gbps"]), network_gbps_(p["network_gbps"]),
        network_latency_ns_(p["network_latency_ns"]) {}

  void run_core(Core& c, MemorySystem& mem, KernelDesign&, OpRecorder& rec) override {
    rec.warm(c.id, mem.now_ns(c));
    if (c.id != 0) {
      mem.block(c, CpuState::Idle);  // until CPU 0 is done
      return;
    }
    mem.configure_bulk(memory_gbps_ * 1e9, network_gbps_ * 1e9 / 8, network_latency_ns_);
    refcount_ = mem.add_line("file1.object.refcount", 0);
    object_ = mem.add_line("file2.object", 0);
    const int here = 0, fs = remote_ ? 1 : 0;
    for (long long r = 0; r < rounds_; ++r) {
      const double t0 = mem.now_ns(c);
      if (remote_) message(c, mem, here, fs);  // the request to the file system's node
      if (references_) {
        // The fs node makes file2 an object over file1's pages, copy-on-write.
        mem.compute(c, ref_cycles_, CpuState::Kernel);
        mem.fetch_add(c, refcount_, 0, 1);
        mem.store(c, object_, 0, uint64_t(r));
      } else if (remote_) {
        bulk(c, mem, fs, fs, bytes_);      // the fs node reads file1 from its memory
        bulk(c, mem, fs, here, bytes_);    // to us, across the network
        bulk(c, mem, here, fs, bytes_);    // and back, to be written as file2
        bulk(c, mem, fs, fs, bytes_);      // into the fs node's memory
      } else {
        bulk(c, mem, fs, fs, 2 * bytes_);  // read file1, write file2: both through the memory bus
      }
      if (remote_) message(c, mem, fs, here);  // the reply
      // Writes to the copy: shared pages are copied on their first write.
      for (long long w = 0; w < cow_writes_; ++w) {
        mem.compute(c, fault_cycles_, CpuState::Kernel);
        if (references_) {
          bulk(c, mem, fs, fs, 2 * kPageBytes);
          ++cow_copies_;
        }
      }
      rec.op_done(c.id, mem.now_ns(c), t0);
    }
    for (int t = 1; t < mem.cores(); ++t) mem.wake(mem.core(t));
  }

  nlohmann::json metrics(const MemorySystem&) const override {
    return {{"network_data_bytes", network_data_bytes_},
            {"network_control_bytes", network_control_bytes_},
            {"memory_bus_bytes", memory_bytes_},
            {"cow_page_copies", cow_copies_}};
  }

 private:
  void bulk(Core& c, MemorySystem& mem, int from, int to, double bytes) {
    (from == to ? memory_bytes_ : network_data_bytes_) += bytes;
    mem.bulk_transfer(c, from, to, bytes);
  }
  void message(Core& c, MemorySystem& mem, int from, int to) {
    network_control_bytes_ += double(message_bytes_);
    mem.bulk_transfer(c, from, to, double(message_bytes_));
  }

  bool references_, remote_;
  double bytes_;
  long long rounds_, cow_writes_;
  double ref_cycles_, fault_cycles_;
  long long message_bytes_;
  double memory_gbps_, network_gbps_, network_latency_ns_;
  LineId refcount_ = -1, object_ = -1;
  double network_data_bytes_ = 0, network_control_bytes_ = 0, memory_bytes_ = 0;
  long long cow_copies_ = 0;
};

}  // namespace

WorkloadKind xio_copy_kind() {
  return {"xio_copy",
          "cp file1 file2 on CPU 0 with XIO page references or byte copies, the file system on this node or on the "
          "other node of a two-node SSI cluster (Dillon and Huey, seed 002). Bulk data are SimGrid flows over a "
          "memory-bus link per node and a network link. op = one cp (and its copy-on-write page writes).",
          {{"mode", "enum", "", "references", 0, 0, {"references", "copy"},
            "Pass references to the source's pages (copy-on-write), or copy the bytes."},
           {"fs_node", "enum", "", "local", 0, 0, {"local", "remote"},
            "The file system on the node that runs cp, or on the other node of the cluster."},
           {"file_mib", "integer", "MiB", 64, 1, 1 << 20, {}, "The file's size."},
           {"rounds", "integer", "", 4, 1, 1e6, {}, "Copies made."},
           {"cow_writes", "integer", "pages", 0, 0, 1e9, {}, "Pages of the copy written after each cp."},
           {"ref_cycles", "number", "cycles", 2000, 0, 1e9, {}, "Making the copy an object over the source's pages."},
           {"fault_cycles", "number", "cycles", 1500, 0, 1e9, {}, "The write fault on a page of the copy."},
           {"message_bytes", "integer", "bytes", 256, 1, 1e9, {}, "A request or reply message between nodes."},
           {"memory_gbps", "number", "GB/s", 10, 0.001, 1e6, {}, "A node's memory bandwidth (bytes read or written)."},
           {"network_gbps", "number", "Gbit/s", 10, 0.001, 1e6, {}, "The cluster network's bandwidth per node."},
           {"network_latency_ns", "number", "ns", 10000, 0, 1e12, {}, "One-way network latency between nodes."}},
          [](const nlohmann::json& p, const WorkloadContext&) -> std::unique_ptr<Workload> {
            return std::make_unique<XioCopy>(p);
          }};
}

SMPSIM_REGISTER(WorkloadRegistry, xio_copy_kind);

}  // namespace smpsim
