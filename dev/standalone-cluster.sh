# Sourced, not run: starts a Spark standalone Master and one Worker on 127.0.0.1 from the project's own jars (no
# Spark download; notes in ../shared/STACK.md), for dev/cluster-test.sh and bench/scaling.sh.
#   start_standalone_cluster DIR PORT WORKER_MEMORY SUBMIT_HEAP
# builds the thin cluster jar, makes DIR/spark-home a stand-in SPARK_HOME (the runtime jars minus what the thin jar
# ships, as in a Spark distribution, and a bin/spark-submit wrapper around SparkSubmit), exports SPARK_HOME,
# starts both processes (logs DIR/master.log, DIR/worker.log), appends their PIDs to the caller's `pids` array (the
# caller's EXIT trap stops them) and returns once the Worker has registered, or 1 if it never does.
start_standalone_cluster() {
  local dir="$1" port="$2" worker_memory="$3" submit_heap="$4"
  local root; root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  rm -rf "$root/target/lib-cluster"  # copy-dependencies never deletes a jar a previous build left there
  (cd "$root" && mvn -B -q -Dstyle.color=never -Pcluster -Dmaven.test.skip=true package)
  source "$root/jobs/jvm-options.sh"
  local home="$dir/spark-home"
  rm -rf "$home" && mkdir -p "$home/jars" "$home/conf" "$home/work" "$home/logs" "$home/bin"
  local j
  for j in "$root"/target/lib/*.jar; do
    [ -e "$root/target/lib-cluster/$(basename "$j")" ] || ln -s "$j" "$home/jars/"
  done
  cat > "$home/bin/spark-submit" <<SUBMIT
#!/usr/bin/env bash
exec java -Xmx$submit_heap ${spark_jvm_options[*]} -Dlog4j2.configurationFile=$root/conf/log4j2.properties -cp "$home/jars/*" org.apache.spark.deploy.SparkSubmit "\$@"
SUBMIT
  chmod +x "$home/bin/spark-submit"
  export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
  java -Xmx512m "${spark_jvm_options[@]}" -cp "$home/jars/*" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port 0 > "$dir/master.log" 2>&1 &
  pids+=($!)
  java -Xmx512m "${spark_jvm_options[@]}" -cp "$home/jars/*" org.apache.spark.deploy.worker.Worker \
    "spark://127.0.0.1:$port" --host 127.0.0.1 --cores 2 --memory "$worker_memory" --work-dir "$home/work" \
    --webui-port 0 > "$dir/worker.log" 2>&1 &
  pids+=($!)
  local _
  for _ in $(seq 1 120); do
    grep -q "Registering worker" "$dir/master.log" 2>/dev/null && return 0
    sleep 0.5
  done
  return 1
}
