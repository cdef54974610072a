# A Flink session cluster on this machine: a JobManager and a TaskManager, each its own JVM, from the
# jars of deploy/local/flink (what flink-dist's lib/ holds), and the scoring and detections jobs
# submitted to it from their job jar with Flink's own client. Sourced by ./vigil. Settings from the environment:
#   VIGIL_FLINK_PORT (8081, REST and web UI), VIGIL_FLINK_RPC_PORT (6123), VIGIL_FLINK_DIR ($VIGIL_HOME/flink)

# flink_instance REST_PORT RPC_PORT DIR: points the functions below at one session cluster (the
# default one, or a test's own).
flink_instance() {
  FLINK_PORT=$1 FLINK_RPC_PORT=$2 FLINK_DIR=$3
  FLINK_JM_PID="$FLINK_DIR/jobmanager.pid" FLINK_TM_PID="$FLINK_DIR/taskmanager.pid" FLINK_JOB_ID="$FLINK_DIR/job.id"
}
flink_instance "${VIGIL_FLINK_PORT:-8081}" "${VIGIL_FLINK_RPC_PORT:-6123}" "${VIGIL_FLINK_DIR:-$VIGIL_HOME/flink}"

flink_rest() { printf 'http://127.0.0.1:%s' "$FLINK_PORT"; }

flink_write_config() {
  mkdir -p "$FLINK_DIR/conf" "$FLINK_DIR/logs" "$FLINK_DIR/savepoints" "$FLINK_DIR/tmp"
  sed -e "s|@RPC_PORT@|$FLINK_RPC_PORT|g" -e "s|@REST_PORT@|$FLINK_PORT|g" \
      -e "s|@SAVEPOINTS@|file://$FLINK_DIR/savepoints|g" "$VIGIL_ROOT/deploy/local/flink/config.yaml" \
      > "$FLINK_DIR/conf/config.yaml"
  printf 'io:\n  tmp:\n    dirs: %s\n' "$FLINK_DIR/tmp" >> "$FLINK_DIR/conf/config.yaml"
}

# flink_resource_params KIND: Flink's own memory arithmetic (what taskmanager.sh / jobmanager.sh ask
# BashJavaUtils for): line 1 the JVM options, line 2 the dynamic properties.
flink_resource_params() {
  "$JAVA" -Xmx128m -cp "$(deploy_classpath flink)" org.apache.flink.runtime.util.bash.BashJavaUtils \
    "GET_${1}_RESOURCE_PARAMS" --configDir "$FLINK_DIR/conf" 2>/dev/null \
    | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' | tail -n 2
}

# flink_daemon NAME LOG PIDFILE MAIN: one cluster process in the background (env execs java, so the
# recorded pid is the JVM's own).
flink_daemon() {
  local name=$1 log=$2 pidfile=$3 main=$4 kind params jvm dynamic
  case "$main" in *TaskManagerRunner) kind=TM ;; *) kind=JM ;; esac
  params=$(flink_resource_params "$kind")
  jvm=$(sed -n 1p <<< "$params"); dynamic=$(sed -n 2p <<< "$params")
  [ -n "$jvm" ] || die "Flink's memory settings for the $name could not be worked out (conf: $FLINK_DIR/conf)"
  # shellcheck disable=SC2086 # the JVM options and dynamic properties are word lists by design
  nohup env FLINK_CONF_DIR="$FLINK_DIR/conf" "$JAVA" $jvm -XX:+UseG1GC \
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
    -Dlog.file="$log" -Dlog4j2.configurationFile="$VIGIL_ROOT/deploy/local/flink/log4j2-cluster.properties" \
    -cp "$(deploy_classpath flink)" "$main" --configDir "$FLINK_DIR/conf" $dynamic \
    > "$log.out" 2>&1 &
  echo $! > "$pidfile"
}

flink_overview() { curl -sf "$(flink_rest)/overview" 2>/dev/null; }
flink_answers() { flink_overview >/dev/null; }
flink_taskmanager_ready() { flink_overview | grep -q '"taskmanagers":[1-9]'; }

flink_start() {
  running_or_free "Flink session cluster" "$FLINK_JM_PID" "$FLINK_PORT" "$(flink_rest)" VIGIL_FLINK_PORT && return 0
  port_open "$FLINK_RPC_PORT" && die "port $FLINK_RPC_PORT is taken by another process; set VIGIL_FLINK_RPC_PORT"
  deploy_classpath flink > /dev/null
  flink_write_config
  say "Starting a Flink JobManager at $(flink_rest) and one TaskManager (4 slots: the scoring and the detections jobs) ..."
  flink_daemon JobManager "$FLINK_DIR/logs/jobmanager.log" "$FLINK_JM_PID" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
  await_start "Flink JobManager" "$FLINK_JM_PID" "$FLINK_DIR/logs/jobmanager.log.out" flink_answers
  flink_start_taskmanager
  say "Flink session cluster ready: web UI $(flink_rest) (logs in $FLINK_DIR/logs)"
}

