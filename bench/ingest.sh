#!/usr/bin/env bash
# Ingest benchmark against the Spark floor (issue 17). Not run by CI. For each input in INPUTS (default all three):
#   tsv        a generated Eurostat bulk TSV of CELLS cells (default 10 million: 250,000 lines x 40 years, 64 MB);
#   microdata  the generated survey microdata with RESPONDENTS per region-year (default 20000: 91 NUTS 2 regions x 11
#              years = 20,020,000 rows, 1.8 GB of CSV);
#   small      ../shared/data/real/eurostat_2017/trng_lfse_04.tsv (1,456 lines, 23,280 cells);
# it measures in one run, each in its own JVM under /usr/bin/time (wall time includes JVM start; peak = max RSS):
#   floor      IngestFloor spark-csv|spark-tsv: spark.read of the same file + one Delta write, no validation, in a
#              session built as the CLI builds it from conf/local.conf, with the launcher's JVM options and heap;
#   design     IngestFloor design-csv|design-tsv: the least ingest's design writes, with no validation: the floor's
#              table (for a TSV one row per cell, as silver) and the raw lines (bronze) at the same time; the ratio
#              design / floor is what no validation code can go below;
#   ingest     jobs/learning-regions ingest FILE into an empty lakehouse;
#   again      the same command again (the file is unchanged: skipped after one lookup);
#   duckdb     (microdata only) DuckDB read_csv -> one Parquet file, two threads, as context.
# Results: one JSON line per input in target/bench/ingest-results.jsonl (ratio = ingest wall / floor wall).
# BENCH_DESIGN=0 skips the design floor.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
inputs="${INPUTS:-small tsv microdata}"
cells="${CELLS:-10000000}"
respondents="${RESPONDENTS:-20000}"
heap="${BENCH_XMX:-4g}"
out="$here/target/bench/ingest"
mkdir -p "$out"
results="$here/target/bench/ingest-results.jsonl"
export BENCH_RESULTS="$out/floor-results.jsonl"
: > "$BENCH_RESULTS"

mvn -B -q -Dstyle.color=never -DskipTests package test-compile dependency:build-classpath \
  -Dmdep.outputFile="$out/classpath.txt" -Dmdep.includeScope=test
cp="$here/target/classes:$here/target/test-classes:$(cat "$out/classpath.txt")"
jobs/learning-regions --version >/dev/null 2>&1  # the launcher's class-data archive, outside the measurements
source "$here/jobs/jvm-options.sh"
# The launcher's default collector, for the floor as well: the same kind of JVM on both sides of the ratio.
export LEARNING_REGIONS_JAVA_OPTS="-Xmx$heap -XX:+UseParallelGC"
timed() { # label, command...: runs under GNU time, prints "wall_seconds peak_mb"
  local label="$1"; shift
  "$@" > "$out/$label.log" 2>&1 </dev/null \
    || { tail -n 20 "$out/$label.log" >&2; echo "bench/ingest: $label failed" >&2; exit 1; }
}
gnutime() { local label="$1"; shift; /usr/bin/time -v -o "$out/time-$label.txt" "$@"; }
wall() { awk '/Elapsed \(wall clock\)/ {n = split($NF, p, ":"); print (n == 3 ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2])}' "$out/time-$1.txt"; }
peak() { awk '/Maximum resident set size/ {print int($NF / 1024)}' "$out/time-$1.txt"; }
floor() { # label, mode, file
  rm -rf "$out/floor-$1"
  # shellcheck disable=SC2086 # the options are words, as the launcher reads them
  timed "floor-$1" gnutime "floor-$1" java $LEARNING_REGIONS_JAVA_OPTS "${spark_jvm_options[@]}" \
    --enable-native-access=ALL-UNNAMED -Dlog4j2.configurationFile="$here/conf/log4j2.properties" -cp "$cp" \
    org.learningregions.bench.IngestFloor "$2" "$here/conf/local.conf" "$3" "$out/floor-$1"
  rm -rf "$out/floor-$1"
}

