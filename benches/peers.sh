#!/usr/bin/env bash
# salesim against its SimPy peer, side by side, in one go (see benches/README.md).
#
#   benches/peers.sh [--runs R] [--memory] [--no-peers] [--no-threads]
#                    [--simpy PATH/simpy_peers.py] [--bin-dir DIR]
#
#  1. creates .peers-venv (git-ignored) with SimPy 4.1.2 if it is missing;
#  2. builds salesim and the example peer_timing in release;
#  3. runs R interleaved pairs per SimPy workload (mmc: M/M/5, 1,000,000 arrivals; craft:
#     10 salespeople, 100 trials of 52 weeks). A pair is one SimPy run (a fresh process,
#     seed r) followed at once by a block of salesim runs of the same workload on one
#     thread (seed r), repeated until the block has lasted as long as the SimPy run did
#     (at least 3 runs, at most 200): a SimPy run lasts 50-150 times longer than a
#     salesim run, so a single salesim run would sample the machine's load over a far
#     shorter window. Each block run is timed two ways:
#       - peer_timing times the simulation only (trials simulated, metrics computed and
#         folded), as simpy_peers.py times env.run() only (imports excluded);
#       - the `salesim run ... --threads 1` process is timed too, start-up, loading and
#         output included, against the whole SimPy process (interpreter start included);
#     the pair's ratio is SimPy's time over the median of the block's salesim times;
#  4. prints, per workload, the median of the per-pair ratios with their spread (min-max
#     over the pairs), the medians of the times, and the key outputs side by side;
#  5. times `salesim compare` of the two reference designs, 1,000 trials, on 1 thread
#     and on 2 (alternately, R times each) and reports the speed-up;
#  6. with --memory, measures the peak resident memory of a 100,000-trial run of
#     scenarios/specialized.toml with /usr/bin/time -v (all cores; about 15 minutes on
#     2 cores at 2026-11-25 speeds).
# --no-peers skips 3 (and SimPy entirely), --no-threads skips 5. --bin-dir DIR times the
# salesim and examples/peer_timing already built in DIR instead of building (so a build
# in the worktree during a long run cannot swap the binaries under it).
#
# Raw results are kept in target/peers/.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=3
MEMORY=0
THREADS_CHECK=1
PEERS=1
BIN_DIR=
SIMPY=${SIMPY_PEERS:-$ROOT/../shared/peers/simpy_peers.py}
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=$2; shift 2 ;;
        --memory) MEMORY=1; shift ;;
        --no-threads) THREADS_CHECK=0; shift ;;
        --no-peers) PEERS=0; shift ;;
        --simpy) SIMPY=$2; shift 2 ;;
        --bin-dir) BIN_DIR=$2; shift 2 ;;
        -h|--help) sed -n '2,34p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
    esac
done
[ "$PEERS" = 0 ] || [ -f "$SIMPY" ] || { echo "simpy_peers.py not found at $SIMPY (use --simpy PATH)" >&2; exit 2; }

