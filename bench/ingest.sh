#!/usr/bin/env bash
# Ingest-stage benchmark: a generated Eurostat bulk TSV of CELLS cells (default 10 million) into bronze, silver and
# quarantine of an empty lakehouse, through the same launcher users run. Reports wall seconds, cells per second and the
# JVM's peak resident memory (GNU time). Results: target/bench/ingest-results.jsonl. Not run by CI.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
cells="${CELLS:-10000000}"
out="$here/target/bench"
mkdir -p "$out"
data="$out/estat_bench_${cells}.tsv"
[ -f "$data" ] || python3 bench/gen_eurostat_tsv.py "$cells" "$data"
lh="$out/ingest-lakehouse-$cells"
rm -rf "$lh"
jobs/learning-regions --version >/dev/null  # builds the jar on first use, outside the measurement
/usr/bin/time -v -o "$out/time-ingest-$cells.txt" jobs/learning-regions ingest --dataset bench_tsv \
  -Dlakehouse="$lh" "$data" 2>"$out/log-ingest-$cells.txt"
wall=$(grep "Elapsed (wall clock)" "$out/time-ingest-$cells.txt" | awk '{print $NF}')
secs=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
kb=$(grep "Maximum resident set size" "$out/time-ingest-$cells.txt" | awk '{print $NF}')
manifest=$(ls -t "$lh"/_runs/*.json | head -1)
line=$(python3 - "$manifest" "$cells" "$secs" "$kb" "$(stat -c %s "$data")" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
stage = next(s for s in m["stages"] if s["stage"] == "ingest")
f = stage["counts"]["files"][0]
cells, secs, kb, size = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(json.dumps({"cells": cells, "file_mb": round(size / 1e6, 1), "wall_seconds": secs,
                  "stage_seconds": stage.get("seconds"), "cells_per_second": round(cells / secs),
                  "peak_rss_mb": kb // 1024, "rows_read": f["rows_read"], "rows_accepted": f["rows_accepted"],
                  "rows_quarantined": f["rows_quarantined"], "reconciled": f["reconciled"]}))
PY
)
echo "$line" | tee -a "$out/ingest-results.jsonl"
