#!/usr/bin/env bash
# CI test of the Kubernetes recipe, without a cluster: validates k8s_indexed_job.yaml and
# k8s_merge_job.yaml against the Kubernetes 1.33 schema, strictly (kubernetes-validate
# from PyPI, which carries the schemas: no network at validation time), checks what the
# schema cannot (the PVC is ReadWriteMany, completions equal the ConfigMap's SHARDS, CPU
# limits equal requests and set THREADS), then runs each pod's own shell command here,
# as the pods would (JOB_COMPLETION_INDEX, the ConfigMap's values, THREADS from the
# limit), shards and merge, and checks the merged CSV is byte-identical to one
# unsharded run. Run from the repository root after `cargo build --release`.
# The Dockerfile is not built here (no container engine on CI).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=$ROOT/target/release/salesim
[[ -x $BIN ]] || { echo "test_k8s: build first (cargo build --release)" >&2; exit 1; }
if ! command -v kubernetes-validate >/dev/null; then
  python3 -m pip install --quiet --root-user-action=ignore kubernetes-validate
fi
YAML=(examples/cluster/k8s_indexed_job.yaml examples/cluster/k8s_merge_job.yaml)
kubernetes-validate --strict --quiet -k 1.33.0 "${YAML[@]}"

T=$(mktemp -d /tmp/salesim-k8s.XXXXXX)
trap 'rm -rf "$T"' EXIT
# The pods' commands and the checks the schema cannot make, read with PyYAML (which
# kubernetes-validate depends on).
python3 - "$T" "${YAML[@]}" <<'EOF'
import sys, yaml
out, files = sys.argv[1], sys.argv[2:]
docs = [d for f in files for d in yaml.safe_load_all(open(f)) if d]
kinds = {(d["kind"], d["metadata"]["name"]): d for d in docs}
def fail(msg):
    sys.exit(f"test_k8s: FAILED: {msg}")
pvc = kinds[("PersistentVolumeClaim", "salesim-results")]
if pvc["spec"]["accessModes"] != ["ReadWriteMany"]:
    fail("the results volume must be ReadWriteMany")
study = kinds[("ConfigMap", "salesim-study")]["data"]
job = kinds[("Job", "salesim-study")]
merge = kinds[("Job", "salesim-merge")]
if job["spec"]["completionMode"] != "Indexed" or job["spec"]["completions"] != int(study["SHARDS"]):
    fail("the Indexed Job's completions must equal the ConfigMap's SHARDS")
if "backoffLimitPerIndex" not in job["spec"]:
    fail("no per-index retries")
pod = job["spec"]["template"]["spec"]["containers"][0]
res = pod["resources"]
if res["limits"]["cpu"] != res["requests"]["cpu"]:
    fail("CPU limit and request differ")
threads = [e for e in pod["env"] if e["name"] == "THREADS"]
if not threads or threads[0]["valueFrom"]["resourceFieldRef"]["resource"] != "limits.cpu":
    fail("THREADS must come from the CPU limit")
for name, d in (("shard", job), ("merge", merge)):
    c = d["spec"]["template"]["spec"]["containers"][0]
    claims = [v["persistentVolumeClaim"]["claimName"] for v in d["spec"]["template"]["spec"]["volumes"]]
    if claims != ["salesim-results"]:
        fail(f"{name} does not mount the results volume")
    open(f"{out}/{name}.sh", "w").write(c["args"][0] + "\n")
with open(f"{out}/study.env", "w") as f:
    for k, v in study.items():
        f.write(f"{k}={v}\n")
EOF
SHARDS=4
env_of_study() {
  # The ConfigMap's values, but a small study that runs here, in a folder of its own.
  grep -v -e '^SHARDS=' -e '^TRIALS=' -e '^RESULTS=' "$T/study.env"
  echo "SHARDS=$SHARDS"; echo "TRIALS=200"; echo "RESULTS=$T/results/study"
}
mapfile -t STUDY < <(env_of_study)
export PATH="$ROOT/target/release:$PATH"
for ((k = 0; k < SHARDS; k++)); do
  env "${STUDY[@]}" JOB_COMPLETION_INDEX=$k THREADS=1 /bin/sh "$T/shard.sh" 2>>"$T/pods.log"
done
# A pod started again for a shard already written skips it.
env "${STUDY[@]}" JOB_COMPLETION_INDEX=1 THREADS=1 /bin/sh "$T/shard.sh" | grep -q "already written" \
  || { echo "test_k8s: FAILED: a written shard is run again" >&2; exit 1; }
env "${STUDY[@]}" /bin/sh "$T/merge.sh" 2>>"$T/pods.log"
seed=$(grep '^SEED=' "$T/study.env" | cut -d= -f2)
scenario=$(grep '^SCENARIO=' "$T/study.env" | cut -d= -f2)
salesim run "$scenario" --trials 200 --seed "$seed" --format csv --quiet --out "$T/whole.csv" 2>>"$T/pods.log"
cmp "$T/whole.csv" "$T/results/study/all.csv" \
  || { echo "test_k8s: FAILED: the merged CSV differs from the unsharded run" >&2; exit 1; }
echo "test_k8s: the Kubernetes files are valid; their pod commands shard and merge byte-identically"
