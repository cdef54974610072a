# ./vigil demo: the whole system on this machine, end to end. Sourced by ./vigil.
#   services (Kafka, S3 store, PostgreSQL) → 30 days of generated history → the lake → nightly
#   profiles (one backfill) → XGBoost trained, gated, published, promoted → the job's card state
#   bootstrapped from the lake (a savepoint) → the Flink job from it and the alert API → live traffic
#   with every fraud scenario → a scan for the card numbers that went in → a summary. Ctrl-C stops
#   everything it started; --keep leaves it running.

DEMO_PIDS=()
DEMO_STARTED=()
DEMO_KEEP=false
DEMO_T0=$SECONDS

demo_cleanup() {
  local status=$?
  if $DEMO_KEEP && [ "$status" = 0 ]; then
    say ""
    say "Left running (--keep): the Flink job (pid ${DEMO_PIDS[0]:-?}), the alert API (pid ${DEMO_PIDS[1]:-?}) and ${DEMO_STARTED[*]:-no services}."
    say "Stop them with: kill ${DEMO_PIDS[*]:-}; ./vigil services down"
    return
  fi
  demo_step "Stopping what the demo started"
  local pid stoppers=()
  # The job checkpoints every few seconds and decisions are idempotent by id: a short grace is safe.
  # Both at once: the stop then costs the slower one's grace, not the sum.
  for pid in "${DEMO_PIDS[@]}"; do stop_tree "a demo process" "$pid" 5 & stoppers+=($!); done
  for pid in "${stoppers[@]}"; do wait "$pid" 2>/dev/null || true; done
  # The services are independent of each other once their clients are gone: stopped side by side too.
  local s
  stoppers=()
  for s in "${DEMO_STARTED[@]}"; do
    case "$s" in
      postgres) pg_stop & stoppers+=($!) ;;
      s3) s3_stop & stoppers+=($!) ;;
      kafka) kafka_stop & stoppers+=($!) ;;
    esac
  done
  for pid in "${stoppers[@]}"; do wait "$pid" 2>/dev/null || true; done
}

# demo_step TEXT: a step headline with the time since the demo started.
demo_step() { step "$(printf '[%d:%02d]' $(((SECONDS - DEMO_T0) / 60)) $(((SECONDS - DEMO_T0) % 60))) $*"; }

# demo_service NAME STATUS START: starts a service unless it runs, remembering what it started.
demo_service() {
  local name=$1 status=$2 start=$3
  if ! "$status" >/dev/null 2>&1; then
    "$start"
    DEMO_STARTED=("$name" "${DEMO_STARTED[@]}")
  else
    say "$name is already running: the demo uses it and leaves it running"
  fi
}

