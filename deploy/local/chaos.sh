# The fault-injection suite (`./vigil chaos`, and its short form as the last stage of `./vigil test`).
# Every scenario runs against a real system on its own ports: a KRaft broker, a Flink session cluster
# (JobManager + TaskManager, each its own JVM) running the scoring job jar. The faults are real too:
# kill -9 of the TaskManager and of the broker, hostile bytes on the input topic, broken model files.
# Judgement is on what came out (Kafka), by `chaos verify` (load-test's chaos package), which writes
# each scenario's report.json; the suite prints a table of them. Sourced by ./vigil.
#
# Full form: the figures that matter in production (5,000/s under three TaskManager kills, 100,000 hostile records).
# Short form (--short): the same scenarios at a low rate; correctness only, no latency figure judged.

# The suite publishes one champion first (chaos_champion), whose decisions make the alerts the API
# scenarios ingest; the alert API runs only for the scenarios that judge it (api, broker-restart), so the
# TaskManager kills are judged on the job alone; pan-scan reads what all the others left.
CHAOS_SCENARIOS="bad-models api broker-restart tm-kill hostile nightly-crash bootstrap pan-scan"

now_ms() { date +%s%3N; }

# chaos_profile NAME: the scenario's load, full or short: "RATE SECONDS CARDS EXTRA".
chaos_profile() {
  if [ "$CHAOS_SHORT" = true ]; then
    case "$1" in
      tm-kill) echo "200 30 2000 1" ;;          # one kill
      hostile) echo "300 20 2000 2000" ;;       # 2,000 hostile records
      broker-restart) echo "200 30 2000 0" ;;
      bad-models) echo "100 20 1000 0" ;;
      api) echo "100 20 1000 2" ;;             # two analysts reading
      nightly-crash) echo "0 16 400 1" ;;      # 400 cards, 16 days of history, 1 night
      bootstrap) echo "200 30 500 10" ;;       # 500 cards, 10 days of history, then one kill
    esac
  else
    case "$1" in
      tm-kill) echo "5000 90 20000 3" ;;        # three kills under 5,000/s
      hostile) echo "3000 60 20000 100000" ;;   # 100,000 hostile among 180,000 records
      broker-restart) echo "1000 60 10000 0" ;;
      bad-models) echo "500 30 5000 0" ;;
      api) echo "1000 60 10000 4" ;;           # four analysts reading while ~half the traffic alerts
      nightly-crash) echo "0 24 3000 4" ;;     # 3,000 cards, 24 days of history, 4 nights
      bootstrap) echo "2000 60 3000 30" ;;     # 3,000 cards, 30 days of history, then one kill under 2,000/s
    esac
  fi
}

