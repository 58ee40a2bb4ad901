#!/usr/bin/env bash
# A large study on a Slurm cluster: one array task per shard, then one merge job.
#
#   sbatch --array=0-15 examples/cluster/slurm_array.sh
#   sbatch --dependency=afterok:<array job id> --wrap \
#     'salesim merge results/part_*.csv --out results/all.csv'
#
# Each task runs the trials of its shard only; the merged CSV is byte-identical to a
# single run of all trials on one machine, whatever the shard count.
#SBATCH --job-name=salesim
#SBATCH --cpus-per-task=8
#SBATCH --time=01:00:00
#SBATCH --output=results/slurm_%A_%a.log
set -euo pipefail
SHARDS=${SLURM_ARRAY_TASK_COUNT:-16}
K=${SLURM_ARRAY_TASK_ID:?run this with sbatch --array}
mkdir -p results
salesim run scenarios/specialized.toml --trials 100000 --seed 7 \
  --threads "${SLURM_CPUS_PER_TASK:-1}" --quiet \
  --shard "${K}/${SHARDS}" --out "results/part_${K}.csv"
