#include "models/sync/counters.hpp"

#include <stdexcept>

namespace smpsim {

const std::vector<std::string>& shared_add_kinds() {
  static const std::vector<std::string> k = {"fetch_add", "cas_loop"};
  return k;
}

SharedAdd shared_add_from(const std::string& name) {
  if (name == "fetch_add") return SharedAdd::FetchAdd;
  if (name == "cas_loop") return SharedAdd::CasLoop;
  throw std::invalid_argument("unknown shared add " + name);
}

bool shared_add(MemorySystem& mem, Core& c, LineId line, int64_t delta, SharedAdd how) {
  if (how == SharedAdd::CasLoop) return mem.cas_loop_add(c, line, 0, uint64_t(delta));
  mem.fetch_add(c, line, 0, uint64_t(delta));
  return false;
}

namespace {

class AtomicCounter : public Counter {
 public:
  AtomicCounter(const std::string& name, MemorySystem& mem, SharedAdd how)
      : mem_(mem), line_(mem.add_line(name, 0)), how_(how) {}
  void add(Core& c, int64_t d) override { cas_failures_ += shared_add(mem_, c, line_, d, how_); }
  int64_t read(Core& c) override { return int64_t(mem_.load(c, line_, 0)); }

 private:
  MemorySystem& mem_;
  LineId line_;
  SharedAdd how_;
};

class PerCpuCounter : public Counter {
 public:
  PerCpuCounter(const std::string& name, MemorySystem& mem) : mem_(mem) {
    for (int i = 0; i < mem.cores(); ++i)
      lines_.push_back(mem.add_line(name + ".cpu" + std::to_string(i), mem.machine().topo.die_of(i)));
  }
  // this_cpu_add: a plain read-modify-write of the CPU's own line (no lock prefix).
  void add(Core& c, int64_t d) override {
    const uint64_t v = mem_.load(c, lines_[c.id], 0);
    mem_.store(c, lines_[c.id], 0, v + uint64_t(d));
  }
  int64_t read(Core& c) override {
    int64_t sum = 0;
    for (LineId l : lines_) sum += int64_t(mem_.load(c, l, 0));
    return sum;
  }

 private:
  MemorySystem& mem_;
  std::vector<LineId> lines_;
};

class SloppyCounter : public Counter {
 public:
  SloppyCounter(const std::string& name, MemorySystem& mem, int threshold, SharedAdd how)
      : mem_(mem), shared_(mem.add_line(name + ".shared", 0)), threshold_(threshold), how_(how) {
    for (int i = 0; i < mem.cores(); ++i)
      local_.push_back(mem.add_line(name + ".local" + std::to_string(i), mem.machine().topo.die_of(i)));
  }
  void add(Core& c, int64_t d) override {
    const int64_t v = int64_t(mem_.load(c, local_[c.id], 0)) + d;
    if (v >= threshold_ || v <= -threshold_) {
      cas_failures_ += shared_add(mem_, c, shared_, v, how_);
      mem_.store(c, local_[c.id], 0, 0);
    } else {
      mem_.store(c, local_[c.id], 0, uint64_t(v));
    }
  }
  int64_t read(Core& c) override { return int64_t(mem_.load(c, shared_, 0)); }

 private:
  MemorySystem& mem_;
  LineId shared_;
  std::vector<LineId> local_;
  int threshold_;
  SharedAdd how_;
};

}  // namespace

const std::vector<std::string>& counter_kinds() {
  static const std::vector<std::string> k = {"atomic", "percpu", "sloppy"};
  return k;
}

std::unique_ptr<Counter> make_counter(const std::string& kind, const std::string& name, MemorySystem& mem,
                                      int sloppy_threshold, SharedAdd how) {
  if (kind == "atomic") return std::make_unique<AtomicCounter>(name, mem, how);
  if (kind == "percpu") return std::make_unique<PerCpuCounter>(name, mem);
  if (kind == "sloppy") return std::make_unique<SloppyCounter>(name, mem, sloppy_threshold, how);
  throw std::invalid_argument("unknown counter kind " + kind);
}

}  // namespace smpsim
