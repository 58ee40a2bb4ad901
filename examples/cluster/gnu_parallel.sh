#!/usr/bin/env bash
# A large study over plain SSH hosts with GNU parallel: one shard per job, spread over
# the hosts in hosts.txt (one "user@host" a line, each with salesim on its PATH and this
# repository checked out at the same path), then merged locally.
#
#   examples/cluster/gnu_parallel.sh 16
set -euo pipefail
SHARDS=${1:-16}
mkdir -p results
seq 0 $((SHARDS - 1)) | parallel --sshloginfile hosts.txt --workdir "$PWD" \
  --return "results/part_{}.csv" --return "results/part_{}.csv.manifest.json" --cleanup \
  "mkdir -p results && salesim run scenarios/specialized.toml --trials 100000 --seed 7 --quiet --shard {}/${SHARDS} --out results/part_{}.csv"
salesim merge results/part_*.csv --out results/all.csv
echo "merged into results/all.csv"