for input in $inputs; do
  case "$input" in
    tsv)
      file="$out/estat_bench_${cells}.tsv"
      [ -f "$file" ] || python3 bench/gen_eurostat_tsv.py "$cells" "$file"
      args=(--dataset bench_tsv "$file"); mode=spark-tsv ;;
    small)
      file="$(cd "$here/.." && pwd)/shared/data/real/eurostat_2017/trng_lfse_04.tsv"
      [ -f "$file" ] || { echo "bench/ingest: $file is missing (../shared beside the clone)" >&2; exit 1; }
      args=("$file"); mode=spark-tsv ;;
    microdata)
      dir="$out/microdata-$respondents"
      if [ ! -f "$dir/sample_manifest.json" ]; then
        timed "generate-$respondents" jobs/learning-regions generate-sample --out "$dir" --respondents "$respondents"
      fi
      file=$(ls "$dir"/*microdata*.csv)
      args=("$file"); mode=spark-csv ;;
    *) echo "bench/ingest: unknown input $input" >&2; exit 2 ;;
  esac
  floor "$input" "$mode" "$file"
  design=null
  if [ "${BENCH_DESIGN:-1}" = 1 ]; then
    floor "design-$input" "design-${mode#spark-}" "$file"
    design=$(wall "floor-design-$input")
  fi
  lh="$out/lake-$input"
  rm -rf "$lh"
  timed "ingest-$input" gnutime "ingest-$input" jobs/learning-regions ingest -Dlakehouse="$lh" "${args[@]}"
  timed "again-$input" gnutime "again-$input" jobs/learning-regions ingest -Dlakehouse="$lh" "${args[@]}"
  duck=null
  if [ "$input" = microdata ]; then
    rm -f "$out/duckdb.parquet"
    timed "duckdb-$input" gnutime "duckdb-$input" java -Xmx"$heap" -cp "$cp" org.learningregions.bench.IngestFloor \
      duckdb-parquet "$file" "$out/duckdb.parquet"
    duck=$(wall "duckdb-$input")
    rm -f "$out/duckdb.parquet"
  fi
  python3 - "$lh" "$input" "$file" "$(wall "floor-$input")" "$(peak "floor-$input")" "$(wall "ingest-$input")" \
    "$(peak "ingest-$input")" "$(wall "again-$input")" "$duck" "$design" <<'PY' | tee -a "$results"
import glob, json, os, sys
lh, name, path, fw, fp, iw, ip, aw, dw, design = sys.argv[1:]
runs = sorted(glob.glob(lh + "/_runs/*.json"), key=os.path.getmtime)
first, again = (json.load(open(f)) for f in runs[-2:])
stage = lambda m: next(s for s in m["stages"] if s["stage"] == "ingest")
f = stage(first)["counts"]["files"][0]
print(json.dumps({"input": name, "file_mb": round(os.path.getsize(path) / 1e6, 1),
                  "rows_read": f["rows_read"], "rows_accepted": f["rows_accepted"],
                  "rows_quarantined": f["rows_quarantined"], "reconciled": f["reconciled"],
                  "floor_wall_s": float(fw), "floor_peak_mb": int(fp), "ingest_wall_s": float(iw),
                  "ingest_peak_mb": int(ip), "ratio_to_floor": round(float(iw) / float(fw), 2),
                  "design_floor_wall_s": None if design == "null" else float(design),
                  "design_to_floor": None if design == "null" else round(float(design) / float(fw), 2),
                  "ingest_to_design": None if design == "null" else round(float(iw) / float(design), 2),
                  "again_wall_s": float(aw), "again_status": stage(again).get("status"),
                  "duckdb_parquet_wall_s": None if dw == "null" else float(dw)}))
PY
done
echo "results: $results"
