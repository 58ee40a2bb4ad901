#!/usr/bin/env bash
# CI test of examples/cluster/gnu_parallel.sh on this machine (the hosts file is ":"):
# installs Debian's parallel if missing, runs the shipped recipe unedited (parameters
# only) with a salesim that fails shard 2 once, and checks that the script stops before
# the merge and keeps the parts, that running it again re-runs only shard 2, that each
# salesim got the cores shared out (--threads), and that the merged CSV is
# byte-identical to one unsharded run. Run from the repository root after
# `cargo build --release`:  examples/cluster/test_parallel.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=$ROOT/target/release/salesim
[[ -x $BIN ]] || { echo "test_parallel: build first (cargo build --release)" >&2; exit 1; }
if ! command -v parallel >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq parallel >/dev/null
fi
T=$(mktemp -d /tmp/salesim-parallel.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "test_parallel: FAILED: $*" >&2; exit 1; }

echo ":" > "$T/hosts"
# A salesim that fails shard 2/4 while $T/break exists, and logs every shard it runs.
cat > "$T/salesim" <<EOF
#!/usr/bin/env bash
shard=""; threads=""; prev=""
for a in "\$@"; do
  [[ \$prev == --shard ]] && shard=\$a
  [[ \$prev == --threads ]] && threads=\$a
  prev=\$a
done
if [[ -n \$shard ]]; then
  echo "\$shard threads=\$threads" >> "$T/ran"
  [[ \$shard == 2/4 && -e "$T/break" ]] && { echo "shard 2 breaks" >&2; exit 1; }
fi
exec "$BIN" "\$@"
EOF
chmod +x "$T/salesim"
touch "$T/break"
STUDY=(TRIALS=200 SEED=5 SHARDS=4 JOBS_PER_HOST=2 HOSTS="$T/hosts" SALESIM="$T/salesim" RESULTS="$T/results")

if env "${STUDY[@]}" examples/cluster/gnu_parallel.sh > "$T/first.txt" 2>&1; then
  fail "the study succeeded with shard 2 failing"
fi
grep -q "run the same command again" "$T/first.txt" || fail "no word on re-running: $(cat "$T/first.txt")"
[[ ! -e $T/results/all.csv ]] || fail "merged with a shard missing"
[[ $(ls "$T"/results/part_*_of_4.csv | wc -l) -eq 3 ]] || fail "the other three parts are not kept"
threads=$(( $(nproc) / 2 > 0 ? $(nproc) / 2 : 1 ))
grep -qv "threads=$threads\$" "$T/ran" && fail "a shard did not get --threads $threads: $(cat "$T/ran")"

rm "$T/break"
: > "$T/ran"
env "${STUDY[@]}" examples/cluster/gnu_parallel.sh > "$T/second.txt" 2>&1 || fail "the re-run failed: $(cat "$T/second.txt")"
[[ $(cat "$T/ran") == "2/4 threads=$threads" ]] || fail "the re-run ran $(tr '\n' ' ' < "$T/ran"), not only shard 2"
"$BIN" run scenarios/specialized.toml --trials 200 --seed 5 --format csv --quiet --out "$T/whole.csv" 2>/dev/null
cmp "$T/whole.csv" "$T/results/all.csv" || fail "the merged CSV differs from the unsharded run"
echo "test_parallel: failed shard re-run alone from the joblog, merged byte-identical"
