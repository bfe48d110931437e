#!/usr/bin/env bash
# Runs a spark-backprop command through spark-submit:  ./submit.sh COMMAND [options]
#   ./submit.sh train                              the default job (Friedman #1 data, local[*])
#   ./submit.sh train --data my.csv --epochs 50    see ./submit.sh train --help for every option
# Builds the app jar when it is missing or older than the sources. Uses $SPARK_HOME/bin/spark-submit
# when SPARK_HOME is set, else Spark's SparkSubmit class from the jars Maven resolved (Java + Maven only).
# Spark's own options (--master, --conf, --driver-memory, --executor-memory, --num-executors,
# --executor-cores, --deploy-mode, --name, --properties-file, --jars) pass through to spark-submit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$ROOT/target/spark-backprop-0.1.0-SNAPSHOT.jar"
MAIN_CLASS=io.sparkbackprop.cli.Main

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  echo
  echo "Commands: train. Options of a command: ./submit.sh COMMAND --help"
}

if [[ $# -eq 0 || "$1" == "--help" || "$1" == "-h" ]]; then
  usage
  exit 0
fi

# Build when the jar is missing or any source is newer than it.
if [[ ! -f "$JAR" || ! -d "$ROOT/target/spark-home/jars" ]] \
   || [[ -n "$(find "$ROOT/pom.xml" "$ROOT/src/main" -newer "$JAR" -print -quit)" ]]; then
  echo "submit.sh: building $JAR ..." >&2
  mvn -q -B -f "$ROOT/pom.xml" -DskipTests package >&2
fi

# Separate spark-submit's options from the application's.
spark_args=()
app_args=()
master="local[*]"
driver_memory=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --master) master="$2"; shift 2 ;;
    --master=*) master="${1#*=}"; shift ;;
    --driver-memory) driver_memory="$2"; spark_args+=("$1" "$2"); shift 2 ;;
    --conf|--executor-memory|--num-executors|--executor-cores|--deploy-mode|--name|--properties-file|--jars|--total-executor-cores|--queue)
      spark_args+=("$1" "$2"); shift 2 ;;
    *) app_args+=("$1"); shift ;;
  esac
done

export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
if [[ "$master" == local* ]]; then
  # This machine's host name may resolve to an address Spark cannot bind; loopback always works locally.
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
fi
log_conf="-Dlog4j2.configurationFile=file:$ROOT/conf/log4j2.properties"
common=(--master "$master" --class "$MAIN_CLASS" --conf spark.executorEnv.OPENBLAS_NUM_THREADS=1
        --conf "spark.driver.extraJavaOptions=$log_conf")

if [[ -n "${SPARK_HOME:-}" && -x "${SPARK_HOME}/bin/spark-submit" ]]; then
  exec "$SPARK_HOME/bin/spark-submit" "${common[@]}" "${spark_args[@]}" "$JAR" "${app_args[@]}"
fi

# No Spark distribution: run SparkSubmit in this JVM (client mode), with the flags Spark's launcher adds.
mapfile -t jvm_flags < <(grep -v '^\s*#' "$ROOT/conf/jvm-flags.txt" | grep -v '^\s*$')
heap=()
[[ -n "$driver_memory" ]] && heap=("-Xmx$driver_memory")
exec java "${jvm_flags[@]}" "${heap[@]}" "$log_conf" -cp "$ROOT/target/spark-home/jars/*" \
  org.apache.spark.deploy.SparkSubmit "${common[@]}" "${spark_args[@]}" "$JAR" "${app_args[@]}"
