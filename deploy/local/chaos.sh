# The fault-injection suite (`./vigil chaos`, and its short form as the last stage of `./vigil test`).
# Every scenario runs against a real system on its own ports: a KRaft broker, a Flink session cluster
# (JobManager + TaskManager, each its own JVM) running the scoring job jar. The faults are real too:
# kill -9 of the TaskManager and of the broker, hostile bytes on the input topic, broken model files.
# Judgement is on what came out (Kafka), by `chaos verify` (load-test's chaos package), which writes
# each scenario's report.json; the suite prints a table of them. Sourced by ./vigil.
#
# Full form: the issue's figures (5,000/s under three TaskManager kills, 100,000 hostile records).
# Short form (--short): the same scenarios at a low rate; correctness only, no latency figure judged.

CHAOS_SCENARIOS="bad-models tm-kill hostile broker-restart pan-scan"

now_ms() { date +%s%3N; }

# chaos_profile NAME: the scenario's load, full or short: "RATE SECONDS CARDS EXTRA".
chaos_profile() {
  if [ "$CHAOS_SHORT" = true ]; then
    case "$1" in
      tm-kill) echo "200 30 2000 1" ;;          # one kill
      hostile) echo "300 20 2000 2000" ;;       # 2,000 hostile records
      broker-restart) echo "200 30 2000 0" ;;
      bad-models) echo "100 20 1000 0" ;;
    esac
  else
    case "$1" in
      tm-kill) echo "5000 90 20000 3" ;;        # three kills under 5,000/s
      hostile) echo "3000 60 20000 100000" ;;   # 100,000 hostile among 180,000 records
      broker-restart) echo "1000 60 10000 0" ;;
      bad-models) echo "500 30 5000 0" ;;
    esac
  fi
}

# chaos_send NAME RATE SECONDS CARDS [HOSTILE]: the scenario's traffic in the background; waits until
# the job answered the probes and the traffic started (traffic.json written). Sets CHAOS_SENDER.
chaos_send() {
  local name=$1 rate=$2 seconds=$3 cards=$4 hostile=${5:-0} run="$CHAOS_DIR/$1" i
  rm -rf "$run"; mkdir -p "$run"
  ( run_tools chaos send --rate "$rate" --duration "${seconds}s" --cards "$cards" --hostile "$hostile" --out "$run" ) \
    > "$run/send.log" 2>&1 &
  CHAOS_SENDER=$!
  for i in $(seq 1 600); do
    [ -s "$run/traffic.json" ] && return 0
    kill -0 "$CHAOS_SENDER" 2>/dev/null || { tail -n 20 "$run/send.log" >&2; die "the chaos traffic of $name stopped"; }
    sleep 0.5
  done
  die "the chaos traffic of $name did not start in 5 minutes; log: $run/send.log"
}

# chaos_await_sender: the traffic finished sending (its exit status is the sender's).
chaos_await_sender() {
  wait "$CHAOS_SENDER" || { say "  the traffic sender failed; log: $CHAOS_DIR/$1/send.log"; return 1; }
}

# chaos_fault NAME KIND DETAIL: records an injected fault (after it happened) for the verifier.
chaos_fault() { printf '%s\t%s\t%s\n' "$2" "$(now_ms)" "$3" >> "$CHAOS_DIR/$1/faults.tsv"; }

# chaos_verify NAME [ARGS]: judges the scenario; its report.json goes to the report folder.
chaos_verify() {
  local name=$1; shift
  ( run_tools chaos verify --scenario "$name" --run "$CHAOS_DIR/$name" --faults "$CHAOS_DIR/$name/faults.tsv" \
      --job-state "$(flink_job_state 2>/dev/null || echo unknown)" --report "$CHAOS_REPORT/$name" "$@" ) \
    2> "$CHAOS_DIR/$name/verify.log"
}

# chaos_await_restart SINCE_MS: the JobManager noticed the loss (the job restarted after SINCE_MS) and
# the job runs again; prints the seconds until it noticed.
chaos_await_restart() {
  local since=$1 id restarted i
  id=$(cat "$FLINK_JOB_ID")
  for i in $(seq 1 240); do
    restarted=$(curl -sf "$(flink_rest)/jobs/$id" | jq -r '.timestamps.RESTARTING // 0' 2>/dev/null || echo 0)
    if [ "${restarted:-0}" -ge "$since" ]; then
      flink_await_running
      echo "$(( (restarted - since) / 1000 ))"
      return 0
    fi
    sleep 0.5
  done
  die "the JobManager did not restart the job within 2 minutes of the fault"
}

