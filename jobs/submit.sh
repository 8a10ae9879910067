#!/usr/bin/env bash
# Runs one learning-regions command through spark-submit. The stage scripts (ingest.sh, aggregate.sh, …) call it.
#
# Environment:
#   SPARK_HOME                 Spark 4.1 (Scala 2.13) installation with bin/spark-submit        (required)
#   SPARK_MASTER               e.g. spark://host:7077, yarn, k8s://https://…, local[*]         (default: local[*])
#   LEARNING_REGIONS_CONF      configuration file, shipped to the driver                          (default: conf/cluster.conf)
#   LEARNING_REGIONS_JAR       the thin application jar                                           (default: target/learning-regions-cluster.jar)
#   SPARK_SUBMIT_EXTRA         extra spark-submit options, e.g. "--deploy-mode cluster --executor-memory 8g"
# The exit code is the command's: 0 ok, 1 failure, 2 usage. Build the jar once with: mvn -Pcluster clean package
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${SPARK_HOME:?set SPARK_HOME to a Spark 4.1 (Scala 2.13) installation}"
master="${SPARK_MASTER:-local[*]}"
conf="${LEARNING_REGIONS_CONF:-$here/conf/cluster.conf}"
jar="${LEARNING_REGIONS_JAR:-$here/target/learning-regions-cluster.jar}"
libs="$here/target/lib-cluster"
if [ ! -f "$jar" ] || [ ! -d "$libs" ]; then
  echo "learning-regions: $jar or $libs missing; build with: mvn -Pcluster clean package" >&2
  exit 2
fi
jars="$(ls "$libs"/*.jar | paste -sd, -)"
# shellcheck disable=SC2086
exec "$SPARK_HOME/bin/spark-submit" \
  --master "$master" \
  --name "learning-regions $1" \
  --class org.learningregions.cli.LearningRegions \
  --jars "$jars" \
  --files "$conf" \
  --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \
  --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
  ${SPARK_SUBMIT_EXTRA:-} \
  "$jar" "$@" --conf "$conf"
