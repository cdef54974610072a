# The cluster integration test (`./vigil cluster test`, and the last stage of `./vigil test`): one
# authorization stream through the scoring job jar on a Flink session cluster, one nightly through
# spark-submit on a Spark standalone cluster, and a savepoint-based restart of the job. Every
# daemon is its own JVM on its own test port; assertions are on what came out (Kafka, the lake's
# run summary, the JobManager's REST API), and everything started here is stopped here.
# Sourced by ./vigil. It starts its own broker so that what lands in the lake is exactly what this
# test sent (the other tests' topics stay out of its counts).

cluster_test_fail() { say "CLUSTER TEST FAILED: $*"; return 1; }

# cluster_test: runs in a subshell so its ports, folders and trap stay its own.
cluster_test() (
  set -euo pipefail
  local dir="$VIGIL_HOME/test/cluster" started=$SECONDS report summary today sent auths decisions profiles
  flink_instance "${VIGIL_TEST_FLINK_PORT:-18081}" "${VIGIL_TEST_FLINK_RPC_PORT:-16123}" "$dir/flink"
  SPARK_PORT=${VIGIL_TEST_SPARK_PORT:-17077} SPARK_DIR="$dir/spark" SPARK_HOME_DIR="$dir/spark/home"
  SPARK_MASTER_PID="$dir/spark/master.pid" SPARK_WORKER_PID="$dir/spark/worker.pid"
  export VIGIL_SPARK_WORKER_MEMORY=${VIGIL_SPARK_WORKER_MEMORY:-2g}
  kafka_instance "${VIGIL_TEST_CLUSTER_KAFKA_PORT:-29092}" "$dir/kafka"
  export VIGIL_KAFKA_BOOTSTRAP
  VIGIL_KAFKA_BOOTSTRAP=$(kafka_bootstrap)
  kafka_stop >/dev/null 2>&1 || true
  flink_stop >/dev/null 2>&1 || true
  spark_stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  mkdir -p "$dir"
  trap 'step "Stopping the test clusters"; flink_stop; spark_stop; kafka_stop' EXIT
  kafka_start

  step "Cluster test 1/4: Flink and Spark clusters up, the scoring job jar submitted"
  ( run_tools topics ) > "$dir/topics.log" 2>&1 || cluster_test_fail "topics: $dir/topics.log"
  flink_start
  spark_start
  flink_submit --bootstrap "$(kafka_bootstrap)" --group vigil-cluster-test --start-from latest
  flink_await_running

  step "Cluster test 2/4: an authorization stream through the job on the Flink cluster"
  report="$dir/stream"
  ( run_suites loadtest --engine flink --rate 200 --duration 15s --warmup 3s --sla-p99 60000 --report "$report" \
      --command "./vigil cluster test" ) || cluster_test_fail "the stream was not decided exactly once; $report/report.json"
  sent=$(jq -r '.expected' "$report/report.json")
  [ "$(jq -r '.missing' "$report/report.json")" = 0 ] || cluster_test_fail "decisions missing"
  [ "$(jq -r '.duplicates' "$report/report.json")" = 0 ] || cluster_test_fail "duplicate decisions"
  say "  $sent authorizations, each decided once by the job on the cluster (p99 $(jq -r '.p99_ms' "$report/report.json") ms)"

  step "Cluster test 3/4: the nightly through spark-submit on the Spark cluster"
  today=$(date -u +%F)
  # Today is not over, so the freshness check (newest authorization near the day's end) is relaxed.
  ( spark_submit --date "$today" --lake "file://$dir/lake" --ingest on --publish on --freshness-hours 24 \
      --out "$dir/nightly" --no-train ) \
    > "$dir/nightly.log" 2>&1 || { tail -n 30 "$dir/nightly.log" >&2; cluster_test_fail "the nightly failed: $dir/nightly.log"; }
  summary="$dir/nightly/$today/nightly-summary.json"
  [ "$(jq -r .status "$summary")" = succeeded ] || cluster_test_fail "nightly status $(jq -r .status "$summary")"
  auths=$(jq -r .rows_ingested.authorizations "$summary")
  decisions=$(jq -r .rows_ingested.decisions "$summary")
  profiles=$(jq -r .card_profiles_published "$summary")
  # The harness's readiness probes are authorizations too: the stream and a few probes, one decision each.
  [ "$auths" -ge "$sent" ] && [ "$auths" -le $((sent + 100)) ] \
    || cluster_test_fail "bronze holds $auths authorizations, the stream sent $sent"
  [ "$decisions" = "$auths" ] || cluster_test_fail "$decisions decisions landed for $auths authorizations"
  [ "$profiles" -gt 0 ] || cluster_test_fail "no card profiles published"
  say "  landed $auths authorizations and $decisions decisions; published $profiles card profiles"

  step "Cluster test 4/4: stop with a savepoint, resume from it, decide again"
  flink_stop_job
  [ -s "$FLINK_DIR/last-savepoint" ] || cluster_test_fail "no savepoint taken when the job stopped"
  flink_submit --bootstrap "$(kafka_bootstrap)" --group vigil-cluster-test --start-from latest
  flink_await_running
  ( run_suites loadtest --engine flink --rate 100 --duration 5s --warmup 1s --sla-p99 60000 --report "$dir/resumed" \
      --command "./vigil cluster test" ) || cluster_test_fail "the resumed job did not decide every authorization once"
  say "Cluster test passed in $((SECONDS - started)) s"
)
