#!/usr/bin/env bash
# Fit benchmark (issue 6): a two-way fixed-effects model (GROUPS groups x YEARS years, five regressors, SE clustered
# by group) on generated unbalanced panels of ROWS rows (default 1 and 10 million), fitted by this project's `fit`
# command as a user runs it (jobs/learning-regions: its class-data archive and JVM options, -Xmx8g; local[*]) and, in
# the same run, by R from Debian packages: collapse::fwithin + lm.fit with a per-cluster sandwich, and
# estimatr::lm_robust (fixed_effects, clusters, se_type "stata"). The collapse route runs twice: with the system
# allocator ("collapse") and with jemalloc keeping freed pages ("collapse-jemalloc", when libjemalloc2 is installed).
# Its loop allocates and frees matrices of hundreds of MB; glibc hands them back to the kernel, and on this VM the
# page faults of taking them again made the same script take 16 s one day and 74 s another (2026-12-04: 27 s of 68 s
# were system time). The faster of the two is the yardstick. Every engine runs under /usr/bin/time (wall time and
# peak RSS of the whole process). Results: target/bench/fit-results.jsonl; the table in docs/BENCHMARKS.md is
# written from it. Not run by CI. Needs r-base-core, r-cran-data.table, r-cran-collapse, r-cran-estimatr and
# libjemalloc2 (apt-get install -y ...). ESTIMATR_MAX_ROWS (default 1000000) skips estimatr above that size;
# R_TIMEOUT (default 900 s) bounds each R run.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
rows_list="${ROWS:-1000000 10000000}"
groups="${GROUPS_N:-100000}"
years="${YEARS:-20}"
out="$here/target/bench/fit"
mkdir -p "$out"
export BENCH_RESULTS="$here/target/bench/fit-results.jsonl"
[ "${APPEND:-}" = 1 ] || : > "$BENCH_RESULTS"

# package compiles the test classes too (FitBenchmark lives there); -DskipTests only skips running them.
mvn -B -q -Dstyle.color=never -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile="$out/classpath.txt" -Dmdep.includeScope=test
cp="$here/target/classes:$here/target/test-classes:$(cat "$out/classpath.txt")"
source "$here/jobs/jvm-options.sh"
log="-Dlog4j2.configurationFile=$here/conf/log4j2.properties"
peak_mb() { echo $(( $(grep "Maximum resident" "$1" | awk '{print $NF}') / 1024 )); }
wall_s() { grep "Elapsed (wall clock)" "$1" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }
record() { # label, time file, exit code, extra json
  echo "{\"label\":\"$1\",\"wall_seconds\":$(wall_s "$2"),\"peak_rss_mb\":$(peak_mb "$2"),\"exit\":$3$4}" | tee -a "$BENCH_RESULTS"
}

for rows in $rows_list; do
  data="$out/data-$rows"
  if [ ! -f "$data/panel.parquet/_SUCCESS" ]; then
    java -Xmx6g "${spark_jvm_options[@]}" "$log" -cp "$cp" org.learningregions.bench.FitBenchmark generate \
      "$rows" "$groups" "$years" "$data" 2>"$out/generate-$rows.log"
  fi
  csv="$(ls "$data"/panel_csv/*.csv | head -1)"

  # This project: the fit command on the Parquet panel, as a user runs it (JVM and Spark start-up included). The
  # launcher's one-off class-data archive is made before the clock starts (a user pays it once per build).
  rm -rf "$out/spark-$rows" "$out/lake-$rows"
  jobs/learning-regions --version > /dev/null 2>&1
  set +e
  /usr/bin/time -v -o "$out/time-spark-$rows.txt" env LEARNING_REGIONS_JAVA_OPTS="${FIT_JAVA_OPTS:--Xmx8g \
    -XX:+UseParallelGC}" jobs/learning-regions fit --input "$data/panel.parquet" \
    --formula "y ~ x1 + x2 + x3 + x4 + x5" --fe g,t --cluster g --keep-singletons --name bench_twoway \
    --out "$out/spark-$rows" -Dlakehouse="$out/lake-$rows" > "$out/spark-$rows.log" 2>&1
  rc=$?
  set -e
  fit_s=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('fit_seconds', 'null'))" \
    "$out/spark-$rows/fit.json" 2>/dev/null || echo null)
  record "spark-$rows" "$out/time-spark-$rows.txt" "$rc" ",\"rows\":$rows,\"fit_seconds\":$fit_s"

  jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
  for route in collapse collapse-jemalloc estimatr; do
    if [ "$route" = estimatr ] && [ "$rows" -gt "${ESTIMATR_MAX_ROWS:-1000000}" ]; then continue; fi
    preload=()
    if [ "$route" = collapse-jemalloc ]; then
      [ -f "$jemalloc" ] || continue
      # dirty and muzzy decay off: freed pages stay with the process for its next matrix.
      preload=(env LD_PRELOAD="$jemalloc" MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1)
    fi
    set +e
    /usr/bin/time -v -o "$out/time-$route-$rows.txt" "${preload[@]}" timeout "${R_TIMEOUT:-900}" Rscript bench/fit.R \
      "${route%-jemalloc}" "$csv" "$out/$route-$rows.json" > "$out/$route-$rows.log" 2>&1
    rc=$?
    set -e
    extra=",\"rows\":$rows"
    if [ "$rc" = 0 ]; then
      extra="$extra,\"fit_seconds\":$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['fit_seconds'])" "$out/$route-$rows.json")"
      java -Xmx1g -cp "$cp" org.learningregions.bench.FitBenchmark compare "$out/spark-$rows/coefficients.csv" \
        "$out/$route-$rows.json" >> /dev/null
    else
      extra="$extra,\"error\":\"$(tail -3 "$out/$route-$rows.log" | tr '\n"' ' \x27' | cut -c1-300)\""
    fi
    record "$route-$rows" "$out/time-$route-$rows.txt" "$rc" "$extra"
  done
done
echo "results: $BENCH_RESULTS"