MM5=scenarios/validation/mm5_peer.toml
[ -f "$MM5" ] || MM5=benches/peers/mm5.toml
CRAFT=benches/peers/craft10.toml
OUT=$ROOT/target/peers
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.jsonl "$OUT"/*.txt

# ---------------------------------------------------------------- 1. venv, 2. build
if [ "$PEERS" = 1 ] && [ ! -x .peers-venv/bin/python ]; then
    echo "== creating .peers-venv with simpy 4.1.2" >&2
    python3 -m venv .peers-venv && .peers-venv/bin/pip install -q simpy==4.1.2
fi
PY=.peers-venv/bin/python
if [ -z "$BIN_DIR" ]; then
    echo "== building salesim (release)" >&2
    cargo build --release --quiet --bin salesim --example peer_timing
    BIN_DIR=target/release
fi
SALESIM=$BIN_DIR/salesim
TIMING=$BIN_DIR/examples/peer_timing

now() { date +%s.%N; }

# ---------------------------------------------------------------- 3. side by side
# run_pair MODEL SCENARIO TRIALS RUN: one SimPy run, then a block of salesim runs lasting
# as long (see the top of the file).
MIN_BLOCK=3
MAX_BLOCK=200
run_pair() {
    local model=$1 scenario=$2 trials=$3 r=$4 t0 t1 simpy_s start k=0
    echo "== $model pair $r/$RUNS: simpy" >&2
    t0=$(now)
    "$PY" "$SIMPY" --model "$model" --runs 1 --seed "$r" --out "$OUT/simpy_${model}_$r.json" >/dev/null
    t1=$(now)
    echo "$t0 $t1" >"$OUT/simpy_${model}_$r.proc.txt"
    simpy_s=$(python3 -c "print($t1 - $t0)")
    echo "== $model pair $r/$RUNS: salesim for ${simpy_s%.*}+ s" >&2
    : >"$OUT/salesim_${model}_$r.jsonl"
    : >"$OUT/salesim_${model}_$r.proc.txt"
    start=$(now)
    while [ "$k" -lt "$MIN_BLOCK" ] || { [ "$k" -lt "$MAX_BLOCK" ] &&
        python3 -c "import sys; sys.exit(0 if $(now) - $start < $simpy_s else 1)"; }; do
        "$TIMING" "$scenario" "$trials" 1 "$r" >>"$OUT/salesim_${model}_$r.jsonl"
        t0=$(now)
        "$SALESIM" run "$scenario" --trials "$trials" --seed "$r" --threads 1 --quiet --format json \
            --out "$OUT/salesim_${model}_$r.cli.json"
        t1=$(now)
        echo "$t0 $t1" >>"$OUT/salesim_${model}_$r.proc.txt"
        k=$((k + 1))
    done
}

if [ "$PEERS" = 1 ]; then
    for r in $(seq 1 "$RUNS"); do
        run_pair mmc "$MM5" 1 "$r"
        run_pair craft "$CRAFT" 100 "$r"
    done
fi

# ---------------------------------------------------------------- 5. threads
if [ "$THREADS_CHECK" = 1 ]; then
    for r in $(seq 1 "$RUNS"); do
        for threads in 1 2; do
            echo "== compare, 1,000 trials, $threads thread(s), run $r/$RUNS" >&2
            t0=$(now)
            "$SALESIM" compare scenarios/craftsperson.toml scenarios/specialized.toml \
                --trials 1000 --threads "$threads" --quiet >/dev/null
            t1=$(now)
            echo "$t0 $t1" >"$OUT/compare_t${threads}_$r.proc.txt"
        done
    done
fi

# ---------------------------------------------------------------- 6. memory
if [ "$MEMORY" = 1 ]; then
    echo "== peak memory, 100,000 trials of specialized.toml (a few minutes)" >&2
    t0=$(now)
    /usr/bin/time -v "$SALESIM" run scenarios/specialized.toml --trials 100000 --quiet \
        --format csv --out "$OUT/memory_run.csv" 2>"$OUT/memory_time.txt"
    t1=$(now)
    echo "$t0 $t1" >"$OUT/memory.proc.txt"
fi

# ---------------------------------------------------------------- 4. the table
python3 - "$OUT" "$RUNS" "$MM5" "$CRAFT" <<'EOF'
import json, os, statistics, sys
out, runs, mm5, craft = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

def load(name):
    with open(os.path.join(out, name)) as f:
        return json.load(f)

def proc(name):
    a, b = open(os.path.join(out, name)).read().split()
    return float(b) - float(a)

def procs(name):
    """Every (start, end) line of a block's process times, as durations."""
    lines = open(os.path.join(out, name)).read().split("\n")
    return [float(b) - float(a) for a, b in (l.split() for l in lines if l.strip())]

def jsonl(name):
    with open(os.path.join(out, name)) as f:
        return [json.loads(l) for l in f if l.strip()]

med = statistics.median
rows, outputs = [], []
peers = os.path.exists(os.path.join(out, "simpy_mmc_1.json"))
for model, trials, label in (("mmc", 1, "M/M/5, 1M arrivals"), ("craft", 100, "craft 10, 100 x 52 wk")) if peers else ():
    pairs = range(1, runs + 1)
    simpy = [load(f"simpy_{model}_{r}.json")["models"][model]["runs"][0] for r in pairs]
    blocks = [jsonl(f"salesim_{model}_{r}.jsonl") for r in pairs]
    proc_blocks = [procs(f"salesim_{model}_{r}.proc.txt") for r in pairs]
    simpy_proc = [proc(f"simpy_{model}_{r}.proc.txt") for r in pairs]
    # Per pair: SimPy's time over the median salesim run of the pair's block.
    sal_s = [med(o["wall_s"] for o in b) for b in blocks]
    sal_p = [med(b) for b in proc_blocks]
    sim_ratios = [o["wall_s"] / s for o, s in zip(simpy, sal_s)]
    proc_ratios = [p / s for p, s in zip(simpy_proc, sal_p)]
    rows.append((label, med(o["wall_s"] for o in simpy), med(sal_s), sim_ratios,
                 med(simpy_proc), med(sal_p), proc_ratios, [len(b) for b in blocks],
                 med(o["model_events_per_s"] for o in simpy),
                 med(o["events_per_s"] for b in blocks for o in b)))
    mean = statistics.mean
    first = [b[0] for b in blocks]  # one salesim run per seed, as SimPy's
    def s0(key):
        return mean(o[key] for o in simpy)
    def m(key, factor=1.0):
        return mean(o["means"][key] * factor for o in first)
    if model == "mmc":
        outputs.append(("M/M/5 mean wait h (Erlang C 1.525)",
                        s0("mean_wait_hours"), m("steps.task.wait_hours.mean")))
    else:
        outputs += [
            ("craft leads completed / trial (README 1979)", s0("leads_completed_per_rep"),
             m("steps.followup.completed_per_week", 52.0)),
            ("craft mean lead cycle h (README 76.9)", s0("mean_lead_cycle_hours"),
             m("lead_time_in_system_hours.mean")),
            ("craft mean service response h (README 0.52)", s0("mean_service_response_hours"),
             m("service_response_hours.mean")),
            ("craft utilisation (README 0.91)", s0("utilization"), m("roles.sales.utilization")),
        ]

def ratio(rs):
    return f"**{med(rs):.0f}x** ({min(rs):.0f}-{max(rs):.0f}x)"

if peers:
    load1 = os.getloadavg()[0]
    print(f"\nsalesim vs SimPy 4.1.2, {runs} interleaved pairs (seeds 1..{runs}), 1 thread, "
          f"nproc={os.cpu_count()}, load average now {load1:.1f}")
    print("  a pair: one SimPy run, then salesim runs for as long (>= 3); pair ratio = SimPy time /"
          " median salesim run of the pair")
    print("  ratio: median of the per-pair ratios (min-max over the pairs)")
    print("  simulation only: SimPy env.run() vs salesim experiment::run (examples/peer_timing.rs)")
    print("  whole process:   python simpy_peers.py vs target/release/salesim run ... "
          "--threads 1\n")
    h = ("workload", "SimPy s", "salesim s", "ratio", "SimPy proc s", "salesim proc s", "ratio",
         "salesim runs per pair", "SimPy model ev/s", "salesim ev/s")
    print("| " + " | ".join(h) + " |")
    print("|" + "---|" * len(h))
    for r in rows:
        print(f"| {r[0]} | {r[1]:.2f} | {r[2]:.3f} | {ratio(r[3])} | {r[4]:.2f} | {r[5]:.3f} "
              f"| {ratio(r[6])} | {', '.join(map(str, r[7]))} | {r[8]:,.0f} | {r[9]:,.0f} |")
    print(f"\n| output (mean over the {runs} seeds) | SimPy | salesim |\n|---|---|---|")
    for name, a, b in outputs:
        print(f"| {name} | {a:.4g} | {b:.4g} |")

t1 = [proc(f"compare_t1_{r}.proc.txt") for r in range(1, runs + 1) if os.path.exists(os.path.join(out, f"compare_t1_{r}.proc.txt"))]
t2 = [proc(f"compare_t2_{r}.proc.txt") for r in range(1, runs + 1) if os.path.exists(os.path.join(out, f"compare_t2_{r}.proc.txt"))]
if t1 and t2:
    print(f"\nsalesim compare craftsperson specialized --trials 1000: "
          f"1 thread {med(t1):.2f} s, 2 threads {med(t2):.2f} s, speed-up {med(t1) / med(t2):.2f}x "
          f"(median of {len(t1)}; runs 1 thread: {', '.join(f'{x:.2f}' for x in t1)}; "
          f"2 threads: {', '.join(f'{x:.2f}' for x in t2)})")
mem = os.path.join(out, "memory_time.txt")
if os.path.exists(mem):
    for line in open(mem):
        if "Maximum resident set size" in line:
            kb = int(line.split(":")[1])
            print(f"\nsalesim run specialized.toml --trials 100000: peak RSS {kb / 1024:.1f} MiB "
                  f"({kb} kB), wall {proc('memory.proc.txt'):.1f} s")
EOF