# chaos_send NAME RATE SECONDS CARDS [HOSTILE [SEED]]: the scenario's traffic in the background; waits until
# the job answered the probes and the traffic started (traffic.json written). Sets CHAOS_SENDER.
chaos_send() {
  local name=$1 rate=$2 seconds=$3 cards=$4 hostile=${5:-0} run="$CHAOS_DIR/$1" i seed=()
  [ -n "${6:-}" ] && seed=(--seed "$6")
  mkdir -p "$run"  # the suite starts from an empty $CHAOS_DIR; the api judge may already keep responses here
  ( run_suites chaos send --rate "$rate" --duration "${seconds}s" --cards "$cards" --hostile "$hostile" --out "$run" "${seed[@]}" ) \
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
  ( run_suites chaos verify --scenario "$name" --run "$CHAOS_DIR/$name" --faults "$CHAOS_DIR/$name/faults.tsv" \
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

# chaos_api_up: PostgreSQL and the alert API of the suite's own (ports of their own, consuming the
# suite's broker), started on first use. chaos_api_down stops both; the trap does too.
chaos_api_up() {
  port_open "$CHAOS_API_PORT" && return 0
  pg_start
  pg_export
  api_credentials
  mkdir -p "$CHAOS_DIR/alert-api"
  ( VIGIL_API_PORT=$CHAOS_API_PORT VIGIL_API_LOG="$CHAOS_DIR/alert-api/alert-api.log" run_api ) \
    > "$CHAOS_DIR/alert-api/api.out" 2>&1 &
  CHAOS_API_PID=$!
  local i
  for i in $(seq 1 180); do
    curl -sf "http://127.0.0.1:$CHAOS_API_PORT/health" >/dev/null 2>&1 && { say "  alert API up on :$CHAOS_API_PORT"; return 0; }
    kill -0 "$CHAOS_API_PID" 2>/dev/null || { tail -n 20 "$CHAOS_DIR/alert-api/api.out" >&2; die "the chaos alert API exited"; }
    sleep 0.5
  done
  die "the chaos alert API did not start in 90 s; log: $CHAOS_DIR/alert-api/api.out"
}

chaos_api_down() {
  # The JVM first (it is the subshell's exec), so its shutdown still logs through tee.
  if [ -n "${CHAOS_API_PID:-}" ]; then
    stop_process "the chaos alert API" "$CHAOS_API_PID" 30
    wait "$CHAOS_API_PID" 2>/dev/null || true
  fi
  CHAOS_API_PID=""
  pg_stop >/dev/null 2>&1 || true
}

# chaos_api_judge NAME RUN [ARGS]: the alert API's half of a scenario: traffic of run RUN, report folder NAME.
chaos_api_judge() {
  local name=$1 run=$2; shift 2
  ( run_suites chaos api --api "http://127.0.0.1:$CHAOS_API_PORT" --run "$CHAOS_DIR/$run" \
      --report "$CHAOS_REPORT/$name" "$@" ) 2> "$CHAOS_DIR/$name.log"
}

scenario_api() {
  local name=api rate seconds cards readers
  read -r rate seconds cards readers <<< "$(chaos_profile $name)"
  step "chaos $name: $readers analysts read while ${rate}/s of traffic makes alerts; every endpoint × role; hostile requests"
  chaos_api_up
  # The judge first: its users and its live stream are ready before the first alert can be stored
  # (setting them up took longer than the whole traffic on a slow machine). It starts the read window
  # when the traffic starts.
  local ready="$CHAOS_DIR/$name.ready" i
  mkdir -p "$CHAOS_DIR/$name"
  rm -f "$ready" "$CHAOS_DIR/$name/traffic.json"
  # run_suites execs the JVM in this subshell, so $! is the judge's own pid (the trap stops it too).
  ( run_suites chaos api --api "http://127.0.0.1:$CHAOS_API_PORT" --run "$CHAOS_DIR/$name" \
      --report "$CHAOS_REPORT/$name" --ready "$ready" --read-for "$((seconds - 4))s" --readers "$readers" \
      --timeout 5m ) 2> "$CHAOS_DIR/$name.log" &
  CHAOS_JUDGE=$!
  for i in $(seq 1 600); do
    [ -f "$ready" ] && break
    kill -0 "$CHAOS_JUDGE" 2>/dev/null || { local early=0; wait "$CHAOS_JUDGE" || early=$?; CHAOS_JUDGE=""; return $early; }
    sleep 0.5
  done
  [ -f "$ready" ] || { chaos_judge_stop; say "  the API judge was not ready in 5 minutes"; return 1; }
  chaos_send $name "$rate" "$seconds" "$cards"
  local judged=0
  wait "$CHAOS_JUDGE" || judged=$?
  CHAOS_JUDGE=""
  chaos_await_sender $name && return $judged
}

# chaos_judge_stop: the api scenario's judge, if one is still running (a failed start, the trap).
chaos_judge_stop() {
  if [ -n "${CHAOS_JUDGE:-}" ]; then
    stop_process "the chaos API judge" "$CHAOS_JUDGE" 10 >/dev/null 2>&1 || true
    CHAOS_JUDGE=""
  fi
}

scenario_tm_kill() {
  local name=tm-kill rate seconds cards kills k started
  read -r rate seconds cards kills <<< "$(chaos_profile $name)"
  step "chaos $name: kill -9 the TaskManager $kills time(s) under ${rate}/s for ${seconds} s"
  chaos_api_down
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
  chaos_api_down
  local baseline=()
  if [ "$CHAOS_SHORT" = false ]; then
    # The same rate without hostile records first: the latency the valid traffic must keep.
    say "  baseline: ${rate}/s of valid traffic only for 20 s"
    chaos_send $name-baseline "$rate" 20 "$cards"
    chaos_await_sender $name-baseline
    chaos_verify $name-baseline --timeout 5m || return 1
    baseline=(--latency-baseline "$CHAOS_REPORT/$name-baseline/report.json")
  fi
  chaos_send $name "$rate" "$seconds" "$cards" "$hostile"
  chaos_await_sender $name
  chaos_verify $name --timeout 5m "${baseline[@]}"
}

scenario_broker_restart() {
  local name=broker-restart rate seconds cards extra pid
  read -r rate seconds cards extra <<< "$(chaos_profile $name)"
  step "chaos $name: kill -9 the Kafka broker under ${rate}/s and start it again; the job and the alert API reconnect"
  chaos_api_up
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
  local job=0 api=0
  chaos_verify $name --timeout 10m || job=$?
  chaos_api_judge $name-api $name --reconnect --timeout 5m || api=$?
  [ $job = 0 ] && [ $api = 0 ]
}

# The job restarted from card state bootstrapped from a lake (./vigil bootstrap), then traffic of the
# same cards under a TaskManager kill: every decision must count the card's history plus what came
# since, as the ledger's replay of history + traffic says; a lost or doubled card would show.
scenario_bootstrap() {
  local name=bootstrap rate seconds cards days run="$CHAOS_DIR/bootstrap" seed first last restarted
  read -r rate seconds cards days <<< "$(chaos_profile $name)"
  step "chaos $name: the job restarted from $cards cards' state folded from $days days in a lake; their traffic at ${rate}/s, one TaskManager kill"
  chaos_api_down
  mkdir -p "$run"
  seed=$(now_ms)
  first=$(date -u -d "-$((days + 1)) days" +%F)
  last=$(date -u -d "$first + $((days - 1)) days" +%F)
  ( run_tools generate --cards "$cards" --days "$days" --seed "$seed" --start "$first" --tag "bh$(date -u +%H%M%S)" \
      --out "$run/history" ) > "$run/generate.log" 2>&1 || { say "  generating the history failed: $run/generate.log"; return 1; }
  ( run_lake load "$run/history" --lake "file://$run/lake" ) > "$run/lake.log" 2>&1 \
    || { say "  landing the history failed: $run/lake.log"; return 1; }
  ( bootstrap_state --date "$last" --lake "file://$run/lake" --savepoint "file://$run/savepoint" ) > "$run/bootstrap.log" 2>&1 \
    || { say "  the bootstrap failed: $run/bootstrap.log"; return 1; }
  sed -n 's/^\(Card states\|Savepoint\): /  /p' "$run/bootstrap.log"
  # As an upgrade that cannot keep its state would: stop the job, start it from the bootstrap savepoint,
  # its authorizations from now (the savepoint holds no offsets; nothing of these cards was sent yet).
  flink_stop_job
  restarted=$(now_ms)
  FLINK_FROM_SAVEPOINT="file://$run/savepoint" flink_submit --bootstrap "$(kafka_bootstrap)" --group vigil-chaos --start-from "at:$restarted" --line chaos \
    --patterns off --checkpoint-interval 10s
  flink_await_running
  chaos_send $name "$rate" "$seconds" "$cards" 0 "$seed"
  sleep 8
  chaos_kill_taskmanager $name
  chaos_await_sender $name
  chaos_verify $name --history "$run/history" --state-since-ms "$restarted" --timeout 5m
}

# chaos_champion: the good model every scenario's job serves (without one the job scores nothing
# and alerts nothing, and the api scenario would have no alerts to judge); its version in CHAOS_CHAMPION.
chaos_champion() {
  mkdir -p "$CHAOS_DIR/store"
  CHAOS_CHAMPION=$( ( run_suites chaos models champion --store "file://$CHAOS_DIR/store" --line chaos ) \
    2>> "$CHAOS_DIR/models.log") || die "publishing the champion failed: $CHAOS_DIR/models.log"
  say "  champion $CHAOS_CHAMPION published"
}

scenario_bad_models() {
  local name=bad-models rate seconds cards extra
  read -r rate seconds cards extra <<< "$(chaos_profile $name)"
  step "chaos $name: a truncated model, a wrong checksum and a mismatched feature list after the good champion"
  chaos_send $name "$rate" "$seconds" "$cards"
  sleep 4
  ( run_suites chaos models bad --store "file://$CHAOS_DIR/store" --line chaos --champion "$CHAOS_CHAMPION" \
      --out "$CHAOS_DIR/$name/bad-models.json" ) 2>> "$CHAOS_DIR/models.log"
  chaos_fault $name publish-bad-models "truncated, wrong checksum, feature mismatch"
  chaos_await_sender $name
  chaos_verify $name --bad-models "$CHAOS_DIR/$name/bad-models.json" --timeout 5m
}

scenario_pan_scan() {
  local pans=() worlds=() f
  step "chaos pan-scan: every topic and every file the runs above left (Kafka logs, checkpoints, logs, models, the database, API responses)"
  for f in "$CHAOS_DIR"/*/pans.json; do [ -f "$f" ] && pans+=("$f"); done
  for f in "$CHAOS_DIR"/*/world-seed; do [ -f "$f" ] && worlds+=("$(cat "$f")"); done
  ( run_suites chaos pan-scan --report "$CHAOS_REPORT/pan-scan" --pans "$(IFS=,; echo "${pans[*]}")" \
      --worlds "$(IFS=,; echo "${worlds[*]}")" \
      --dirs "$CHAOS_DIR" ) 2> "$CHAOS_DIR/pan-scan.log"
}

# chaos_nightly RUN LAKE: the scenario's nightly (history loaded, lake steps only) into RUN/LAKE, in
# the foreground; its log is RUN/LAKE.log. (Its JVM is this subshell's exec: `&` gives its pid.)
chaos_nightly() {
  run_night --load "$1/world" --from "$CHAOS_NIGHTS_FROM" --to "$CHAOS_NIGHTS_TO" --ingest off --publish off \
    --lake "file://$1/$2" --out "$1/$2-summaries" --no-train
}

scenario_nightly_crash() {
  local name=nightly-crash run="$CHAOS_DIR/nightly-crash" rate days cards nights start last pid i alive during commits clean
  read -r rate days cards nights <<< "$(chaos_profile $name)"
  step "chaos $name: kill -9 the nightly while it writes, run it again; every table and version against a clean run"
  chaos_api_down
  rm -rf "$run"; mkdir -p "$run"
  start=$(date -u -d "-$((days + 1)) days" +%F)
  last=$(date -u -d "$start +$((days - 1)) days" +%F)
  CHAOS_NIGHTS_FROM=$(date -u -d "$last -$((nights - 1)) days" +%F)
  CHAOS_NIGHTS_TO=$last
  ( run_tools generate --cards "$cards" --days "$days" --fraud-scale 10 --seed 4242 --start "$start" --tag crash \
      --out "$run/world" ) > "$run/generate.log" 2>&1 || { say "  generating history failed: $run/generate.log"; return 1; }
  echo "4242:$cards" > "$run/world-seed"
  say "  clean run: history into bronze, then $nights night(s) $CHAOS_NIGHTS_FROM .. $last"
  ( chaos_nightly "$run" clean ) > "$run/clean.log" 2>&1 || { say "  the clean run failed: $run/clean.log"; return 1; }
  say "  the same run into a second lake, killed while it writes the profiles of its $nights night(s)"
  ( chaos_nightly "$run" lake ) > "$run/crashed.log" 2>&1 &
  pid=$!
  for i in $(seq 1 3000); do
    grep -q "^\[[^]]*\] write " "$run/crashed.log" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  sleep 0.5
  alive=false
  kill -0 "$pid" 2>/dev/null && alive=true
  during=$(grep '^\[' "$run/crashed.log" | tail -n 1)
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pgrep -f "file://$run/lake" >/dev/null && { say "  the killed nightly left a process behind"; return 1; }
  chaos_fault $name kill-9-nightly "during: $during"
  commits=$(find "$run/lake" -path '*_delta_log/*.json' | wc -l)
  clean=$(find "$run/clean" -path '*_delta_log/*.json' | wc -l)
  jq -n --arg step "$during" --argjson alive "$alive" --argjson commits "$commits" --argjson clean "$clean" \
    --argjson files "$(find "$run/lake" -name '*.parquet' | wc -l)" \
    '{killed_during: $step, mid_run: ($alive and $commits < $clean), commits_at_kill: $commits,
      commits_of_clean_run: $clean, data_files_at_kill: $files}' > "$run/crash.json"
  say "  killed during \"$during\": $commits Delta commits in that lake (the clean run made $clean); running it again"
  ( chaos_nightly "$run" lake ) > "$run/rerun.log" 2>&1 || { say "  the rerun failed: $run/rerun.log"; return 1; }
  # One Spark session: both lakes' digests, and the clean lake row by row for the PAN scan (the
  # rerun's content is the same, as judged here).
  ( run_lake digest --lake "file://$run/clean" --versions all --out "$run/clean-digest.json" --rows "$run/rows" \
      --also "file://$run/lake" --also-out "$run/rerun-digest.json" ) > "$run/digest.log" 2>&1 \
    || { say "  the digest failed: $run/digest.log"; return 1; }
  ( run_suites chaos nightly-verify --clean "$run/clean-digest.json" --rerun "$run/rerun-digest.json" \
      --crash "$run/crash.json" --faults "$run/faults.tsv" --report "$CHAOS_REPORT/$name" ) 2> "$run/verify.log"
}

# chaos_table: one line per scenario from the report folder.
chaos_table() {
  local r
  printf '\n%-19s %-5s %9s %8s %11s %9s %-20s %9s %s\n' scenario pass decided missing duplicates mismatch "recovery s" dlq faults
  for r in "$CHAOS_REPORT"/*/report.json; do
    [ -f "$r" ] || continue
    jq -r '[.scenario, (if .pass then "yes" else "NO" end), (.decided // "-"), (.missing // "-"),
            ((.duplicates // "-" | tostring) + (if (.duplicates_differing // 0) > 0 then "!" else "" end)),
            (.state_mismatches // "-"),
            ((.recovery_seconds // []) | map(if . == null then "none" else (. * 10 | round / 10 | tostring) end) | join(",") | if . == "" then "-" else . end),
            (.dlq_count // "-"), ((.injected_faults // []) | length)] | @tsv' "$r" \
      | awk -F'\t' '{printf "%-19s %-5s %9s %8s %11s %9s %-20s %9s %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9}'
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
  CHAOS_API_PORT=${VIGIL_CHAOS_API_PORT:-18480}
  CHAOS_API_PID=""
  PG_PORT=${VIGIL_CHAOS_PG_PORT:-15442}
  PG_DIR="$CHAOS_DIR/postgres"
  flink_instance "${VIGIL_CHAOS_FLINK_PORT:-18091}" "${VIGIL_CHAOS_FLINK_RPC_PORT:-16133}" "$CHAOS_DIR/flink"
  kafka_instance "${VIGIL_CHAOS_KAFKA_PORT:-29192}" "$CHAOS_DIR/kafka"
  export VIGIL_KAFKA_BOOTSTRAP
  VIGIL_KAFKA_BOOTSTRAP=$(kafka_bootstrap)
  flink_stop >/dev/null 2>&1 || true
  kafka_stop >/dev/null 2>&1 || true
  rm -rf "$CHAOS_DIR"
  mkdir -p "$CHAOS_DIR" "$CHAOS_REPORT"
  CHAOS_JUDGE=""
  trap 'step "Stopping the chaos cluster"; chaos_judge_stop; chaos_api_down; flink_stop; kafka_stop' EXIT
  step "Chaos suite ($([ "$CHAOS_SHORT" = true ] && echo short || echo full)): $scenarios; reports in $CHAOS_REPORT"
  kafka_start
  ( run_tools topics ) > "$CHAOS_DIR/topics.log" 2>&1 || die "topics: $CHAOS_DIR/topics.log"
  flink_start
  # Patterns off: FlinkCEP cannot keep up with 5,000/s on two cores, and its watch inputs arrive on a
  # source of their own, so a replay could legitimately interleave them differently.
  flink_submit --bootstrap "$(kafka_bootstrap)" --group vigil-chaos --start-from latest --line chaos \
    --patterns off --checkpoint-interval 10s
  flink_await_running
  chaos_champion
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
