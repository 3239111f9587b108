// A shared hardware resource that coherence requests queue at: a home agent,
// a link direction, a last-level cache, a memory controller. It serves
// `servers` requests at once; each request holds one server for its
// occupancy (the resource's initiation interval for that request: a link's
// bytes / bandwidth, an agent's time per request). A request that finds every
// server busy at its arrival waits for the first gap long enough for it.
//
// Reservations are computed in plain C++, no engine event, at the time the
// request gets to the resource. Requests are not made in arrival order (a
// request behind a contended line's FIFO reserves its resources at the time
// that FIFO lets it go, microseconds ahead of others made later), so each
// server keeps its busy intervals in time order and a request takes the first
// gap at or after its arrival: a far-future reservation does not block earlier
// ones. Intervals that ended before every request still to come are dropped.
// On an idle machine every wait is 0, so a transaction costs exactly its
// latency-table cell: the resources only add queueing on top.
#pragma once
#include <algorithm>
#include <string>
#include <vector>

namespace smpsim {

enum class ResourceKind { HomeAgent, Link, Llc, Memory };
const char* resource_kind_name(ResourceKind k);

struct ResourceStats {
  long long requests = 0;
  double busy_ns = 0;      // sum of occupancies (over all servers)
  double wait_ns = 0;      // sum of queueing delays
  double max_wait_ns = 0;
  double bytes = 0;        // bytes moved (links, memory)
};

class Resource {
 public:
  Resource(std::string name, ResourceKind kind, int servers);

  // Holds a server for `occupancy_ns` from the first gap at or after the
  // request's arrival: returns the queueing delay. `floor_ns`: no request
  // still to come arrives before it (busy intervals ending earlier are dropped).
  double reserve(double arrive_ns, double occupancy_ns, double bytes, double floor_ns) {
    // The common case, inline: one server, and the request comes after everything reserved on it.
    if (servers_.size() == 1) {
      Server& s = servers_[0];
      if (s.head == s.busy.size() || arrive_ns >= s.busy.back().end) {
        if (occupancy_ns > 0) {
          if (s.head < s.busy.size() && arrive_ns == s.busy.back().end) s.busy.back().end += occupancy_ns;
          else s.busy.push_back({arrive_ns, arrive_ns + occupancy_ns});
        }
        s.maybe_drop(floor_ns);
        ++stats_.requests;
        stats_.busy_ns += occupancy_ns;
        stats_.bytes += bytes;
        return 0;
      }
    }
    return reserve_queued(arrive_ns, occupancy_ns, bytes, floor_ns);
  }

  const std::string& name() const { return name_; }
  ResourceKind kind() const { return kind_; }
  int servers() const { return int(servers_.size()); }
  const ResourceStats& stats() const { return stats_; }

 private:
  double reserve_queued(double arrive_ns, double occupancy_ns, double bytes, double floor_ns);
  struct Interval {
    double start, end;
  };
  // One server's busy intervals, disjoint and in time order, from `head` on
  // (the ones before it have ended; the vector is compacted now and then).
  struct Server {
    std::vector<Interval> busy;
    size_t head = 0;
    // Dropping is amortized: a server behind a contended line keeps many future reservations, and
    // looking for ended ones at every request would cost more than the request.
    size_t drop_above = 16;
    void maybe_drop(double floor_ns) {
      if (busy.size() - head <= drop_above) return;  // a few kept intervals cost nothing
      drop_before(floor_ns);
      drop_above = std::max<size_t>(16, 2 * (busy.size() - head));
    }
    double earliest_fit(double t, double occupancy_ns) const;
    void insert(double start, double end);
    void drop_before(double floor_ns);
  };

  std::string name_;
  ResourceKind kind_;
  std::vector<Server> servers_;
  ResourceStats stats_;
};

}  // namespace smpsim
