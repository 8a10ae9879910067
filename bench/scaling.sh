#!/usr/bin/env bash
# Whole-pipeline scaling: the default sample (91 NUTS 2 regions x 11 years) with SCALES x its survey respondents
# (default 1, 10, 50: 100,100 to 5,005,000 microdata rows; add 200 for 20 million), each run from an empty
# lakehouse in local mode (`jobs/learning-regions pipeline`, local[*], 4 GB heap) and on a one-worker Spark
# standalone cluster on 127.0.0.1 (the stage scripts jobs/*.sh via spark-submit, thin jar; MODES="local cluster").
# Records wall time per stage (run manifests), peak RSS of the driver JVM(s), and microdata rows per second to
# target/bench/scaling-results.jsonl, and draws docs/scaling.svg. Not run by CI: the 50x runs take minutes each.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
scales="${SCALES:-1 10 50}"
modes="${MODES:-local cluster}"
out="$here/target/bench/scaling"
port="${CLUSTER_PORT:-7077}"
mkdir -p "$out"
results="$here/target/bench/scaling-results.jsonl"
[ "${APPEND:-}" = 1 ] || : > "$results"   # APPEND=1 adds to the results of an earlier run
source "$here/jobs/jvm-options.sh"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 2
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

mvn -B -q -Dstyle.color=never -DskipTests package
if [[ " $modes " == *" cluster "* ]]; then
  source "$here/dev/standalone-cluster.sh"
  start_standalone_cluster "$out" "$port" 8g 4g || { echo "scaling: worker did not register" >&2; exit 1; }
fi

peak_kb() { grep "Maximum resident" "$1" | awk '{print $NF}'; }
for scale in $scales; do
  inputs="$out/inputs-$scale"
  if [ ! -f "$inputs/sample_manifest.json" ]; then
    jobs/learning-regions generate-sample --out "$inputs" --respondents $((100 * scale)) > "$out/generate-$scale.log" 2>&1
  fi
  rows=$(( $(cat "$inputs"/*microdata*.csv | wc -l) - 1 ))  # minus the header line
  for mode in $modes; do
    lh="$out/lake-$mode-$scale"
    rm -rf "$lh" "$out/reports-$mode-$scale"
    start=$(date +%s.%N)
    peak=0
    if [ "$mode" = local ]; then
      /usr/bin/time -v -o "$out/time-$mode-$scale.txt" jobs/learning-regions pipeline --input "$inputs" \
        -Dlakehouse="$lh" -Dreports="$out/reports-$mode-$scale" > "$out/$mode-$scale.log" 2>&1
      peak=$(peak_kb "$out/time-$mode-$scale.txt")
    else
      cat > "$out/cluster-$scale.conf" <<CONF
include file("$here/conf/cluster.conf")
learning-regions {
  lakehouse = "$lh"
  reports = "$out/reports-$mode-$scale"
  spark.conf {
    "spark.sql.shuffle.partitions" = "8"
    "spark.driver.host" = "127.0.0.1"
    "spark.driver.bindAddress" = "127.0.0.1"
    "spark.executor.memory" = "6g"
    "spark.executor.cores" = "2"
  }
}
CONF
      for stage in ingest aggregate build-panel index fit report; do
        args=()
        [ "$stage" = ingest ] && args=("$inputs")
        SPARK_MASTER="spark://127.0.0.1:$port" LEARNING_REGIONS_CONF="$out/cluster-$scale.conf" \
          /usr/bin/time -v -o "$out/time-$mode-$scale-$stage.txt" "jobs/$stage.sh" "${args[@]}" \
          > "$out/$mode-$scale-$stage.log" 2>&1
        kb=$(peak_kb "$out/time-$mode-$scale-$stage.txt")
        [ "$kb" -gt "$peak" ] && peak=$kb
      done
    fi
    end=$(date +%s.%N)
    /usr/bin/python3 - "$lh" "$mode" "$scale" "$rows" "$start" "$end" "$peak" <<'PY' | tee -a "$results"
import glob, json, sys
lh, mode, scale, rows, start, end, peak = sys.argv[1:]
stages = {}
for f in sorted(glob.glob(lh + "/_runs/*.json")):
    for s in json.load(open(f))["stages"]:
        stages[s["stage"]] = round(stages.get(s["stage"], 0) + s["seconds"], 1)
wall = float(end) - float(start)
print(json.dumps({"mode": mode, "scale": int(scale), "microdata_rows": int(rows), "wall_seconds": round(wall, 1),
                  "stage_seconds": stages, "driver_peak_rss_mb": int(peak) // 1024,
                  "microdata_rows_per_second": round(int(rows) / wall)}))
PY
  done
done

# The chart: wall time against microdata rows, one line per mode, with the linear reference through the 1x point.
/usr/bin/python3 - "$results" "$here/docs/scaling.svg" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
W, H, L, B = 640, 400, 70, 50
xs = [r["microdata_rows"] for r in runs]; ys = [r["wall_seconds"] for r in runs]
xmax, ymax = max(xs) * 1.05, max(ys) * 1.15
X = lambda v: L + (W - L - 20) * v / xmax
Y = lambda v: H - B - (H - B - 30) * v / ymax
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">',
       f'<text x="{W/2}" y="18" text-anchor="middle">Whole pipeline: wall time by microdata rows (bench/scaling.sh)</text>',
       f'<line x1="{L}" y1="{H-B}" x2="{W-20}" y2="{H-B}" stroke="#333"/><line x1="{L}" y1="{H-B}" x2="{L}" y2="30" stroke="#333"/>',
       f'<text x="{W/2}" y="{H-12}" text-anchor="middle">survey microdata rows (millions)</text>',
       f'<text x="16" y="{H/2}" transform="rotate(-90 16 {H/2})" text-anchor="middle">wall time (s)</text>']
for i in range(6):
    v = xmax * i / 5; svg.append(f'<text x="{X(v)}" y="{H-B+16}" text-anchor="middle">{v/1e6:.1f}</text>')
    t = ymax * i / 5; svg.append(f'<text x="{L-6}" y="{Y(t)+4}" text-anchor="end">{t:.0f}</text>')
colours = {"local": "#1f5f99", "cluster": "#b0521e"}
for k, (mode, c) in enumerate(colours.items()):
    pts = sorted((r["microdata_rows"], r["wall_seconds"]) for r in runs if r["mode"] == mode)
    if not pts: continue
    svg.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (c, " ".join(f"{X(x)},{Y(y)}" for x, y in pts)))
    for x, y in pts: svg.append(f'<circle cx="{X(x)}" cy="{Y(y)}" r="3" fill="{c}"/>')
    x0, y0 = pts[0]; x1 = pts[-1][0]
    svg.append(f'<line x1="{X(x0)}" y1="{Y(y0)}" x2="{X(x1)}" y2="{Y(min(ymax, y0 * x1 / x0))}" stroke="{c}" stroke-dasharray="4 4"/>')
    svg.append(f'<text x="{L+10}" y="{45+16*k}" fill="{c}">{mode} (dashed: linear growth from the smallest run)</text>')
svg.append('</svg>')
open(sys.argv[2], "w").write("\n".join(svg) + "\n")
PY
echo "results: $results; chart: docs/scaling.svg"
