// One simulated core's private state: its clock offset (private time not yet
// handed to the event engine), its time accounting and its random stream.
#pragma once
#include <memory>

#include "models/coherence/directory.hpp"
#include "sim/clock.hpp"
#include "sim/rng.hpp"

namespace smpsim {

// Where a core's simulated time went. compute + stall + spin + idle = the
// end of the run, for every core.
struct CoreTime {
  double compute_ns = 0;  // think time and critical sections
  double stall_ns = 0;    // waiting for cache lines (queueing at the home + transfer)
  double spin_ns = 0;     // spinning on a lock word until the awaited write arrives
  double idle_ns = 0;     // after the core's work is done, until the run ends
};

struct Core {
  int id = 0;
  double pending_ns = 0;  // private time accumulated since the last event
  CoreTime time;
  Rng rng;
  std::unique_ptr<WaitPoint> wait_point;
  AccessResult last;          // the last access, for lock statistics
  uint64_t last_version = 0;  // the line version the last access observed
  double done_at_ns = -1;     // when the core finished its work
};

}  // namespace smpsim
