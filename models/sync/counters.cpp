#include "models/sync/counters.hpp"

#include <stdexcept>

namespace smpsim {
namespace {

class AtomicCounter : public Counter {
 public:
  AtomicCounter(const std::string& name, MemorySystem& mem) : mem_(mem), line_(mem.add_line(name, 0)) {}
  void add(Core& c, int64_t d) override { mem_.fetch_add(c, line_, 0, uint64_t(d)); }
  int64_t read(Core& c) override { return int64_t(mem_.load(c, line_, 0)); }

 private:
  MemorySystem& mem_;
  LineId line_;
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
  SloppyCounter(const std::string& name, MemorySystem& mem, int threshold)
      : mem_(mem), shared_(mem.add_line(name + ".shared", 0)), threshold_(threshold) {
    for (int i = 0; i < mem.cores(); ++i)
      local_.push_back(mem.add_line(name + ".local" + std::to_string(i), mem.machine().topo.die_of(i)));
  }
  void add(Core& c, int64_t d) override {
    const int64_t v = int64_t(mem_.load(c, local_[c.id], 0)) + d;
    if (v >= threshold_ || v <= -threshold_) {
      mem_.fetch_add(c, shared_, 0, uint64_t(v));
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
};

}  // namespace

const std::vector<std::string>& counter_kinds() {
  static const std::vector<std::string> k = {"atomic", "percpu", "sloppy"};
  return k;
}

std::unique_ptr<Counter> make_counter(const std::string& kind, const std::string& name, MemorySystem& mem,
                                      int sloppy_threshold) {
  if (kind == "atomic") return std::make_unique<AtomicCounter>(name, mem);
  if (kind == "percpu") return std::make_unique<PerCpuCounter>(name, mem);
  if (kind == "sloppy") return std::make_unique<SloppyCounter>(name, mem, sloppy_threshold);
  throw std::invalid_argument("unknown counter kind " + kind);
}

}  // namespace smpsim
