#!/usr/bin/env bash
# A large study on a Slurm cluster: one array task per shard, then one merge job that
# runs only if every task succeeded. Run it from the repository root on a login node;
# it submits itself (do not give it to sbatch yourself):
#
#   examples/cluster/slurm_array.sh                # submit all SHARDS shards + the merge
#   examples/cluster/slurm_array.sh rerun 3 11     # re-run shards 3 and 11, merge again
#
# Parameters are environment variables (the defaults in brackets):
#   SHARDS   shard count, fixed for the study and passed to every task [16]
#   TRIALS   trials of the whole study [100000]       SEED      seed [7]
#   SCENARIO scenario file [scenarios/specialized.toml]
#   RESULTS  folder of the parts, the logs and the merged CSV [results]
#   CPUS     CPUs per task, at most a node's CPUs; salesim runs that many threads [4]
#   TIME     time limit per task [01:00:00]           SALESIM   the binary [salesim]
# and any sbatch option as Slurm's own input variable: SBATCH_PARTITION=long,
# SBATCH_ACCOUNT=proj42, SBATCH_MEM_PER_NODE=1G ...
#
# Needs: `salesim` on the PATH of every compute node (or SALESIM=/shared/bin/salesim),
# and this checkout (the scenario file and RESULTS) on a filesystem every node shares
# at the same path: the tasks write their parts there and the merge job reads them.
#
# Each task runs the trials of its shard only, with --threads from SLURM_CPUS_PER_TASK;
# the merged CSV ($RESULTS/all.csv) is byte-identical to one run of all trials on one
# machine, whatever SHARDS. If a task fails, the merge job is cancelled at once
# (--kill-on-invalid-dep=yes) rather than left pending forever; the failed task's log
# is $RESULTS/slurm_JOBID_K.log. Re-run that shard with `rerun K` (same parameters);
# the parts already written are kept and the new merge job uses them.
set -euo pipefail

SHARDS=${SHARDS:-16}
TRIALS=${TRIALS:-100000}
SEED=${SEED:-7}
SCENARIO=${SCENARIO:-scenarios/specialized.toml}
RESULTS=${RESULTS:-results}
CPUS=${CPUS:-4}
TIME=${TIME:-01:00:00}
SALESIM=${SALESIM:-salesim}
export SHARDS TRIALS SEED SCENARIO RESULTS SALESIM

part() { echo "$RESULTS/part_$1_of_${SHARDS}.csv"; }

# Inside Slurm: one shard, or the merge.
case "${SALESIM_STEP:-submit}" in
  shard)
    K=${SLURM_ARRAY_TASK_ID:?a shard runs as a task of the array}
    exec "$SALESIM" run "$SCENARIO" --trials "$TRIALS" --seed "$SEED" \
      --threads "${SLURM_CPUS_PER_TASK:-1}" --quiet \
      --shard "$K/$SHARDS" --out "$(part "$K")"
    ;;
  merge)
    parts=()
    for ((k = 0; k < SHARDS; k++)); do parts+=("$(part "$k")"); done
    exec "$SALESIM" merge "${parts[@]}" --out "$RESULTS/all.csv"
    ;;
  submit) ;;
  *) echo "SALESIM_STEP must be shard or merge" >&2; exit 2 ;;
esac

# On the login node: submit the array (or the shards to re-run) and the merge job.
if [[ "${1:-}" == rerun ]]; then
  shift
  [[ $# -gt 0 ]] || { echo "usage: $0 rerun K [K...]  (shards 0..$((SHARDS - 1)))" >&2; exit 2; }
  ARRAY=$(IFS=,; echo "$*")
else
  [[ $# -eq 0 ]] || { echo "usage: $0 [rerun K [K...]]" >&2; exit 2; }
  ARRAY="0-$((SHARDS - 1))"
fi
# sbatch opens --output before the job starts: the folder must exist first.
mkdir -p "$RESULTS"
array_job=$(sbatch --parsable --job-name=salesim --array="$ARRAY" \
  --cpus-per-task="$CPUS" --time="$TIME" \
  --output="$RESULTS/slurm_%A_%a.log" --export=ALL,SALESIM_STEP=shard "$0")
array_job=${array_job%%;*}
merge_job=$(sbatch --parsable --job-name=salesim-merge --cpus-per-task=1 --time="$TIME" \
  --dependency="afterok:$array_job" --kill-on-invalid-dep=yes \
  --output="$RESULTS/slurm_%j_merge.log" --export=ALL,SALESIM_STEP=merge "$0")
merge_job=${merge_job%%;*}
echo "array job $array_job (shards $ARRAY of $SHARDS), merge job $merge_job -> $RESULTS/all.csv"
echo "$array_job $merge_job" > "$RESULTS/last_jobs"
