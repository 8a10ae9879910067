#!/usr/bin/env bash
# Aggregate-stage benchmark: Spark (this project's estimator) vs DuckDB (JDBC, 2 threads) on the same Parquet
# microdata, at ROWS rows (default: 5 and 50 million). Each engine runs in its own JVM under /usr/bin/time, so the
# peak memory is per engine. Results: target/bench/aggregate-results.jsonl and a table on stdout for
# docs/BENCHMARKS.md. Not run by CI: a 50-million-row pass takes several minutes and ~3 GB of disk.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
rows_list="${ROWS:-5000000 50000000}"
out="$here/target/bench"
mkdir -p "$out"
export BENCH_RESULTS="$out/aggregate-results.jsonl"
: > "$BENCH_RESULTS"

mvn -B -q -Dstyle.color=never -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile="$out/classpath.txt" -Dmdep.includeScope=test
cp="$here/target/classes:$here/target/test-classes:$(cat "$out/classpath.txt")"
source "$here/jobs/jvm-options.sh"
opens=("${spark_jvm_options[@]}")
run() { # label, then the benchmark's arguments; records peak RSS of the JVM
  local label="$1"; shift
  /usr/bin/time -v -o "$out/time-$label.txt" java -Xmx${BENCH_XMX:-6g} "${opens[@]}" \
    -Dlog4j2.configurationFile="$here/conf/log4j2.properties" -cp "$cp" \
    org.learningregions.bench.AggregateBenchmark "$@" 2>"$out/log-$label.txt" | tail -1
  local kb; kb=$(grep "Maximum resident set size" "$out/time-$label.txt" | awk '{print $NF}')
  echo "{\"label\":\"$label\",\"peak_rss_mb\":$((kb / 1024))}" >> "$BENCH_RESULTS"
}
for rows in $rows_list; do
  data="$out/microdata_$rows"
  run "generate-$rows" generate "$rows" "$data"
  run "spark-totals-$rows" spark-totals "$data" "$out/spark_$rows.csv"
  run "spark-full-$rows" spark-full "$data" "$out/spark_full_$rows"
  run "duckdb-$rows" duckdb "$data" "$out/duckdb_$rows.csv"
  run "duckdb-full-$rows" duckdb-full "$data" "$out/duckdb_full_$rows.csv"
  run "compare-$rows" compare "$out/spark_$rows.csv" "$out/duckdb_$rows.csv"
  run "compare-full-$rows" compare-full "$out/spark_full_$rows" "$out/duckdb_full_$rows.csv"
  rm -rf "$data"
done
echo "results: $BENCH_RESULTS"