chaos_kill_taskmanager() {
  local name=$1 pid at detected
  pid=$(cat "$FLINK_TM_PID")
  at=$(now_ms)
  kill -9 "$pid"
  chaos_fault "$name" kill-9-taskmanager "pid $pid"
  # The TaskManager is this shell's child: reap it quietly (bash would announce "Killed").
  wait "$pid" 2>/dev/null || true
  say "  killed the TaskManager (pid $pid, kill -9); starting a new one, as a supervisor would"
  flink_start_taskmanager
  detected=$(chaos_await_restart "$at")
  say "  the JobManager restarted the job ${detected} s after the kill; it runs again"
}

scenario_tm_kill() {
  local name=tm-kill rate seconds cards kills k started
  read -r rate seconds cards kills <<< "$(chaos_profile $name)"
  step "chaos $name: kill -9 the TaskManager $kills time(s) under ${rate}/s for ${seconds} s"
  chaos_send $name "$rate" "$seconds" "$cards"
  started=$SECONDS
  for k in $(seq 1 "$kills"); do
    sleep $(( k == 1 ? 8 : 6 ))
    chaos_kill_taskmanager $name
  done
  say "  kills done after $((SECONDS - started)) s; waiting for the traffic to finish"
  chaos_await_sender $name
  chaos_verify $name --timeout 10m
}

scenario_hostile() {
  local name=hostile rate seconds cards hostile
  read -r rate seconds cards hostile <<< "$(chaos_profile $name)"
  step "chaos $name: $hostile malformed, truncated, oversized, wrong-typed and random-byte records in ${rate}/s of traffic"
  chaos_send $name "$rate" "$seconds" "$cards" "$hostile"
  chaos_await_sender $name
  chaos_verify $name --timeout 5m
}

scenario_broker_restart() {
  local name=broker-restart rate seconds cards extra pid
  read -r rate seconds cards extra <<< "$(chaos_profile $name)"
  step "chaos $name: kill -9 the Kafka broker under ${rate}/s and start it again"
  chaos_send $name "$rate" "$seconds" "$cards"
  sleep 8
  pid=$(cat "$KAFKA_PID")
  kill -9 "$pid"
  chaos_fault $name kill-9-broker "pid $pid"
  wait "$pid" 2>/dev/null || true
  sleep 5
  kafka_start
  chaos_fault $name restart-broker "down about 5 s"
  chaos_await_sender $name
  chaos_verify $name --timeout 10m
}

scenario_bad_models() {
  local name=bad-models rate seconds cards extra champion
  read -r rate seconds cards extra <<< "$(chaos_profile $name)"
  step "chaos $name: a truncated model, a wrong checksum and a mismatched feature list after a good champion"
  mkdir -p "$CHAOS_DIR/store"
  champion=$( ( run_tools chaos models champion --store "file://$CHAOS_DIR/store" --line chaos ) 2>> "$CHAOS_DIR/models.log")
  say "  champion $champion published"
  chaos_send $name "$rate" "$seconds" "$cards"
  sleep 4
  ( run_tools chaos models bad --store "file://$CHAOS_DIR/store" --line chaos --champion "$champion" \
      --out "$CHAOS_DIR/$name/bad-models.json" ) 2>> "$CHAOS_DIR/models.log"
  chaos_fault $name publish-bad-models "truncated, wrong checksum, feature mismatch"
  chaos_await_sender $name
  chaos_verify $name --bad-models "$CHAOS_DIR/$name/bad-models.json" --timeout 5m
}

