#!/usr/bin/env bash
# Builds the scenario fuzzer (scripts/sanitized-build.sh: clang, libFuzzer + ASan + UBSan) and runs it
# for FUZZ_SECONDS (default 120) on a corpus seeded from scenarios/ and
# tests/bad_scenarios/. A crash leaves its input in tests/fuzz/crashes/ and
# fails; make it a regression case in tests/fuzz/regressions/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${FUZZ_SECONDS:-120}"
bash scripts/sanitized-build.sh fuzz_scenario
corpus=build-asan/corpus
mkdir -p "$corpus" tests/fuzz/crashes
find scenarios tests/bad_scenarios tests/fuzz/regressions -name '*.json' ! -name schema.json -exec cp {} "$corpus"/ \; 2>/dev/null || true
# Regressions first: each must load or be rejected cleanly.
for f in tests/fuzz/regressions/*.json; do
  [ -e "$f" ] || continue
  build-asan/fuzz_scenario "$f" > /dev/null 2>&1 || { echo "fuzz: regression $f crashes"; exit 1; }
done
echo "fuzz: running for ${SECONDS_TO_RUN} s"
build-asan/fuzz_scenario "$corpus" -max_total_time="$SECONDS_TO_RUN" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=tests/fuzz/crashes/ -print_final_stats=1 2>&1 | tail -15