demo() {
  local duration=60 cards=2000 rate=300 a prev="" lake=""
  DEMO_T0=$SECONDS
  for a in "$@"; do
    case "$prev" in
      --duration) duration=${a%s}; prev=""; continue ;;
      --cards) cards=$a; prev=""; continue ;;
      --rate) rate=$a; prev=""; continue ;;
      --lake) lake=$a; prev=""; continue ;;
    esac
    case "$a" in
      --duration|--cards|--rate|--lake) prev=$a ;;
      --keep) DEMO_KEEP=true ;;
      *) die "usage: ./vigil demo [--duration 60s] [--cards 2000] [--rate 300] [--lake URI] [--keep]" ;;
    esac
  done
  [[ "$duration" =~ ^[0-9]+$ ]] || die "--duration takes seconds, e.g. 120s"
  local dir="$VIGIL_HOME/demo" start last store="$VIGIL_HOME/demo/store"
  # The lake is on local disk by default: on this machine a night costs ~15 s there and about twice
  # that on the S3 store (s3proxy); --lake s3a://vigil/demo/lake runs the same on the S3 store.
  lake=${lake:-file://$dir/lake}
  trap demo_cleanup EXIT
  trap 'exit 130' INT TERM
  rm -rf "$dir"
  mkdir -p "$dir" "$VIGIL_HOME/logs"

  demo_step "1/10 Building what the demo runs (first time: several minutes of downloads)"
  local built=$SECONDS
  module_classpath tools >/dev/null
  module_classpath load-test >/dev/null
  module_classpath feature-lake local >/dev/null
  module_classpath batch-training local >/dev/null
  module_classpath realtime-scoring local >/dev/null
  module_classpath alert-api >/dev/null
  say "built (or up to date) in $((SECONDS - built)) s"

  demo_step "2/10 Starting the local services: Kafka, the S3 store, PostgreSQL"
  demo_service kafka kafka_status kafka_start
  demo_service s3 s3_status s3_start
  demo_service postgres pg_status pg_start
  s3_export
  ( run_tools topics ) > "$VIGIL_HOME/logs/topics.log" 2>&1 || die "could not create the topics"

  start=$(date -u -d '-31 days' +%F)
  last=$(date -u -d "$start +29 days" +%F)
  # Each demo world is its own data set, so it gets its own model line (a model serves only the data set it was trained on): a model
  # trained on an earlier run's world is neither its champion nor compared with its candidate.
  local run line since_ms
  run=$(date -u +%H%M%S)
  line="demo-$(date -u +%Y%m%d)$run"
  since_ms=$(($(date +%s) * 1000))
  # Per-run id tags too: ids are derived from the world's seed, and a second run must not collide
  # with the first one's authorizations and alerts (consumers deduplicate by id).
  demo_step "3/10 Generating 30 days of history: $cards cards, $start .. $last, every fraud scenario"
  ( run_tools generate --cards "$cards" --days 30 --fraud-scale 10 --seed 42 --start "$start" --tag "hist$run" --out "$dir/world" ) \
    || die "generating history failed"

  # Training takes all the history the lake holds: [train][delay 2][holdout 5][delay 2] ends at the
  # last day. The world's chargebacks come ~14 days late, so only the first days' frauds are known
  # when training's labels are read; a window cut to the last week would see a couple of dozen. Every
  # night is computed (one backfill, ~2 min here), so each training day has the profiles the job has.
  demo_step "4/10 The night ($lake): history into bronze, the lake's nights for $start .. $last, then XGBoost trained on the lake as of $last (evaluated on a later holdout, gated, published, promoted)"
  ( run_night --load "$dir/world" --from "$start" --to "$last" --lake "$lake" --ingest off \
      --line "$line" --store "file://$store" --truth "$dir/world/truth" \
      --set window.delay_days=2 --set window.holdout_days=5 ) | tee "$dir/train.out" \
    || die "the night (lake or training) failed"

  # The job's card state is the lake's: every card's history folded through the last day, written as
  # the job's savepoint, so the first live decision of each card already counts its 30 days (decision 22).
  local live_start savepoint="file://$dir/savepoint"
  live_start=$(date -u +%F)
  demo_step "5/10 Bootstrapping the job's card state from the lake: bronze through $last folded (Spark), written as a savepoint (Flink)"
  ( bootstrap_state --date "$last" --lake "$lake" --savepoint "$savepoint" ) 2> "$VIGIL_HOME/logs/demo-bootstrap.log" \
    | tee "$dir/bootstrap.out" || die "the card-state bootstrap failed; log: $VIGIL_HOME/logs/demo-bootstrap.log"

  # From the savepoint; authorizations from the demo's start: nothing of this world reached Kafka before
  # it (the history went straight to the lake), and a broker left running may hold an earlier run's.
  demo_step "6/10 Starting the Flink scoring job from it, and the alert API"
  # Alerts from today: the warm-up traffic (step 8) is dated before it.
  ( run_scoring dev.vigil.realtimescoring.job.Main --line "$line" --patterns on \
      --from-savepoint "$savepoint" --start-from "at:$since_ms" --alerts-from "$live_start" ) \
    > "$VIGIL_HOME/logs/demo-scoring.out" 2>&1 &
  DEMO_PIDS+=($!)
  ( run_api ) > "$VIGIL_HOME/logs/demo-api.out" 2>&1 &
  DEMO_PIDS+=($!)
  local i
  for i in $(seq 1 120); do
    port_open "${VIGIL_API_PORT:-8080}" && break
    sleep 1
  done
  port_open "${VIGIL_API_PORT:-8080}" || die "the alert API did not start; log: $VIGIL_HOME/logs/demo-api.out"
  say "alert API up; the Flink job is starting (log: $VIGIL_HOME/logs/scoring.log)"

  # The job's merchant risk counts labels from the labels topic (what training knew), which the
  # savepoint does not hold; the history's labels are files here, so they are sent (the job reads the
  # topic from its start, so it need not be up yet).
  demo_step "7/10 The history's labels to the job"
  ( run_tools send-history "$dir/world" --labels-only ) | tee "$dir/labels.out" \
    || die "sending the history's labels failed"

  # A job just started runs on code its JIT has not compiled yet: straight into live traffic, its first
  # 45 s had p50 38-103 ms and p99 0.8-1.2 s, and the next 45 s p99 60-266 ms (two runs). A payments team
  # cuts over to a new job once shadow traffic has warmed it; here that is another world's 2,000 cards
  # (seed 4242, no fraud), from a week before today: its 20,000 authorizations span about four days and
  # end before today, so they are decided and folded like any (patterns too) but never alerted, and the
  # live traffic that follows is not late. It also waits out the job's start.
  local warm_start
  warm_start=$(date -u -d "$live_start -7 days" +%F)
  demo_step "8/10 Warming the new job: 25 s of another world's traffic at 800/s, dated $warm_start on (decided, never alerted)"
  ( run_tools stream --rate 800 --duration 25s --cards 2000 --seed 4242 --fraud-scale 0 --start "$warm_start" \
      --tag "warm$run" --measure --warmup 0s --drain 2m ) > "$dir/warm-up.out" 2> "$VIGIL_HOME/logs/demo-warm-up.log" \
    || die "the job did not decide the warm-up traffic; logs: $VIGIL_HOME/logs/demo-warm-up.log, $VIGIL_HOME/logs/scoring.log"

  # Fraud at the history's rate: the world the model was trained on. In a minute that shows card testing,
  # account takeover, stolen cards and bust-out; merchant compromise needs days to ripen and rarely shows.
  demo_step "9/10 Live traffic: $rate authorizations/s for ${duration} s, fraud at the history's rate"
  ( run_tools stream --rate "$rate" --duration "${duration}s" --cards "$cards" --seed 42 --fraud-scale 10 \
      --start "$live_start" --tag "live$run" --measure --warmup "$((duration / 2))s" --truth "$dir/live-truth.txt" ) | tee "$dir/stream.out" || say "note: the stream reported missing decisions"

  # The house rule checked on what this run left: the PANs of the demo's worlds (seeds 42 and 4242,
  # rebuilt and known only as salted hashes) in no topic record since the demo started, no file under its folder
  # (history, model store, run summaries), no log, no database file, no lake row, no API answer.
  # Before the summary, so the summary is the last thing the demo prints and its verdict is in it.
  demo_step "10/10 Looking for the card numbers that went in: topics, lake rows, database, logs, alert API"
  api_credentials
  if ( run_lake digest --lake "$lake" --out "$dir/lake-digest.json" --rows "$dir/lake-rows" ) \
       > "$VIGIL_HOME/logs/demo-lake-rows.log" 2>&1; then
    ( run_suites pan-scan --report "$dir/pan-scan" --worlds "42:$cards,4242:2000" --since-ms "$since_ms" \
        --dirs "$dir,$VIGIL_HOME/logs,$PG_DIR/data" --api "http://127.0.0.1:${VIGIL_API_PORT:-8080}/" ) \
      > "$dir/pan-scan.out" 2> "$VIGIL_HOME/logs/demo-pan-scan.log" \
      || say "the scan failed or found card numbers: $dir/pan-scan/report.json, log $VIGIL_HOME/logs/demo-pan-scan.log"
  else
    say "the lake could not be read row by row; log: $VIGIL_HOME/logs/demo-lake-rows.log"
  fi

  ( run_suites demo-summary --api "http://127.0.0.1:${VIGIL_API_PORT:-8080}/" \
      --metrics "$(sed -n 's/^report: //p' "$dir/train.out" | sed 's/report.html$/metrics.json/')" \
      --bootstrap "$dir/bootstrap.out" --labels "$dir/labels.out" --warm-up "$dir/warm-up.out" --stream "$dir/stream.out" --truth "$dir/live-truth.txt" --pan-scan "$dir/pan-scan.out" --tags "warm$run,live$run" \
      --since-ms "$since_ms" --seconds $((SECONDS - DEMO_T0)) ) || true
}
