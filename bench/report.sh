#!/usr/bin/env bash
# Report-stage benchmark: a generated sample of REGIONS regions x YEARS years (default 300 x 20) through the
# pipeline, then `report` alone, timed. The figure that counts is the report stage's own time in the run manifest
# (Spark already up); the wall time of the command is printed beside it. Results: target/bench/report-results.jsonl.
# Not run by CI.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
regions="${REGIONS:-300}"
years="${YEARS:-20}"
out="$here/target/bench"
inputs="$out/report-inputs-$regions-$years"
lh="$out/report-lakehouse-$regions-$years"
reports="$out/report-reports-$regions-$years"
mkdir -p "$out"
rm -rf "$inputs" "$lh" "$reports"
# Every NUTS 2021 country: the EU's 242 NUTS 2 regions and the EFTA and candidate countries' beyond them.
countries="AT,BE,BG,CY,CZ,DE,DK,EE,EL,ES,FI,FR,HR,HU,IE,IT,LT,LU,LV,MT,NL,PL,PT,RO,SE,SI,SK,NO,CH,IS,TR,RS,ME,MK,AL"
jobs/learning-regions generate-sample --out "$inputs" --countries "$countries" --max-regions "$regions" \
  --first-year $((2021 - years)) --last-year 2020 --respondents 30 --seed 3 >/dev/null
jobs/learning-regions pipeline --input "$inputs" -Dlakehouse="$lh" -Dreports="$reports" >/dev/null 2>"$out/log-report-pipeline.txt"
start=$(date +%s.%N)
/usr/bin/time -v -o "$out/time-report.txt" jobs/learning-regions report -Dlakehouse="$lh" -Dreports="$reports" \
  >/dev/null 2>"$out/log-report.txt"
end=$(date +%s.%N)
manifest=$(ls -t "$lh"/_runs/*.json | head -1)
python3 - "$manifest" "$start" "$end" "$(grep 'Maximum resident' "$out/time-report.txt" | awk '{print $NF}')" <<'PY' | tee -a "$out/report-results.jsonl"
import json, sys
m = json.load(open(sys.argv[1]))
st = next(s for s in m["stages"] if s["stage"] == "report")
import csv, os
d = st["counts"].get("report_dir")
panel = list(csv.DictReader(open(os.path.join(d, "csv/analysis_panel.csv"), encoding="utf-8")))
print(json.dumps({"panel_regions": len({r["region_code"] for r in panel}), "panel_region_years": len(panel),
                  "report_stage_seconds": st["seconds"], "command_wall_seconds": round(float(sys.argv[3]) - float(sys.argv[2]), 1),
                  "peak_rss_mb": int(sys.argv[4]) // 1024, "report_dir": d}))
PY
