#!/usr/bin/env bash
# Integration test on a real Spark standalone cluster on 127.0.0.1, from the project's own dependencies (no Spark
# download; recipe in ../shared/STACK.md). Builds the thin cluster jar, starts a Master and one Worker, runs the
# default sample on the cluster with spark-submit through the job scripts (jobs/ingest.sh, then jobs/pipeline.sh for
# the other stages: ingest finds its files recorded), and checks that the gold tables equal those of the same sample
# in local mode (doubles to 1e-9 relative). Stops the processes it started, by PID, on success and on failure.
# dev/test passes the sample lakehouse the Spark tests made (LOCAL_LAKEHOUSE, from SAMPLE_INPUTS); alone, the script
# builds the laptop jar and runs the local side itself. Exit: 0 equal, 1 different or a step failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
work="${CLUSTER_TEST_DIR:-$here/target/cluster-test}"
port="${CLUSTER_TEST_PORT:-7077}"
pids=()
cleanup() {
  local code=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 2
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work/spark-home/work"
  [ $code -ne 0 ] && echo "cluster-test: FAILED (logs in $work)" >&2
  exit $code
}
trap cleanup EXIT
rm -rf "$work" && mkdir -p "$work"
t0=$(date +%s)

inputs="${SAMPLE_INPUTS:-$work/inputs}"
local_lake="${LOCAL_LAKEHOUSE:-$work/lake-local}"
if [ -z "${LOCAL_LAKEHOUSE:-}" ]; then
  echo "cluster-test: building the laptop jar"
  mvn -B -q -Dstyle.color=never -Dmaven.test.skip=true package
fi
query="select 'analysis_panel' t, to_json(struct(*)) j from gold.analysis_panel
  union all select 'panel_coverage', to_json(struct(*)) from gold.panel_coverage
  union all select 'learning_rates', to_json(struct(*)) from gold.learning_rates
  union all select 'learning_rate_comparison', to_json(struct(*)) from gold.learning_rate_comparison
  union all select 'region_neighbours', to_json(struct(*)) from gold.region_neighbours
  union all select 'model_coefficients', to_json(struct(model_name, term, estimate, std_error, t_value, p_value,
    ci_low, ci_high, df, se_type)) from gold.model_coefficients
  union all select 'model_runs', to_json(struct(model_name, formula, n_input, n_dropped_missing, n_dropped_singletons,
    n_obs, n_clusters, r2, within_r2, rmse)) from gold.model_runs
  union all select 'region_years', to_json(struct(*)) from gold.region_years
  union all select 'analysis_long_difference', to_json(struct(*)) from gold.analysis_long_difference
  union all select 'learning_index', to_json(struct(*)) from gold.learning_index
  union all select 'learning_index_audit', to_json(struct(*)) from gold.learning_index_audit
  union all select 'learning_index_sensitivity', to_json(struct(*)) from gold.learning_index_sensitivity"
gold() { # side, lakehouse
  jobs/learning-regions sql --conf conf/local.conf -Dlakehouse="$2" "$query" > "$work/gold-$1.csv" 2> "$work/sql-$1.log"
}
source "$here/dev/standalone-cluster.sh"
echo "cluster-test: starting Master and Worker on 127.0.0.1:$port"
start_standalone_cluster "$work" "$port" 3g 2g || { echo "cluster-test: worker did not register" >&2; exit 1; }
sh_home="$SPARK_HOME"

echo "cluster-test: cluster up after $(( $(date +%s) - t0 )) s (master pid ${pids[0]}, worker pid ${pids[1]})"

if [ -z "${LOCAL_LAKEHOUSE:-}" ]; then
  jobs/learning-regions generate-sample --conf conf/local.conf --out "$inputs" > "$work/generate.log" 2>&1
fi

