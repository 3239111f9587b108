#include "models/design/parts/shootdown.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "models/cpu/tlb_ops.hpp"
#include "models/design/parts/cross_calls.hpp"
#include "models/design/parts/placement.hpp"

namespace smpsim {

std::vector<uint64_t> shootdown_pages(const OpArgs& a) {
  std::vector<uint64_t> pages;
  const uint64_t first = uint64_t(a.get("addr")) >> 12;
  for (long long i = 0; i < std::max(1LL, a.get("pages", 1)); ++i) pages.push_back(first + uint64_t(i));
  return pages;
}

int IpiShootdown::run(Core& c, AddressSpace& as, const std::vector<uint64_t>& pages, const OpArgs&, int*) {
  return tlb_shootdown(mem_, c, as, pages, o_);
}

// The calls go out together; then the initiator waits for every reply.
int CrossInstanceShootdown::run(Core& c, AddressSpace& as, const std::vector<uint64_t>& pages, const OpArgs& a,
                                int* ncalls) {
  const Partition& part = place_.partition();
  const int k = part.instance_of(c.id);
  ShootdownOptions own = o_;
  own.among = [&part, k](int cpu) { return part.instance_of(cpu) == k; };
  int targets = tlb_shootdown(mem_, c, as, pages, own);
  std::set<int> remote;
  for (int cpu : as.cpus_ran)
    if (part.instance_of(cpu) != k) {
      remote.insert(part.instance_of(cpu));
      ++targets;
    }
  const double t0 = mem_.now_ns(c);
  std::vector<std::pair<int, uint64_t>> sent;
  int slot = 1;  // slot 0 is the call this op may itself be serving for
  for (int r : remote) {
    sent.emplace_back(slot, calls_.start(c, place_.server_in(r, c), kCallOp, a, slot, /*lockfree=*/true));
    ++slot;
  }
  for (const auto& [sl, seq] : sent) calls_.wait(c, sl, seq, /*lockfree_only=*/true);
  *ncalls = int(sent.size());
  calls_.add_wait_ns(c, mem_.now_ns(c) - t0);
  return targets;
}

// The server shoots down the CPUs of its own instance.
void CrossInstanceShootdown::serve(Core& s, AddressSpace& as, const std::vector<uint64_t>& pages) {
  const Partition& part = place_.partition();
  const int k = part.instance_of(s.id);
  ShootdownOptions own = o_;
  own.among = [&part, k](int cpu) { return part.instance_of(cpu) == k; };
  tlb_shootdown(mem_, s, as, pages, own);
}

}  // namespace smpsim
