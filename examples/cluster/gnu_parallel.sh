#!/usr/bin/env bash
# A large study over plain SSH hosts with GNU parallel: one shard per job, spread over
# the hosts in HOSTS, then merged here. Run it from the repository root:
#
#   examples/cluster/gnu_parallel.sh      # run every shard not yet done, then merge
#
# If a shard fails (a host went down), the script says so and stops before the merge;
# run the same command again: only the failed shards run again (--resume-failed with
# the joblog $RESULTS/joblog), the parts already written are kept.
#
# Parameters are environment variables (the defaults in brackets):
#   SHARDS   shard count, fixed for the study [16]     TRIALS  trials [100000]
#   SEED     seed [7]                 SCENARIO  scenario file [scenarios/specialized.toml]
#   RESULTS  folder of the parts, the joblog and the merged CSV [results]
#   HOSTS    GNU parallel's --sshloginfile: one "user@host" a line; ":" is this machine
#            [hosts.txt]
#   JOBS_PER_HOST  shards run at once on each host [1]; each gets the host's cores
#            shared out (--threads = cores / JOBS_PER_HOST), never cores squared
#   SALESIM  the binary [salesim]
#
# Needs: salesim on every host's PATH, and this checkout at the same path on every host
# with RESULTS on a filesystem they share (NFS and the like). Nothing is deleted: there
# is no --cleanup, which on shared storage would delete the parts themselves. Without a
# shared filesystem, set COPY_BACK=1: each part and its manifest are copied back here
# with --return (the remote copies stay; remove them yourself once merged).
set -euo pipefail

SHARDS=${SHARDS:-16}
TRIALS=${TRIALS:-100000}
SEED=${SEED:-7}
SCENARIO=${SCENARIO:-scenarios/specialized.toml}
RESULTS=${RESULTS:-results}
HOSTS=${HOSTS:-hosts.txt}
JOBS_PER_HOST=${JOBS_PER_HOST:-1}
SALESIM=${SALESIM:-salesim}

part() { echo "$RESULTS/part_$1_of_${SHARDS}.csv"; }

[[ -r $HOSTS ]] || { echo "no hosts file $HOSTS: one user@host a line (\":\" for this machine)" >&2; exit 2; }
mkdir -p "$RESULTS"
transfer=()
if [[ ${COPY_BACK:-0} == 1 ]]; then
  transfer=(--return "$(part '{}')" --return "$(part '{}').manifest.json")
fi
# \$(nproc) is worked out on the host that runs the shard.
run="mkdir -p '$RESULTS' && '$SALESIM' run '$SCENARIO' --trials $TRIALS --seed $SEED --quiet \
 --threads \$(( \$(nproc) / $JOBS_PER_HOST > 0 ? \$(nproc) / $JOBS_PER_HOST : 1 )) \
 --shard {}/$SHARDS --out '$(part '{}')'"
if ! seq 0 $((SHARDS - 1)) | parallel --sshloginfile "$HOSTS" --workdir "$PWD" \
  --jobs "$JOBS_PER_HOST" --joblog "$RESULTS/joblog" --resume-failed "${transfer[@]}" "$run"; then
  echo "some shards failed (exit code per shard in $RESULTS/joblog): run the same command again to re-run only those" >&2
  exit 1
fi
parts=()
for ((k = 0; k < SHARDS; k++)); do parts+=("$(part "$k")"); done
"$SALESIM" merge "${parts[@]}" --out "$RESULTS/all.csv"
echo "merged into $RESULTS/all.csv"
