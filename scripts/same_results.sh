#!/usr/bin/env bash
# Refactoring check: sweeps every shipped scenario (all variants, a few core counts) with two smpsim
# binaries and requires byte-identical results.jsonl (engine_events aside: it counts the engine's steps,
# not the model's). Usage: scripts/same_results.sh OLD_SMPSIM NEW_SMPSIM [OUT_DIR] [CORES]
#   cp build/smpsim /tmp/smpsim-before   # before the change
#   scripts/same_results.sh /tmp/smpsim-before build/smpsim
# With KEEP_OLD=1 the old binary's results already in OUT_DIR/old are reused.
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2 out=${3:-/tmp/same_results} cores=${4:-1,2,3,4,8,16}
[ "${KEEP_OLD:-0}" = 1 ] || rm -rf "$out/old"
rm -rf "$out/new"; mkdir -p "$out/old" "$out/new"
strip() { sed -E 's/"engine_events":[0-9]+,?//' "$1"; }
fail=0
for s in $(find scenarios -name '*.json' ! -name schema.json ! -path '*/library/*' | sort); do
  name=$(echo "$s" | tr / _)
  for which in old new; do
    bin=$old; [ $which = new ] && bin=$new
    [ $which = old ] && [ -s "$out/old/$name/results.jsonl" ] && continue
    # a workload that needs 2 CPUs fails its 1-CPU point (and so the sweep): then without it
    "$bin" sweep "$s" --cores "$cores" --jobs 2 --quiet --out "$out/$which/$name" > "$out/$which/$name.log" 2>&1 ||
      "$bin" sweep "$s" --cores "${cores#1,}" --jobs 2 --quiet --out "$out/$which/$name" > "$out/$which/$name.log" 2>&1 || true
  done
  if [ ! -s "$out/old/$name/results.jsonl" ]; then  # no point ran (a deadlock report): the same report
    # (points run in parallel: their reports may interleave in either order)
    if cmp -s <(sort "$out/old/$name.log") <(sort "$out/new/$name.log"); then echo "same: $s (no results; the same errors)"
    else echo "DIFFERENT errors: $s"; fail=1; fi
  elif ! cmp -s <(strip "$out/old/$name/results.jsonl") <(strip "$out/new/$name/results.jsonl" 2>/dev/null); then
    echo "DIFFERENT: $s"; fail=1
  else
    echo "same: $s ($(wc -l < "$out/new/$name/results.jsonl") points)"
  fi
done
[ $fail = 0 ] && echo "every scenario: byte-identical results"
exit $fail
