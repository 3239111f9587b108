// A fully specified random generator (xoshiro256**, seeded by splitmix64), so
// that a seed gives the same numbers with any standard library. std::
// distributions are implementation-defined and are not used.
#pragma once
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace smpsim {

class Rng {
 public:
  explicit Rng(uint64_t seed = 1) {
    uint64_t x = seed;
    for (auto& s : s_) s = splitmix(x);
  }
  // Stream `k` of seed `seed`: independent, reproducible sub-generators.
  static Rng stream(uint64_t seed, uint64_t k) { return Rng(seed * 0x9E3779B97F4A7C15ull + k + 1); }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  double uniform01() { return double(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  uint64_t below(uint64_t n) { return n ? next() % n : 0; }         // bias < 2^-40 for small n
  double exponential(double mean) { return -mean * std::log1p(-uniform01()); }

  template <class T>
  void shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t splitmix(uint64_t& x) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t s_[4];
};

}  // namespace smpsim
