// The bare event loop that smpsim's cost per event is compared with: a
// binary heap of (time, actor) events, each pop scheduling that actor's next
// event a random delay later, as simulated CPUs wake each other. Prints
// nanoseconds per event: `smpsim_heap_loop EVENTS ACTORS`.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <queue>
#include <vector>

int main(int argc, char** argv) {
  const long long events = argc > 1 ? std::atoll(argv[1]) : 10000000;
  const int actors = argc > 2 ? std::atoi(argv[2]) : 64;
  struct Event {
    double t;
    int actor;
    bool operator>(const Event& o) const { return t > o.t; }
  };
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> heap;
  uint64_t x = 88172645463325252ull;  // xorshift64: cheap, deterministic delays
  auto next = [&] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return double(x % 1000) + 1.0;
  };
  for (int a = 0; a < actors; ++a) heap.push({next(), a});
  std::vector<double> work(size_t(actors), 0.0);  // per-actor state the handler touches
  const auto t0 = std::chrono::steady_clock::now();
  for (long long i = 0; i < events; ++i) {
    Event e = heap.top();
    heap.pop();
    work[size_t(e.actor)] += e.t;
    heap.push({e.t + next(), e.actor});
  }
  const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%.3f\n", ns / double(events));
  return work[0] < 0;  // keep the work
}
