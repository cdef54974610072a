# Shared helpers for ./vigil and the local stack scripts. Sourced, never run.
# Everything the local stack writes lives under $VIGIL_HOME (default: .vigil in the repo).

VIGIL_ROOT=${VIGIL_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
VIGIL_HOME=${VIGIL_HOME:-$VIGIL_ROOT/.vigil}
MVNW="$VIGIL_ROOT/mvnw"
JAVA=${JAVA:-java}
# The JDK internals a Spark driver reaches on Java 17 (Spark's own launcher passes the same): without
# them a cached block that has to spill to disk fails. A java @argfile, so the build's test JVMs use it too.
SPARK_OPENS="$VIGIL_ROOT/deploy/local/spark/module-opens.args"

say()  { printf '%s\n' "$*" >&2; }
step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die()  { printf 'vigil: %s\n' "$*" >&2; exit 1; }

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid_alive FILE: true when FILE names a live process.
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_process NAME PID [GRACE]: TERM, wait up to GRACE seconds (30), then KILL (a JVM whose shutdown hooks hang would
# otherwise outlive the command that started it). Idempotent.
stop_process() {
  local name=$1 pid=$2 grace=${3:-30} i
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 $((grace * 2))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name did not stop in $grace s; killing it"
    kill -9 "$pid" 2>/dev/null || true
  fi
}

# stop_tree NAME PID [GRACE]: stops a background subshell and the JVM it forked (a subshell that ran a
# command without exec is its parent), then reaps it.
stop_tree() {
  local name=$1 pid=$2 grace=${3:-30} child
  for child in $(pgrep -P "$pid" 2>/dev/null); do stop_process "$name" "$child" "$grace"; done
  stop_process "$name" "$pid" "$grace"
  wait "$pid" 2>/dev/null || true
}

# stop_pid NAME FILE: stop_process for the process FILE names, then removes FILE. Idempotent.
stop_pid() {
  local name=$1 file=$2
  if ! pid_alive "$file"; then
    rm -f "$file"
    say "$name is not running"
    return 0
  fi
  stop_process "$name" "$(cat "$file")"
  rm -f "$file"
  say "$name stopped"
}

# running_or_free NAME PIDFILE PORT WHERE PORT_VARIABLE: true (and says so) when the service already
# runs; dies when another process holds its port; false when it is free to start.
running_or_free() {
  local name=$1 pidfile=$2 port=$3 where=$4 variable=$5
  if pid_alive "$pidfile" && port_open "$port"; then
    say "$name is already running at $where (pid $(cat "$pidfile"))"
    return 0
  fi
  port_open "$port" && die "port $port is taken by another process; set $variable"
  return 1
}

# await_start NAME PIDFILE LOG READY_COMMAND...: waits up to 60 s for a process just started in the
# background to be ready (READY_COMMAND succeeds); dies with the log's tail if it exits first.
await_start() {
  local name=$1 pidfile=$2 log=$3 i
  shift 3
  for i in $(seq 1 120); do
    if ! pid_alive "$pidfile"; then
      tail -n 30 "$log" >&2
      die "$name exited during start; log: $log"
    fi
    if "$@"; then
      say "$name is ready after $((i / 2)) s"
      return 0
    fi
    sleep 0.5
  done
  die "$name did not become ready in 60 s; log: $log"
}

# stale STAMP PATHS...: true when STAMP is missing or any pom.xml or source under PATHS is newer.
stale() {
  local stamp=$1; shift
  [ -f "$stamp" ] || return 0
  [ -n "$(find "$@" \( -name pom.xml -o -path '*/src/main/*' \) -newer "$stamp" -print -quit 2>/dev/null)" ]
}

# module_classpath MODULE [SCOPE]: builds MODULE (and what it needs) when its sources changed, then
# prints its run classpath: the module's classes, the reactor modules' jars and the local Maven
# repository. SCOPE runtime (default) is what a cluster adds to the platform; SCOPE local also takes
# the provided platform (Flink or Spark, their runtime dependencies included) for local runs.
module_classpath() {
  local module=$1 scope=${2:-runtime} cpfile="$VIGIL_ROOT/$1/target/classpath-${2:-runtime}.txt"
  local dirs=("$VIGIL_ROOT/pom.xml" "$VIGIL_ROOT/core" "$VIGIL_ROOT/$module")
  # Training runs the lake's night first: its classpath is stale when the lake's sources change too.
  [ "$module" = batch-training ] && dirs+=("$VIGIL_ROOT/feature-lake")
  # The tools and the suites are built on the test kit (and the suites on the tools' option converters).
  [ "$module" = tools ] && dirs+=("$VIGIL_ROOT/test-kit")
  [ "$module" = load-test ] && dirs+=("$VIGIL_ROOT/test-kit" "$VIGIL_ROOT/tools")
  if stale "$cpfile" "${dirs[@]}"; then
    say "Building $module (first use, or its sources changed) ..."
    (cd "$VIGIL_ROOT" && "$MVNW" -q -B -pl "$module" -am -DskipTests install \
        dependency:build-classpath -Dmdep.outputFile=target/classpath-runtime.txt -DincludeScope=runtime) \
      || die "build of $module failed"
    # The plugin leaves an unchanged classpath file untouched: stamp it, or every call rebuilds.
    touch "$VIGIL_ROOT/$module/target/classpath-runtime.txt"
    if [ "$scope" = local ]; then
      # Maven's "compile" filter takes provided jars but drops runtime-scoped ones: merge both lists.
      (cd "$VIGIL_ROOT" && "$MVNW" -q -B -pl "$module" dependency:build-classpath \
          -Dmdep.outputFile=target/classpath-compile.txt -DincludeScope=compile) || die "classpath of $module failed"
      { tr ':' '\n' < "$VIGIL_ROOT/$module/target/classpath-compile.txt"; echo
        tr ':' '\n' < "$VIGIL_ROOT/$module/target/classpath-runtime.txt"; echo; } > "$cpfile.tmp"
      awk 'NF && !seen[$0]++' "$cpfile.tmp" | paste -sd: - > "$cpfile"
      rm -f "$cpfile.tmp"
    fi
  fi
  local cp
  cp=$(cat "$cpfile")
  if [ -d "$VIGIL_ROOT/$module/target/classes" ]; then
    printf '%s:%s' "$VIGIL_ROOT/$module/target/classes" "$cp"
  else
    printf '%s' "$cp"
  fi
}

# deploy_classpath SERVICE: jars of one process the local stack starts (deploy/local/SERVICE/pom.xml).
deploy_classpath() {
  local service=$1 dir="$VIGIL_ROOT/deploy/local/$1"
  local cpfile="$dir/target/classpath.txt"
  if stale "$cpfile" "$VIGIL_ROOT/pom.xml" "$dir/pom.xml"; then
    say "Resolving the jars of the local $service from Maven Central (first use) ..."
    (cd "$VIGIL_ROOT" && "$MVNW" -q -B -N install && "$MVNW" -q -B -f "$dir/pom.xml" install \
        dependency:build-classpath -Dmdep.outputFile=target/classpath.txt) || die "resolving the $service jars failed"
    # The plugin leaves an unchanged file untouched; without this every call would resolve again.
    touch "$cpfile"
  fi
  cat "$cpfile"
}