scenario_pan_scan() {
  local pans=() f
  step "chaos pan-scan: every topic, checkpoint, log and model file of the runs above, for the PANs that went in"
  for f in "$CHAOS_DIR"/*/pans.json; do [ -f "$f" ] && pans+=("$f"); done
  ( run_tools chaos pan-scan --report "$CHAOS_REPORT/pan-scan" --pans "$(IFS=,; echo "${pans[*]}")" \
      --dirs "$FLINK_DIR,$CHAOS_DIR/store,$KAFKA_DIR" ) 2> "$CHAOS_DIR/pan-scan.log"
}

# chaos_table: one line per scenario from the report folder.
chaos_table() {
  local r
  printf '\n%-15s %-5s %9s %8s %11s %9s %-20s %9s %s\n' scenario pass decided missing duplicates mismatch "recovery s" dlq faults
  for r in "$CHAOS_REPORT"/*/report.json; do
    [ -f "$r" ] || continue
    jq -r '[.scenario, (if .pass then "yes" else "NO" end), (.decided // "-"), (.missing // "-"),
            ((.duplicates // "-" | tostring) + (if (.duplicates_differing // 0) > 0 then "!" else "" end)),
            (.state_mismatches // "-"),
            ((.recovery_seconds // []) | map(if . == null then "none" else (. * 10 | round / 10 | tostring) end) | join(",") | if . == "" then "-" else . end),
            (.dlq_count // "-"), ((.injected_faults // []) | length)] | @tsv' "$r" \
      | awk -F'\t' '{printf "%-15s %-5s %9s %8s %11s %9s %-20s %9s %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9}'
  done
  printf '(input PANs found in clear, pan-scan: %s)\n' \
    "$(jq -r '.input_pans_found // "-"' "$CHAOS_REPORT/pan-scan/report.json" 2>/dev/null || echo -)"
}

# chaos [--scenario NAME[,NAME]] [--report DIR] [--short]: runs in a subshell so its ports, folders
# and trap stay its own.
chaos() (
  set -euo pipefail
  local scenarios=$CHAOS_SCENARIOS s failed=() started=$SECONDS
  CHAOS_SHORT=false
  CHAOS_REPORT="$VIGIL_HOME/chaos/report-$(date -u +%Y%m%d-%H%M%S)"
  while [ $# -gt 0 ]; do
    case "$1" in
      --scenario) scenarios=${2//,/ }; shift 2 ;;
      --report) CHAOS_REPORT=$2; shift 2 ;;
      --short) CHAOS_SHORT=true; shift ;;
      *) die "usage: ./vigil chaos [--scenario $(echo $CHAOS_SCENARIOS | tr ' ' '|')] [--report DIR] [--short]" ;;
    esac
  done
  for s in $scenarios; do
    case " $CHAOS_SCENARIOS " in *" $s "*) ;; *) die "unknown scenario $s (known: $CHAOS_SCENARIOS)" ;; esac
  done
  CHAOS_DIR="$VIGIL_HOME/chaos/work"
  flink_instance "${VIGIL_CHAOS_FLINK_PORT:-18091}" "${VIGIL_CHAOS_FLINK_RPC_PORT:-16133}" "$CHAOS_DIR/flink"
  kafka_instance "${VIGIL_CHAOS_KAFKA_PORT:-29192}" "$CHAOS_DIR/kafka"
  export VIGIL_KAFKA_BOOTSTRAP
  VIGIL_KAFKA_BOOTSTRAP=$(kafka_bootstrap)
  flink_stop >/dev/null 2>&1 || true
  kafka_stop >/dev/null 2>&1 || true
  rm -rf "$CHAOS_DIR"
  mkdir -p "$CHAOS_DIR" "$CHAOS_REPORT"
  trap 'step "Stopping the chaos cluster"; flink_stop; kafka_stop' EXIT
  step "Chaos suite ($([ "$CHAOS_SHORT" = true ] && echo short || echo full)): $scenarios; reports in $CHAOS_REPORT"
  kafka_start
  ( run_tools topics ) > "$CHAOS_DIR/topics.log" 2>&1 || die "topics: $CHAOS_DIR/topics.log"
  flink_start
  # Patterns off: FlinkCEP cannot keep up with 5,000/s on two cores, and its watch inputs arrive on a
  # source of their own, so a replay could legitimately interleave them differently.
  flink_submit --bootstrap "$(kafka_bootstrap)" --group vigil-chaos --start-from latest --line chaos \
    --patterns off --checkpoint-interval 10s
  flink_await_running
  for s in $scenarios; do
    "scenario_${s//-/_}" || failed+=("$s")
  done
  chaos_table
  if [ ${#failed[@]} -gt 0 ]; then
    say "CHAOS FAILED: ${failed[*]} (reports in $CHAOS_REPORT; logs in $CHAOS_DIR)"
    exit 3
  fi
  say "Chaos suite passed in $((SECONDS - started)) s (reports in $CHAOS_REPORT)"
)
