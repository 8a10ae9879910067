#!/usr/bin/env bash
# Whole-pipeline benchmark on the embedded default (conf/local.conf, the generated sample), jar built first. Not run
# by CI. RUNS times (default 3): `jobs/learning-regions pipeline` into an empty lakehouse, then the same command again
# with nothing changed (the sample is generated once, before the first measurement). Records wall time (GNU time, JVM start included), peak RSS, and each stage's seconds and
# status from the run manifest, plus the microdata rows the rerun parsed (must be 0). Results:
# target/bench/pipeline-results.jsonl.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
runs="${RUNS:-3}"
out="$here/target/bench/pipeline"
mkdir -p "$out"
results="$here/target/bench/pipeline-results.jsonl"
mvn -B -q -Dstyle.color=never -DskipTests package
# The sample once, outside the measurement (the first run of a fresh clone would generate it), and the launcher's
# class-data archive for this build (any command makes it; without this line the first measured run paid for it).
[ -f "$out/inputs/sample_manifest.json" ] || jobs/learning-regions generate-sample --out "$out/inputs" >/dev/null 2>&1
jobs/learning-regions --help >/dev/null 2>&1 || true
for i in $(seq 1 "$runs"); do
  lh="$out/lakehouse"
  rm -rf "$lh" "$out/reports"
  for kind in first again; do
    /usr/bin/time -v -o "$out/time-$kind.txt" jobs/learning-regions pipeline -Dlakehouse="$lh" \
      -Dreports="$out/reports" -Dinputs.dir="$out/inputs" > "$out/$kind.log" 2>&1 \
      || { tail -n 20 "$out/$kind.log" >&2; exit 1; }
    python3 - "$lh" "$kind" "$i" "$out/time-$kind.txt" <<'PY' | tee -a "$results"
import glob, json, os, sys
lh, kind, i, timefile = sys.argv[1:]
t = {l.split(": ")[0].strip(): l.split(": ")[-1].strip() for l in open(timefile) if ": " in l}
p = t["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
wall = float(p[-1]) + 60 * float(p[-2]) + (3600 * float(p[0]) if len(p) == 3 else 0)
m = json.load(open(max(glob.glob(lh + "/_runs/*.json"), key=os.path.getmtime)))
stages = {s["stage"]: {"seconds": s.get("seconds"), "status": s.get("status")} for s in m["stages"]}
ingest = next(s for s in m["stages"] if s["stage"] == "ingest")
print(json.dumps({"run": int(i), "kind": kind, "wall_s": wall,
                  "peak_mb": int(t["Maximum resident set size (kbytes)"]) // 1024,
                  "spark_started": "spark_master" in m, "stages": stages,
                  "microdata_rows_parsed": ingest["counts"].get("microdata_rows_parsed")}))
PY
  done
done
echo "results: $results"
