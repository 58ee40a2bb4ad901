#!/usr/bin/env bash
# Instructions per event of one trial of each reference design scaled by k (see
# examples/scale_timing.rs), counted by callgrind inside model::simulate only, so the
# figure does not depend on machine load. Prints: design k headcount events instr instr/event.
#
#   benches/callgrind_scale.sh [BIN] [K...]      (BIN default target/release/examples/scale_timing)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/examples/scale_timing}
shift || true
KS=${*:-1 4 16}
OUT=$(mktemp -d)
for k in $KS; do
    for design in craftsperson specialized; do
        json=$(valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.$design.$k" \
            --toggle-collect='salesim::model::simulate*' \
            "$BIN" "scenarios/$design.toml" "$k" 1 2>"$OUT/log.$design.$k")
        instr=$(grep -o 'Collected : [0-9]*' "$OUT/log.$design.$k" | grep -o '[0-9]*$')
        events=$(echo "$json" | grep -o '"events":[0-9]*' | grep -o '[0-9]*$')
        people=$(echo "$json" | grep -o '"headcount":[0-9]*' | grep -o '[0-9]*$')
        echo "$design $k $people $events $instr $((instr / events))"
    done
done
echo "callgrind files in $OUT" >&2
