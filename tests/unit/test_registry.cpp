// engine/registry.hpp: entries registered from anywhere, listed by name whatever the registration order,
// made on first look-up (so an entry may read another registry); and the shipped registries' contents.
#include <catch2/catch.hpp>

#include "engine/registry.hpp"
#include "models/design/kernel_design.hpp"
#include "models/sync/lock.hpp"
#include "models/sync/read_mostly.hpp"
#include "models/workload/workload.hpp"

using namespace smpsim;

namespace {
struct Thing {
  std::string name;
  int made_from_locks;  // how many lock kinds existed when the entry was made
};
using ThingRegistry = Registry<Thing>;
// Registered out of order, and before (in this file) anything looks at the lock registry.
SMPSIM_REGISTER(ThingRegistry, [] { return Thing{"zebra", int(LockRegistry::all().size())}; });
SMPSIM_REGISTER(ThingRegistry, [] { return Thing{"aardvark", 0}; });
SMPSIM_REGISTER(ThingRegistry, [] { return Thing{"mole", 0}; });
}  // namespace

TEST_CASE("a registry lists its entries by name and finds them", "[registry]") {
  CHECK(ThingRegistry::names() == std::vector<std::string>{"aardvark", "mole", "zebra"});
  REQUIRE(ThingRegistry::find("mole") != nullptr);
  CHECK(ThingRegistry::find("mole")->name == "mole");
  CHECK(ThingRegistry::find("unicorn") == nullptr);
  // made at the first look-up, after every file registered: the entry saw every lock kind
  CHECK(ThingRegistry::find("zebra")->made_from_locks == int(lock_kind_list().size()));
}

TEST_CASE("the shipped registries hold every kind, each described", "[registry]") {
  CHECK(LockRegistry::names() == std::vector<std::string>{"clh", "cohort", "mcs", "mutex", "qspinlock", "tas",
                                                           "ticket", "ticket_backoff", "ttas"});
  CHECK(ReadMostlyRegistry::names() == std::vector<std::string>{"rcu", "rcu_batched", "rwlock", "rwsem", "seqlock"});
  CHECK(design_kinds() == std::vector<std::string>{"cccluster", "fs_servers", "msgport", "traditional"});
  CHECK(WorkloadRegistry::all().size() == 20);
  for (const LockKind& k : LockRegistry::all()) CHECK(k.description.size() > 20);
  for (const ReadMostlyKind& k : ReadMostlyRegistry::all()) CHECK(k.description.size() > 20);
  for (const DesignKind& k : DesignRegistry::all()) {
    CHECK(k.description.size() > 20);
    CHECK(k.params.size() >= 8);  // the kernel engine's, and the design's own
  }
  int design_ops = 0;
  for (const WorkloadKind& k : WorkloadRegistry::all()) design_ops += k.drives == WorkloadDrives::DesignOps;
  CHECK(design_ops == 5);  // script, vm_bench, fops, exim_like, pfind
}