# flink_start_taskmanager: one TaskManager joins the cluster (also what replaces a killed one).
flink_start_taskmanager() {
  flink_daemon TaskManager "$FLINK_DIR/logs/taskmanager.log" "$FLINK_TM_PID" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner
  await_start "Flink TaskManager" "$FLINK_TM_PID" "$FLINK_DIR/logs/taskmanager.log.out" flink_taskmanager_ready
}

# flink_client ARGS...: Flink's command-line client (what `flink run|stop|cancel|list` is), given
# at most 5 minutes.
flink_client() {
  FLINK_CONF_DIR="$FLINK_DIR/conf" timeout 300 "$JAVA" -Xmx512m --add-opens=java.base/java.util=ALL-UNNAMED \
    -Dlog.file="$FLINK_DIR/logs/client.log" \
    -Dlog4j2.configurationFile="$VIGIL_ROOT/deploy/local/flink/log4j2-cluster.properties" \
    -cp "$(deploy_classpath flink)" org.apache.flink.client.cli.CliFrontend "$@"
}

scoring_job_jar() {
  local jar
  jar=$(ls "$VIGIL_ROOT"/realtime-scoring/target/vigil-realtime-scoring-*-job.jar 2>/dev/null | head -n 1)
  if [ -z "$jar" ] || stale "$jar" "$VIGIL_ROOT/core" "$VIGIL_ROOT/realtime-scoring"; then
    say "Building the scoring job jar ..."
    (cd "$VIGIL_ROOT" && "$MVNW" -q -B -pl realtime-scoring -am -DskipTests install) \
      || die "building realtime-scoring failed"
    jar=$(ls "$VIGIL_ROOT"/realtime-scoring/target/vigil-realtime-scoring-*-job.jar | head -n 1)
  fi
  printf '%s' "$jar"
}

# flink_submit ARGS...: submits the scoring job (--job scoring) and, unless ARGS turn the patterns
# off, the detections job (--job detections), each detached from the same jar with the job's own
# options. Scoring starts from FLINK_FROM_SAVEPOINT when set (a bootstrap's); each job otherwise
# resumes from the savepoint the last flink_stop_job took of it, when there is one.
flink_submit() {
  flink_submit_one scoring "${FLINK_FROM_SAVEPOINT:-}" "$@"
  if [ "$(flink_patterns "$@")" = on ]; then
    flink_submit_one detections "" "$@"
  elif [ -f "$(flink_job_file detections)" ]; then
    flink_stop_one detections  # a detections job from an earlier submit with the patterns on
  fi
}

# flink_patterns ARGS...: on or off, as the job reads --patterns (the last one wins; any case).
flink_patterns() {
  local patterns=on a prev=""
  for a in "$@"; do
    case "$a" in --patterns=*) patterns=${a#--patterns=} ;; esac
    [ "$prev" = --patterns ] && patterns=$a
    prev=$a
  done
  printf '%s' "$patterns" | tr '[:upper:]' '[:lower:]'
}

# flink_jobs_running ARGS...: every job these job arguments call for runs.
flink_jobs_running() {
  [ "$(flink_job_state scoring 2>/dev/null)" = RUNNING ] || return 1
  [ "$(flink_patterns "$@")" != on ] || [ "$(flink_job_state detections 2>/dev/null)" = RUNNING ]
}

# flink_job_file ROLE: where the job id of scoring (job.id, as the suites read it) or detections is kept.
flink_job_file() { if [ "$1" = scoring ]; then printf '%s' "$FLINK_JOB_ID"; else printf '%s' "$FLINK_DIR/$1.id"; fi; }
flink_savepoint_file() { if [ "$1" = scoring ]; then printf '%s' "$FLINK_DIR/last-savepoint"; else printf '%s' "$FLINK_DIR/last-savepoint-$1"; fi; }

flink_submit_one() {
  local role=$1 from=$2 jar savepoint=() out id
  shift 2
  jar=$(scoring_job_jar)
  if [ -n "$from" ]; then
    savepoint=(-s "$from")
    say "Starting the $role job from savepoint $from"
  elif [ -f "$(flink_savepoint_file "$role")" ]; then
    savepoint=(-s "$(cat "$(flink_savepoint_file "$role")")")
    say "Resuming the $role job from savepoint $(cat "$(flink_savepoint_file "$role")")"
  fi
  out=$(flink_client run -d -m "127.0.0.1:$FLINK_PORT" "${savepoint[@]}" "$jar" \
        --checkpoints "file://$FLINK_DIR/checkpoints" "$@" --job "$role" 2>&1) \
    || { printf '%s\n' "$out" | tail -n 30 >&2; die "submitting the $role job failed; log: $FLINK_DIR/logs/client.log"; }
  id=$(printf '%s\n' "$out" | sed -n 's/.*JobID \([0-9a-f]\{32\}\).*/\1/p' | tail -n 1)
  [ -n "$id" ] || { printf '%s\n' "$out" >&2; die "the client did not say which job it submitted"; }
  echo "$id" > "$(flink_job_file "$role")"
  rm -f "$(flink_savepoint_file "$role")"
  say "The $role job $id submitted ($(basename "$jar")); it shows at $(flink_rest)/#/job/running/$id/overview"
}

