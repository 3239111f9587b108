#!/usr/bin/env bash
# The sanitized build, build-asan/: clang with AddressSanitizer + UndefinedBehaviorSanitizer at -O1, everything
# also instrumented for libFuzzer, so one build of the library serves both the Catch2 suite (make sanitize) and
# the scenario fuzzer (make fuzz). Usage: scripts/sanitized-build.sh TARGET... (default: both).
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(smpsim_tests fuzz_scenario)
# A build-asan/ configured by an older setup (gcc) is started afresh: CMake cannot switch compilers in place.
if [ -f build-asan/CMakeCache.txt ] && ! grep -q '^CMAKE_CXX_COMPILER:.*clang++' build-asan/CMakeCache.txt; then
  rm -rf build-asan
fi
cmake -S . -B build-asan -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
  -DSMPSIM_SANITIZE=ON -DSMPSIM_FUZZ=ON -DSMPSIM_WERROR=ON > build-asan.cmake.log 2>&1 || { cat build-asan.cmake.log; exit 1; }
cmake --build build-asan -j "${JOBS:-$(nproc)}" --target "${targets[@]}" > build-asan.log 2>&1 \
  || { tail -60 build-asan.log; exit 1; }
