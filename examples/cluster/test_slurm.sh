#!/usr/bin/env bash
# CI test of examples/cluster/slurm_array.sh against a real one-node Slurm: installs
# Debian's slurm-wlm and munge if missing (as root), starts munged, slurmctld and slurmd
# on a private configuration in a temporary folder (SLURM_CONF, its own munge socket
# and key, so nothing of the machine's own is touched), then
#   1. submits the shipped recipe unedited (parameters only) as a 4-task array with its
#      merge job, waits, and checks that the merged CSV is byte-identical to one
#      unsharded run;
#   2. submits it again, cancels one task, and checks that the merge job is cancelled
#      (not left pending: --kill-on-invalid-dep=yes) and that `salesim merge` refuses
#      the incomplete set of parts;
#   3. re-runs the cancelled shard with `rerun 2` and checks the merge then succeeds.
# The daemons it started are stopped on exit. Run from the repository root after
# `cargo build --release`:  examples/cluster/test_slurm.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=$ROOT/target/release/salesim
[[ -x $BIN ]] || { echo "test_slurm: build first (cargo build --release)" >&2; exit 1; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq slurm-wlm munge >/dev/null
fi

T=$(mktemp -d /tmp/salesim-slurm.XXXXXX)
chmod 700 "$T"
pids=()
stop() {
  local rc=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $rc -ne 0 ]]; then
    echo "test_slurm: FAILED; daemon logs:" >&2
    tail -n 30 "$T"/*.log "$T"/*.out >&2 || true
  fi
  rm -rf "$T"
  exit "$rc"
}
trap stop EXIT

fail() { echo "test_slurm: FAILED: $*" >&2; exit 1; }

# munge, on its own key and socket.
mkdir -p "$T/munge"
chmod 700 "$T/munge"
dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$T/munge/munge.key"
munged --foreground --force --key-file="$T/munge/munge.key" \
  --socket="$T/munge/munge.socket" --pid-file="$T/munge/munged.pid" \
  --log-file="$T/munged.log" --seed-file="$T/munge/seed" >"$T/munged.out" 2>&1 &
pids+=($!)

HOST=$(hostname -s)
CPUS=$(nproc)
MEM=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2))
PORT=${SALESIM_SLURM_PORT:-16817}
export SLURM_CONF=$T/slurm.conf
mkdir -p "$T/state" "$T/spool"
cat > "$SLURM_CONF" <<EOF
ClusterName=salesim-ci
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge/munge.socket
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MinJobAge=600
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=ci Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF

for _ in $(seq 50); do [[ -S $T/munge/munge.socket ]] && break; sleep 0.1; done
slurmctld -D -i -f "$SLURM_CONF" >"$T/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$T/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  sinfo -h -o %t 2>/dev/null | grep -Eq '^(idle|mix|alloc)' && break
  sleep 0.3
done
sinfo -h -o %t | grep -Eq '^(idle|mix|alloc)' || fail "the node did not come up: $(sinfo 2>&1)"

state() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -1 | cut -d= -f2; }
# Waits until no job of `$2...` is pending or running, at most $1 seconds.
wait_jobs() {
  local limit=$1 left
  local deadline=$((SECONDS + limit))
  shift
  while ((SECONDS < deadline)); do
    left=$(squeue -h -j "$(IFS=,; echo "$*")" -o %i 2>/dev/null | wc -l)
    ((left == 0)) && return 0
    sleep 1
  done
  squeue -o "%i %j %T %r" >&2
  fail "jobs $* still queued after $limit s"
}

STUDY=(TRIALS=200 SEED=5 SHARDS=4 CPUS=1 TIME=00:10:00 SCENARIO=scenarios/specialized.toml)
WORK=$T/work
mkdir -p "$WORK"
export PATH="$ROOT/target/release:$PATH"

# 1. The whole study, sharded, against one unsharded run.
# Two CPUs a task where the node has them, to see --threads follow SLURM_CPUS_PER_TASK.
TASK_CPUS=$((CPUS >= 2 ? 2 : 1))
env "${STUDY[@]}" CPUS=$TASK_CPUS RESULTS="$WORK/ok" examples/cluster/slurm_array.sh
read -r array merge < "$WORK/ok/last_jobs"
wait_jobs 240 "$array" "$merge"
[[ $(state "$merge") == COMPLETED ]] || fail "merge job $merge is $(state "$merge"): $(cat "$WORK"/ok/*merge.log)"
grep -q -- "--threads $TASK_CPUS " "$WORK/ok/part_0_of_4.csv.manifest.json" \
  || fail "the task did not run --threads \$SLURM_CPUS_PER_TASK: $(grep command "$WORK/ok/part_0_of_4.csv.manifest.json")"
salesim run scenarios/specialized.toml --trials 200 --seed 5 --format csv --quiet --out "$WORK/whole.csv" 2>/dev/null
cmp "$WORK/whole.csv" "$WORK/ok/all.csv" || fail "the merged CSV differs from the unsharded run"
echo "test_slurm: 4-task array merged, byte-identical to the unsharded run"

# 2. One task cancelled: the merge job must go away, and merge must refuse the rest.
# Submitted held (sbatch's own SBATCH_HOLD), so that task 2 cannot finish first.
env "${STUDY[@]}" RESULTS="$WORK/cut" SBATCH_HOLD=1 examples/cluster/slurm_array.sh
read -r array merge < "$WORK/cut/last_jobs"
scancel "${array}_2"
scontrol release "$array" "$merge" 2>/dev/null || scontrol release "$array"
wait_jobs 240 "$array"
# Without --kill-on-invalid-dep the merge job would stay pending forever
# (DependencyNeverSatisfied).
wait_jobs 30 "$merge"
[[ $(state "$merge") == CANCELLED ]] || fail "merge job $merge is $(state "$merge"), not CANCELLED"
[[ ! -e $WORK/cut/all.csv ]] || fail "a merged CSV was written without shard 2"
set +e
salesim merge "$WORK"/cut/part_*_of_4.csv --out "$WORK/cut/all.csv" 2> "$WORK/refused.txt"
rc=$?
set -e
[[ $rc -eq 2 ]] || fail "merge of the incomplete set exited $rc, not 2"
grep -q "missing shard(s) 2/4" "$WORK/refused.txt" || fail "merge did not name the missing shard: $(cat "$WORK/refused.txt")"
echo "test_slurm: cancelled task: merge job cancelled, merge refuses the incomplete set"

# 3. The documented re-run of one shard completes the study.
env "${STUDY[@]}" RESULTS="$WORK/cut" examples/cluster/slurm_array.sh rerun 2
read -r array merge < "$WORK/cut/last_jobs"
wait_jobs 240 "$array" "$merge"
[[ $(state "$merge") == COMPLETED ]] || fail "merge job $merge after the re-run is $(state "$merge")"
cmp "$WORK/whole.csv" "$WORK/cut/all.csv" || fail "the merged CSV after the re-run differs"
echo "test_slurm: re-run of shard 2 merged, byte-identical"
echo "test_slurm: all three checks passed"