# The same configuration for both runs but the lakehouse; the cluster one inherits conf/cluster.conf.
cat > "$work/cluster-test.conf" <<CONF
include file("$here/conf/cluster.conf")
# As conf/local.conf: the sample's index indicators.
include file("$here/conf/index/sample.conf")
learning-regions {
  lakehouse = "$work/lake-cluster"
  reports = "$work/reports-cluster"
  inputs.dir = "$inputs"
  # As conf/local.conf (off in cluster.conf): the spatial lags, from the boundaries embedded in the jar.
  panel.spatial.boundaries = "classpath:geo/nuts2021_nutsrg_2_3035_20M.json"
  spark.conf {
    "spark.sql.shuffle.partitions" = "4"
    # One task per Delta log replay instead of 50: small bookkeeping commits took 3.5-4.3 s each on this cluster.
    "spark.databricks.delta.snapshotPartitions" = "1"
    "spark.driver.host" = "127.0.0.1"
    "spark.driver.bindAddress" = "127.0.0.1"
    "spark.executor.memory" = "2g"
    "spark.executor.cores" = "2"
  }
}
CONF

if [ -z "${LOCAL_LAKEHOUSE:-}" ]; then
  echo "cluster-test: local mode"
  ts=$(date +%s)
  jobs/learning-regions pipeline --conf conf/local.conf --input "$inputs" -Dlakehouse="$local_lake" \
    -Dreports="$work/reports-local" > "$work/local.log" 2>&1
  echo "cluster-test: local pipeline $(( $(date +%s) - ts )) s"
fi

export SPARK_MASTER="spark://127.0.0.1:$port" LEARNING_REGIONS_CONF="$work/cluster-test.conf"
for stage in ingest pipeline; do
  ts=$(date +%s)
  args=("$inputs")
  [ "$stage" = pipeline ] && args=(--input "$inputs")
  code=0
  "jobs/$stage.sh" "${args[@]}" > "$work/cluster-$stage.log" 2>&1 || code=$?
  if [ "$code" -ne 0 ]; then
    echo "cluster-test: $stage failed on the cluster (exit $code); see $work/cluster-$stage.log" >&2
    tail -5 "$work/cluster-$stage.log" >&2
    exit 1
  fi
  echo "cluster-test: cluster $stage $(( $(date +%s) - ts )) s"
done
grep -q "app-" "$work/master.log" || { echo "cluster-test: no application reached the master" >&2; exit 1; }
ls "$sh_home/work" | grep -q "app-" || { echo "cluster-test: no executor ran on the worker" >&2; exit 1; }

# One after the other: reading the local side while the cluster started slowed the cluster's ingest from 62 to 132 s
# on two cores.
gold local "$local_lake"
gold cluster "$work/lake-cluster"
/usr/bin/python3 - "$work/gold-local.csv" "$work/gold-cluster.csv" <<'PY'
import csv, json, sys, collections
def load(f):
    rows = collections.defaultdict(list)
    for r in csv.DictReader(open(f)):
        rows[r["t"]].append(json.loads(r["j"]))
    return rows
def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return a == b
def key(d):
    return json.dumps({k: (round(v, 6) if isinstance(v, float) else v) for k, v in d.items()}, sort_keys=True)
local, cluster = load(sys.argv[1]), load(sys.argv[2])
bad = 0
for t in sorted(set(local) | set(cluster)):
    a, b = sorted(local.get(t, []), key=key), sorted(cluster.get(t, []), key=key)
    diffs = 0 if len(a) == len(b) else 1
    for x, y in zip(a, b):
        if set(x) != set(y) or not all(same(x[k], y[k]) for k in x):
            diffs += 1
    print(f"cluster-test: gold.{t}: local {len(a)} rows, cluster {len(b)} rows, {diffs} differing")
    bad += diffs
sys.exit(1 if bad or not local else 0)
PY
echo "cluster-test: gold tables equal in local mode and on the standalone cluster ($(( $(date +%s) - t0 )) s in all)"
