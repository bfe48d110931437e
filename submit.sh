#!/usr/bin/env bash
# spark-backprop's one front door: runs a command of the app through spark-submit, on any master.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEFAULT_JAR="$ROOT/target/spark-backprop-0.1.0-SNAPSHOT.jar"
MAIN_CLASS=io.sparkbackprop.cli.Main
# The bench is not in the app jar: its own jar (mvn package builds both) runs with the app jar beside it.
DEFAULT_BENCH_JAR="$ROOT/target/spark-backprop-0.1.0-SNAPSHOT-bench.jar"
BENCH_MAIN_CLASS=io.sparkbackprop.bench.BenchMain

usage() {
  cat <<'EOF'
Usage: ./submit.sh COMMAND [options]        e.g. ./submit.sh train --output runs/friedman

Runs a spark-backprop command (train, predict, evaluate, plot) or the bench (bench) through
spark-submit. Options of a command: ./submit.sh COMMAND --help. Examples:
  ./submit.sh train                                      default job (Friedman #1), --master local[*]
  ./submit.sh predict --model runs/x --data new.csv --output predictions.csv
  ./submit.sh evaluate --model runs/x --data test.csv    MSE/RMSE/MAE/R², or accuracy/F1/log-loss/confusion
  ./submit.sh plot runs/a runs/b --output ab.png         overlay several runs' loss curves
  ./submit.sh train --config conf/mnist.properties       a job file; command-line options override it
  ./submit.sh train --master local-cluster[2,1,1024]     2 executor JVMs on this machine
  ./submit.sh bench --mnist DIR                          speed vs Spark MLlib, BLAS and Spark's job floor
  ./submit.sh train --master spark://HOST:7077 --executor-memory 4g --total-executor-cores 8
  SPARK_HOME=/opt/spark ./submit.sh train --master yarn --num-executors 4 --executor-memory 4g
  SPARK_HOME=/opt/spark ./submit.sh train --master k8s://https://HOST:6443 --deploy-mode cluster \
      --conf spark.kubernetes.container.image=IMAGE ...     (see README.md, Running on a cluster)

Which spark-submit runs:
  SPARK_HOME set     $SPARK_HOME/bin/spark-submit of that Spark distribution (needed for yarn and k8s://).
  SPARK_HOME unset   Spark's SparkSubmit class from the jars Maven resolved (target/spark-home/jars),
                     with the JVM flags of conf/jvm-flags.txt: only Java 17 and Maven needed. Supports
                     local[N], local-cluster[N,cores,MB] and spark://HOST:PORT masters.

Spark's options pass through to spark-submit, anywhere on the line, as --opt VALUE or --opt=VALUE:
  --master URL (default local[*]), --deploy-mode client|cluster, --conf KEY=VALUE (-c), --name NAME,
  --properties-file FILE, --driver-memory, --driver-cores, --driver-java-options,
  --driver-class-path, --driver-library-path, --executor-memory, --executor-cores, --num-executors,
  --total-executor-cores, --queue, --jars, --packages, --exclude-packages, --repositories, --files,
  --archives, --principal, --keytab, --proxy-user, and the flags --supervise, --verbose,
  --load-spark-defaults. Everything else goes to the command.

Configuration:
  conf/spark-defaults.conf  passed as --properties-file unless you pass your own: Kryo with the
                            project's classes, driver/executor memory, event log off. A --conf on the
                            command line wins; $SPARK_HOME/conf/spark-defaults.conf fills in the rest.
  conf/log4j2.properties    the driver's logging: Spark at WARN, training progress at INFO.
  conf/*.properties         job files for --config (train's options as KEY = VALUE).

The app jar is built (mvn package) when it is missing or older than pom.xml or src/main.
bench runs the bench jar (io.sparkbackprop.bench.BenchMain, built from src/bench by the same mvn package)
with the app jar beside it (--jars); it is built when missing or older than pom.xml, src/main or src/bench.
Environment:
  SPARK_HOME              a Spark 4.1 distribution to submit with (see above)
  SPARK_BACKPROP_JAR      use this app jar (a path, or a URI such as local:///opt/spark-backprop/
                          spark-backprop.jar for Kubernetes) and never build
  SPARK_BACKPROP_BENCH_JAR  use this bench jar for bench (a path or a URI) and never build it
  SPARK_LOCAL_IP          address Spark binds; 127.0.0.1 by default for local* and spark://127.0.0.1
                          or spark://localhost masters
  OPENBLAS_NUM_THREADS    1 by default (Spark already runs one task per core)
  SPARK_BACKPROP_DRY_RUN  1: print the command, one argument per line, instead of running it
EOF
}

die() {
  echo "submit.sh: $*" >&2
  exit 2
}

if [[ $# -eq 0 || "$1" == "--help" || "$1" == "-h" ]]; then
  usage
  exit 0
fi

# --- Separate spark-submit's options from the command's. ---------------------------------------------
spark_args=()
app_args=()
master="local[*]"
deploy_mode=client
driver_memory=""
driver_memory_conf=""
driver_java_options=""
driver_class_path=""
driver_library_path=""
properties_file=""
while [[ $# -gt 0 ]]; do
  arg="$1"
  name="${arg%%=*}"
  case "$name" in
    --master|--deploy-mode|--conf|-c|--properties-file|--name|--driver-memory|--driver-cores \
    |--driver-java-options|--driver-class-path|--driver-library-path|--executor-memory|--executor-cores \
    |--num-executors|--total-executor-cores|--queue|--jars|--packages|--exclude-packages|--repositories \
    |--files|--archives|--principal|--keytab|--proxy-user)
      if [[ "$arg" == *=* ]]; then
        value="${arg#*=}"
        shift
      else
        [[ $# -ge 2 ]] || die "$name needs a value"
        value="$2"
        shift 2
      fi
      case "$name" in
        --master) master="$value"; continue ;;
        --deploy-mode) deploy_mode="$value" ;;
        --properties-file) properties_file="$value" ;;
        --driver-memory) driver_memory="$value" ;;
        --driver-java-options) driver_java_options="$value"; continue ;;
        --driver-class-path) driver_class_path="$value" ;;
        --driver-library-path) driver_library_path="$value" ;;
        --conf|-c)
          [[ "$value" == *=* ]] || die "--conf needs KEY=VALUE, got '$value'"
          [[ "${value%%=*}" == spark.driver.memory ]] && driver_memory_conf="${value#*=}"
          ;;
      esac
      spark_args+=("$name" "$value")
      ;;
    --supervise|--verbose|--load-spark-defaults)
      spark_args+=("$arg"); shift ;;
    *)
      app_args+=("$arg"); shift ;;
  esac
done
[[ ${#app_args[@]} -gt 0 ]] || die "no command given (try ./submit.sh --help)"
# bench is the bench jar's main class, not a command of the app's; the options after it are its own.
bench=0
if [[ "${app_args[0]}" == bench ]]; then
  bench=1
  app_args=("${app_args[@]:1}")
fi

# The project's Spark settings, layered over an installed Spark's own spark-defaults.conf.
if [[ -z "$properties_file" ]]; then
  properties_file="$ROOT/conf/spark-defaults.conf"
  spark_args+=(--properties-file "$properties_file" --load-spark-defaults)
fi
[[ -f "$properties_file" ]] || die "--properties-file $properties_file: no such file"
# The driver's heap, as spark-submit decides it: --driver-memory, else --conf, else the properties file.
driver_memory="${driver_memory:-$driver_memory_conf}"
if [[ -z "$driver_memory" ]]; then
  # java.util.Properties syntax: KEY VALUE, KEY=VALUE or KEY: VALUE.
  driver_memory="$(sed -nE 's/^[[:space:]]*spark\.driver\.memory[[:space:]]*[=:[:space:]][[:space:]]*([^[:space:]]+).*/\1/p' \
    "$properties_file" | tail -n 1)"
fi

# --- The app jar, and for bench the bench jar. --------------------------------------------------------
build=()
if [[ -n "${SPARK_BACKPROP_JAR:-}" ]]; then
  jar="$SPARK_BACKPROP_JAR"
  # A URI (local://, hdfs://, s3a://, ...) names a file on the cluster, not here.
  [[ "$jar" == *://* || -f "$jar" ]] || die "SPARK_BACKPROP_JAR=$jar: no such file"
else
  jar="$DEFAULT_JAR"
  if [[ ! -f "$jar" || ! -d "$ROOT/target/spark-home/jars" ]] \
     || [[ -n "$(find "$ROOT/pom.xml" "$ROOT/src/main" -newer "$jar" -print -quit)" ]]; then
    build+=("$jar")
  fi
fi
if [[ $bench == 1 ]]; then
  if [[ -n "${SPARK_BACKPROP_BENCH_JAR:-}" ]]; then
    bench_jar="$SPARK_BACKPROP_BENCH_JAR"
    [[ "$bench_jar" == *://* || -f "$bench_jar" ]] || die "SPARK_BACKPROP_BENCH_JAR=$bench_jar: no such file"
  else
    bench_jar="$DEFAULT_BENCH_JAR"
    if [[ ! -f "$bench_jar" ]] \
       || [[ -n "$(find "$ROOT/pom.xml" "$ROOT/src/main" "$ROOT/src/bench" -newer "$bench_jar" -print -quit 2>/dev/null)" ]]; then
      build+=("$bench_jar")
    fi
  fi
fi
if [[ ${#build[@]} -gt 0 ]]; then
  [[ -f "$ROOT/pom.xml" ]] || die "${build[*]} is missing and there is no pom.xml to build it from (set SPARK_BACKPROP_JAR, and for bench SPARK_BACKPROP_BENCH_JAR)"
  echo "submit.sh: building ${build[*]} ..." >&2
  mvn -q -B -f "$ROOT/pom.xml" -DskipTests package >&2
fi

# --- Environment. ------------------------------------------------------------------------------------
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
case "$master" in
  local*|spark://127.0.0.1:*|spark://localhost:*)
    # This machine's host name may resolve to an address Spark cannot bind; loopback always works here.
    export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" ;;
esac
# In cluster deploy mode the driver runs elsewhere and cannot read this machine's conf/ folder.
log_conf=()
[[ "$deploy_mode" == client ]] && log_conf=("-Dlog4j2.configurationFile=file:$ROOT/conf/log4j2.properties")

run() {
  if [[ "${SPARK_BACKPROP_DRY_RUN:-}" == 1 ]]; then
    # The environment this script sets, as comments, then the command.
    for var in SPARK_HOME SPARK_SCALA_VERSION SPARK_LOCAL_IP OPENBLAS_NUM_THREADS; do
      [[ -n "${!var:-}" ]] && echo "# $var=${!var}"
    done
    printf '%s\n' "$@"
    exit 0
  fi
  exec "$@"
}

if [[ $bench == 1 ]]; then
  # The bench jar is the primary resource; the app jar goes with it to the driver and the executors, first in
  # any --jars of the command line.
  with_app=0
  for i in "${!spark_args[@]}"; do
    if [[ "${spark_args[$i]}" == --jars ]]; then
      spark_args[$((i + 1))]="$jar,${spark_args[$((i + 1))]}"
      with_app=1
    fi
  done
  [[ $with_app == 1 ]] || spark_args+=(--jars "$jar")
  submit_args=(--master "$master" "${spark_args[@]}" --class "$BENCH_MAIN_CLASS" "$bench_jar" "${app_args[@]}")
else
  submit_args=(--master "$master" "${spark_args[@]}" --class "$MAIN_CLASS" "$jar" "${app_args[@]}")
fi

if [[ -n "${SPARK_HOME:-}" ]]; then
  [[ -x "$SPARK_HOME/bin/spark-submit" ]] \
    || die "SPARK_HOME=$SPARK_HOME has no bin/spark-submit; point it at a Spark 4.1 distribution, or unset it to use the Spark jars Maven resolved"
  java_options="${log_conf[*]}${log_conf[*]:+${driver_java_options:+ }}$driver_java_options"
  if [[ -n "$java_options" ]]; then
    run "$SPARK_HOME/bin/spark-submit" --driver-java-options "$java_options" "${submit_args[@]}"
  fi
  run "$SPARK_HOME/bin/spark-submit" "${submit_args[@]}"
fi

# --- No Spark distribution: run SparkSubmit in this JVM (the driver), from the Maven-resolved jars. ----
case "$master" in
  yarn*|k8s://*)
    die "--master $master needs a Spark distribution: set SPARK_HOME (the jars Maven resolved have no YARN or Kubernetes support)" ;;
esac
jars="$ROOT/target/spark-home/jars"
[[ -d "$jars" || "${SPARK_BACKPROP_DRY_RUN:-}" == 1 ]] || die "$jars is missing: run mvn package (or set SPARK_HOME)"
# local-cluster executors and standalone drivers launched from here find Spark's jars under SPARK_HOME;
# without a distribution the launcher cannot tell the Scala version from a build directory.
export SPARK_HOME="$ROOT/target/spark-home"
export SPARK_SCALA_VERSION=2.13

mapfile -t jvm_flags < <(grep -v '^[[:space:]]*#' "$ROOT/conf/jvm-flags.txt" | grep -v '^[[:space:]]*$')
java_args=("${jvm_flags[@]}" "${log_conf[@]}")
[[ -n "$driver_memory" ]] && java_args+=("-Xmx$driver_memory")
[[ -n "$driver_library_path" ]] && java_args+=("-Djava.library.path=$driver_library_path")
if [[ -n "$driver_java_options" ]]; then
  read -r -a extra <<<"$driver_java_options"
  java_args+=("${extra[@]}")
fi
classpath="$jars/*"
[[ -n "$driver_class_path" ]] && classpath="$driver_class_path:$classpath"
run java "${java_args[@]}" -cp "$classpath" org.apache.spark.deploy.SparkSubmit "${submit_args[@]}"