# flink_job_state [ROLE]: the state of the scoring job (or ROLE's) as the JobManager reports it.
flink_job_state() {
  local file
  file=$(flink_job_file "${1:-scoring}")
  [ -f "$file" ] || return 1
  curl -sf "$(flink_rest)/jobs/$(cat "$file")" 2>/dev/null | jq -r .state
}

# flink_await_running: every submitted job's tasks all run (or dies with the JobManager's view of it).
flink_await_running() {
  local i id role file
  for role in scoring detections; do
    file=$(flink_job_file "$role")
    [ -f "$file" ] || continue
    id=$(cat "$file")
    for i in $(seq 1 121); do
      if curl -sf "$(flink_rest)/jobs/$id" | jq -e '.state == "RUNNING" and ([.vertices[].status] | all(. == "RUNNING"))' \
           >/dev/null 2>&1; then
        say "The $role job $id is running (all tasks) after $((i / 2)) s"
        break
      fi
      if [ "$i" -eq 121 ]; then
        curl -sf "$(flink_rest)/jobs/$id/exceptions" | jq -r '.["root-exception"] // empty' | head -n 20 >&2
        die "the $role job is not running after 60 s (state: $(flink_job_state "$role")); logs: $FLINK_DIR/logs"
      fi
      sleep 0.5
    done
  done
}

# flink_stop_job: stops each job with a savepoint (what an upgrade does), cancels it when that fails.
flink_stop_job() {
  local role
  for role in scoring detections; do flink_stop_one "$role"; done
}

flink_stop_one() {
  local role=$1 file id out savepoint
  file=$(flink_job_file "$role")
  [ -f "$file" ] || return 0
  id=$(cat "$file")
  if [ "$(flink_job_state "$role")" = RUNNING ]; then
    if out=$(flink_client stop -m "127.0.0.1:$FLINK_PORT" --savepointPath "file://$FLINK_DIR/savepoints" "$id" 2>&1); then
      savepoint=$(printf '%s\n' "$out" | sed -n 's/^Savepoint completed\. Path: //p' | tail -n 1)
      [ -n "$savepoint" ] && echo "$savepoint" > "$(flink_savepoint_file "$role")"
      say "The $role job $id stopped with savepoint ${savepoint:-(path not reported)}"
    else
      say "Stopping with a savepoint failed; cancelling the $role job $id"
      curl -sf -X PATCH "$(flink_rest)/jobs/$id?mode=cancel" >/dev/null || true
    fi
  fi
  rm -f "$file"
}

flink_stop() {
  if pid_alive "$FLINK_JM_PID" && port_open "$FLINK_PORT"; then flink_stop_job; fi
  stop_pid "Flink TaskManager" "$FLINK_TM_PID"
  stop_pid "Flink JobManager ($(flink_rest))" "$FLINK_JM_PID"
}

flink_status() {
  if pid_alive "$FLINK_JM_PID" && port_open "$FLINK_PORT"; then
    say "Flink session cluster: $(flink_rest), JobManager pid $(cat "$FLINK_JM_PID"), TaskManager pid $(cat "$FLINK_TM_PID" 2>/dev/null)"
    [ -f "$FLINK_JOB_ID" ] && say "  scoring job $(cat "$FLINK_JOB_ID"): $(flink_job_state || echo unknown)"
    [ -f "$(flink_job_file detections)" ] && say "  detections job $(cat "$(flink_job_file detections)"): $(flink_job_state detections || echo unknown)"
    return 0
  fi
  say "Flink session cluster: stopped"
  return 3
}

# flink_job_args ARGS...: the job's options for flink_submit in FLINK_JOB_ARGS, and --from-savepoint URI
# (e.g. ./vigil bootstrap's) in FLINK_FROM_SAVEPOINT: the job starts from it rather than from the
# savepoint the last stop took (kept, should the submit fail). Parsed before anything starts.
flink_job_args() {
  FLINK_JOB_ARGS=() FLINK_FROM_SAVEPOINT=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --from-savepoint) [ $# -ge 2 ] || die "--from-savepoint takes a URI"; FLINK_FROM_SAVEPOINT=$2; shift 2 ;;
      *) FLINK_JOB_ARGS+=("$1"); shift ;;
    esac
  done
}

# ./vigil flink ...: the session cluster's pieces one by one, for the suites that drive it (the chaos
# suite kills and replaces a TaskManager, restarts the job from a bootstrap savepoint).
flink_command() {
  case "${1:-}" in
    start) flink_start ;;
    stop) flink_stop ;;
    status) flink_status ;;
    add-taskmanager) flink_start_taskmanager ;;
    submit)
      shift
      flink_job_args "$@"
      flink_submit --bootstrap "${VIGIL_KAFKA_BOOTSTRAP:-$(kafka_bootstrap)}" "${FLINK_JOB_ARGS[@]}"
      flink_await_running ;;
    stop-job) flink_stop_job ;;
    *) die "usage: ./vigil flink start|stop|status|add-taskmanager|submit [--from-savepoint URI] [JOB OPTIONS]|stop-job" ;;
  esac
}
