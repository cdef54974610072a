# The local Kafka broker: one KRaft node (broker + controller) in its own JVM, from Maven jars.
# Sourced by ./vigil. Instance settings come from the environment:
#   VIGIL_KAFKA_PORT (9092), VIGIL_KAFKA_CONTROLLER_PORT (port + 1), VIGIL_KAFKA_DIR ($VIGIL_HOME/kafka)

# kafka_instance PORT DIR: points the functions below at one broker (the default one, or a test's
# own); its controller listens on PORT + 1.
kafka_instance() {
  KAFKA_PORT=$1 KAFKA_CONTROLLER_PORT=$(($1 + 1)) KAFKA_DIR=$2
  KAFKA_PID="$KAFKA_DIR/broker.pid" KAFKA_LOG="$KAFKA_DIR/broker.log"
}
kafka_instance "${VIGIL_KAFKA_PORT:-9092}" "${VIGIL_KAFKA_DIR:-$VIGIL_HOME/kafka}"
KAFKA_CONTROLLER_PORT=${VIGIL_KAFKA_CONTROLLER_PORT:-$KAFKA_CONTROLLER_PORT}

kafka_bootstrap() { printf '127.0.0.1:%s' "$KAFKA_PORT"; }

kafka_write_config() {
  mkdir -p "$KAFKA_DIR/data"
  sed -e "s|@PORT@|$KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
      -e "s|@DATA@|$KAFKA_DIR/data|g" -e "s|@ADMIN_PASSWORD@|${KAFKA_ADMIN_PASSWORD:-}|g" \
      "$VIGIL_ROOT/deploy/local/kafka/${KAFKA_TEMPLATE:-server.properties}" > "$KAFKA_DIR/server.properties"
}

kafka_start() {
  running_or_free Kafka "$KAFKA_PID" "$KAFKA_PORT" "$(kafka_bootstrap)" VIGIL_KAFKA_PORT && return 0
  local cp
  cp=$(deploy_classpath kafka)
  kafka_write_config
  local jvm=(-Xms256m -Xmx768m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
             "-Dlog4j2.configurationFile=$VIGIL_ROOT/deploy/local/kafka/log4j2.properties"
             "-Dkafka.logs.dir=$KAFKA_DIR")
  if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
    local cluster_id
    cluster_id=$("$JAVA" "${jvm[@]}" -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
    [ -n "$cluster_id" ] || die "could not make a Kafka cluster id"
    local scram=()
    [ -n "${KAFKA_ADMIN_PASSWORD:-}" ] && scram=(--add-scram "SCRAM-SHA-512=[name=admin,password=$KAFKA_ADMIN_PASSWORD]")
    "$JAVA" "${jvm[@]}" -cp "$cp" kafka.tools.StorageTool format -t "$cluster_id" \
        -c "$KAFKA_DIR/server.properties" "${scram[@]}" > "$KAFKA_DIR/format.log" 2>&1 \
      || { cat "$KAFKA_DIR/format.log" >&2; die "formatting Kafka storage failed"; }
  fi
  say "Starting Kafka on $(kafka_bootstrap) (data in $KAFKA_DIR) ..."
  nohup "$JAVA" "${jvm[@]}" -cp "$cp" kafka.Kafka "$KAFKA_DIR/server.properties" > "$KAFKA_LOG" 2>&1 &
  echo $! > "$KAFKA_PID"
  await_start "Kafka on $(kafka_bootstrap)" "$KAFKA_PID" "$KAFKA_LOG" kafka_ready
}

kafka_ready() {
  port_open "$KAFKA_PORT" && grep -q "Kafka Server started" "$KAFKA_DIR/server.log" "$KAFKA_LOG" 2>/dev/null
}

kafka_stop() { stop_pid "Kafka ($(kafka_bootstrap))" "$KAFKA_PID"; }

kafka_status() {
  if pid_alive "$KAFKA_PID" && port_open "$KAFKA_PORT"; then
    say "Kafka: running on $(kafka_bootstrap), pid $(cat "$KAFKA_PID"), data $KAFKA_DIR"
  else
    say "Kafka: stopped"
    return 3
  fi
}

# The tests' second broker: SCRAM logins and ACLs (server-secure.properties), on PORT, data in DIR.
# Its admin password is random per run, kept in DIR/admin-password (mode 600). Run in a subshell:
# it points the functions above at itself.
kafka_secure_instance() {
  kafka_instance "$1" "$2"
  KAFKA_TEMPLATE=server-secure.properties
  mkdir -p "$KAFKA_DIR"
  [ -f "$KAFKA_DIR/admin-password" ] || (umask 077 && od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$KAFKA_DIR/admin-password")
  KAFKA_ADMIN_PASSWORD=$(cat "$KAFKA_DIR/admin-password")
}
