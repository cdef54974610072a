# A Spark standalone cluster on this machine (one master, one worker, each its own JVM), built from
# the jars of batch-training's local classpath (the lake's come with it), to run the night with
# spark-submit as on a real cluster. Sourced by ./vigil. Settings from the environment:
#   VIGIL_SPARK_PORT (7077), VIGIL_SPARK_WORKER_MEMORY (3g), VIGIL_SPARK_DIR ($VIGIL_HOME/spark)

SPARK_PORT=${VIGIL_SPARK_PORT:-7077}
SPARK_DIR=${VIGIL_SPARK_DIR:-$VIGIL_HOME/spark}
SPARK_HOME_DIR="$SPARK_DIR/home"
SPARK_MASTER_PID="$SPARK_DIR/master.pid"
SPARK_WORKER_PID="$SPARK_DIR/worker.pid"

spark_master_url() { printf 'spark://127.0.0.1:%s' "$SPARK_PORT"; }

# spark_home: SPARK_HOME/jars as links to the platform's and the night's jars (what a cluster image holds).
spark_home() {
  local cp jar
  cp=$(module_classpath batch-training local)
  rm -rf "$SPARK_HOME_DIR/jars"
  mkdir -p "$SPARK_HOME_DIR/jars" "$SPARK_DIR/work" "$SPARK_DIR/logs"
  tr ':' '\n' <<< "$cp" | while read -r jar; do
    case "$jar" in
      *.jar) ln -sf "$jar" "$SPARK_HOME_DIR/jars/" ;;
      */target/classes) # a reactor module (core): its installed jar
        ls "${jar%/classes}"/vigil-*.jar 2>/dev/null | grep -v -- '-tests.jar' | xargs -r -I{} ln -sf {} "$SPARK_HOME_DIR/jars/" ;;
    esac
  done
  jar=$(ls "$VIGIL_ROOT"/batch-training/target/vigil-batch-training-*.jar | grep -v -- '-tests.jar' | head -n 1)
  [ -n "$jar" ] || die "batch-training jar missing: ./mvnw -pl batch-training -am install -DskipTests"
  ln -sf "$jar" "$SPARK_HOME_DIR/jars/vigil-batch-training.jar"
  rm -f "$SPARK_HOME_DIR/jars/$(basename "$jar")"
}

# The AWS SDK bundle carries an unshaded SLF4J 1 API; SLF4J 2 goes first or logging falls silent.
spark_slf4j() { ls "$SPARK_HOME_DIR"/jars/slf4j-api-2*.jar | head -n 1; }
spark_classpath() { printf '%s:%s/jars/*' "$(spark_slf4j)" "$SPARK_HOME_DIR"; }

# spark_daemon LOG PIDFILE MAIN ARGS...: a cluster process in the background; env execs java, so the
# recorded pid is the JVM's own.
spark_daemon() {
  local log=$1 pidfile=$2; shift 2
  # Emptied here, not only by the background redirect below: that one runs later, and a restart's
  # check for "Successfully registered" would otherwise read the previous run's log.
  : > "$log"
  nohup env SPARK_HOME="$SPARK_HOME_DIR" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 "$JAVA" -Xmx512m \
    -cp "$(spark_classpath)" -Dlog4j2.configurationFile="$VIGIL_ROOT/deploy/local/spark/log4j2-cluster.properties" \
    "$@" > "$log" 2>&1 &
  echo $! > "$pidfile"
}

spark_start() {
  running_or_free "Spark cluster" "$SPARK_MASTER_PID" "$SPARK_PORT" "$(spark_master_url)" VIGIL_SPARK_PORT && return 0
  spark_home
  say "Starting a Spark master at $(spark_master_url) and one worker (2 cores, ${VIGIL_SPARK_WORKER_MEMORY:-3g}) ..."
  spark_daemon "$SPARK_DIR/logs/master.log" "$SPARK_MASTER_PID" \
    org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$SPARK_PORT" --webui-port 0
  local i
  for i in $(seq 1 60); do port_open "$SPARK_PORT" && break; sleep 0.5; done
  port_open "$SPARK_PORT" || die "the Spark master did not start; log: $SPARK_DIR/logs/master.log"
  spark_daemon "$SPARK_DIR/logs/worker.log" "$SPARK_WORKER_PID" \
    org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 2 --memory "${VIGIL_SPARK_WORKER_MEMORY:-3g}" \
    --work-dir "$SPARK_DIR/work" --webui-port 0 "$(spark_master_url)"
  for i in $(seq 1 120); do
    grep -q "Successfully registered with master" "$SPARK_DIR/logs/worker.log" 2>/dev/null && break
    sleep 0.5
  done
  grep -q "Successfully registered with master" "$SPARK_DIR/logs/worker.log" \
    || die "the Spark worker did not register in 60 s; log: $SPARK_DIR/logs/worker.log"
  say "Spark cluster ready at $(spark_master_url) (logs in $SPARK_DIR/logs)"
}

spark_stop() {
  stop_pid "Spark worker" "$SPARK_WORKER_PID"
  stop_pid "Spark master ($(spark_master_url))" "$SPARK_MASTER_PID"
}

spark_status() {
  if pid_alive "$SPARK_MASTER_PID" && port_open "$SPARK_PORT"; then
    say "Spark cluster: master at $(spark_master_url), pid $(cat "$SPARK_MASTER_PID"); worker pid $(cat "$SPARK_WORKER_PID" 2>/dev/null)"
  else
    say "Spark cluster: stopped"
    return 3
  fi
}

# spark_submit ARGS...: the night (batch-training's NightMain) on the local cluster, client mode, as
# spark-submit runs it.
spark_submit() {
  spark_status >/dev/null 2>&1 || die "no Spark cluster: ./vigil spark start"
  if s3_status >/dev/null 2>&1; then s3_export; fi
  SPARK_HOME="$SPARK_HOME_DIR" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 exec "$JAVA" -Xmx2g "@$SPARK_OPENS" -cp "$(spark_classpath)" \
    -Dlog4j2.configurationFile="$VIGIL_ROOT/deploy/local/spark/log4j2.properties" \
    -Dvigil.home="$VIGIL_HOME" -Dvigil.kafka.bootstrap="${VIGIL_KAFKA_BOOTSTRAP:-$(kafka_bootstrap)}" \
    org.apache.spark.deploy.SparkSubmit --master "$(spark_master_url)" --deploy-mode client \
    --conf spark.executor.memory=2g --conf spark.cores.max=2 --conf spark.executor.extraClassPath="$(spark_slf4j)" \
    --class dev.vigil.batchtraining.night.NightMain "$SPARK_HOME_DIR/jars/vigil-batch-training.jar" "$@"
}
