# The local S3-compatible store: s3proxy with its filesystem backend, in its own JVM on 127.0.0.1.
# Sourced by ./vigil. Instance settings come from the environment:
#   VIGIL_S3_PORT (9000), VIGIL_S3_DIR ($VIGIL_HOME/s3), VIGIL_S3_BUCKET (vigil)
# Credentials are random per instance, made on first start and kept in $VIGIL_S3_DIR/credentials
# (mode 600); clients get them through the environment (s3_export), never from code.

S3_PORT=${VIGIL_S3_PORT:-9000}
S3_DIR=${VIGIL_S3_DIR:-$VIGIL_HOME/s3}
S3_BUCKET=${VIGIL_S3_BUCKET:-vigil}
S3_PID="$S3_DIR/s3proxy.pid"
S3_LOG="$S3_DIR/s3proxy.log"

s3_endpoint() { printf 'http://127.0.0.1:%s' "$S3_PORT"; }

s3_credentials() {
  mkdir -p "$S3_DIR"
  if [ ! -f "$S3_DIR/credentials" ]; then
    (umask 077 && printf 'access_key=%s\nsecret_key=%s\n' \
       "local-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" \
       "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" > "$S3_DIR/credentials")
  fi
  S3_ACCESS_KEY=$(sed -n 's/^access_key=//p' "$S3_DIR/credentials")
  S3_SECRET_KEY=$(sed -n 's/^secret_key=//p' "$S3_DIR/credentials")
}

# s3_export: the environment the lake and the tests read to reach this store.
s3_export() {
  s3_credentials
  export VIGIL_S3_ENDPOINT VIGIL_S3_ACCESS_KEY VIGIL_S3_SECRET_KEY VIGIL_S3_BUCKET
  VIGIL_S3_ENDPOINT=$(s3_endpoint)
  VIGIL_S3_ACCESS_KEY=$S3_ACCESS_KEY
  VIGIL_S3_SECRET_KEY=$S3_SECRET_KEY
  VIGIL_S3_BUCKET=$S3_BUCKET
}

s3_start() {
  running_or_free "S3 store" "$S3_PID" "$S3_PORT" "$(s3_endpoint)" VIGIL_S3_PORT && return 0
  local cp
  cp=$(deploy_classpath s3)
  s3_credentials
  # A bucket of the filesystem backend is a folder under its base directory; a world-readable
  # folder would be served as a public-read bucket, so keep it private.
  (umask 077 && mkdir -p "$S3_DIR/data/$S3_BUCKET")
  chmod 700 "$S3_DIR/data" "$S3_DIR/data/$S3_BUCKET"
  (umask 077 && cat > "$S3_DIR/s3proxy.properties" <<PROPS
s3proxy.endpoint=$(s3_endpoint)
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
jclouds.provider=filesystem
jclouds.identity=$S3_ACCESS_KEY
jclouds.credential=$S3_SECRET_KEY
jclouds.filesystem.basedir=$S3_DIR/data
PROPS
  )
  say "Starting the S3 store on $(s3_endpoint) (bucket $S3_BUCKET, data in $S3_DIR/data) ..."
  nohup "$JAVA" -Xms64m -Xmx512m -XX:+UseSerialGC -Djava.awt.headless=true \
    "-Dlogback.configurationFile=$VIGIL_ROOT/deploy/local/s3/logback.xml" \
    -cp "$cp" org.gaul.s3proxy.Main --properties "$S3_DIR/s3proxy.properties" > "$S3_LOG" 2>&1 &
  echo $! > "$S3_PID"
  await_start "S3 store on $(s3_endpoint)" "$S3_PID" "$S3_LOG" port_open "$S3_PORT"
}

s3_stop() { stop_pid "S3 store ($(s3_endpoint))" "$S3_PID"; }

s3_status() {
  if pid_alive "$S3_PID" && port_open "$S3_PORT"; then
    say "S3 store: running on $(s3_endpoint), bucket $S3_BUCKET, pid $(cat "$S3_PID"), data $S3_DIR/data"
  else
    say "S3 store: stopped"
    return 3
  fi
}
