# The local PostgreSQL: a throw-away cluster of the machine's PostgreSQL binaries (Debian's
# postgresql-15 or any other), owned by the project and listening on 127.0.0.1 only.
# Sourced by ./vigil. Instance settings come from the environment:
#   VIGIL_PG_PORT (5432), VIGIL_PG_DIR ($VIGIL_HOME/postgres), VIGIL_PG_DATABASE (vigil)
# Two roles: `vigil` owns the cluster and the tables (it runs the migrations), `vigil_app` is the
# alert API's own role, which owns nothing (it cannot rewrite the audit log). Their passwords are
# random per cluster, kept in $VIGIL_PG_DIR/credentials and app-credentials (mode 600); clients get
# them through the environment (pg_export), never from code. As root the cluster runs as the
# `postgres` user (initdb refuses root).

PG_PORT=${VIGIL_PG_PORT:-5432}
PG_DIR=${VIGIL_PG_DIR:-$VIGIL_HOME/postgres}
PG_DATABASE=${VIGIL_PG_DATABASE:-vigil}
PG_USER=vigil
PG_APP_USER=vigil_app
PG_OPTS=${VIGIL_PG_OPTS:-}

pg_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && { printf '%s' "$dir"; return; }
  die "PostgreSQL server binaries not found (Debian: apt-get install postgresql)"
}

# pg_as_owner CMD...: runs a server command as the cluster's owner.
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_url() { printf 'jdbc:postgresql://127.0.0.1:%s/%s' "$PG_PORT" "$PG_DATABASE"; }

pg_password() { cat "$PG_DIR/credentials"; }

# pg_export: the environment the alert API and the tests read to reach this database: the runtime
# role as VIGIL_PG_USER, the owner as VIGIL_PG_OWNER_USER.
pg_export() {
  export VIGIL_PG_URL VIGIL_PG_USER VIGIL_PG_PASSWORD VIGIL_PG_OWNER_USER VIGIL_PG_OWNER_PASSWORD
  VIGIL_PG_URL=$(pg_url)
  VIGIL_PG_USER=$PG_APP_USER
  VIGIL_PG_PASSWORD=$(cat "$PG_DIR/app-credentials")
  VIGIL_PG_OWNER_USER=$PG_USER
  VIGIL_PG_OWNER_PASSWORD=$(pg_password)
}

# pg_app_role: the alert API's own role, made once per cluster (also in clusters made before it existed).
pg_app_role() {
  [ -f "$PG_DIR/app-credentials" ] || (umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' > "$PG_DIR/app-credentials")
  if ! PGPASSWORD=$(pg_password) psql -qtA -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres \
       -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_APP_USER'" | grep -q 1; then
    # The password is hex from /dev/urandom, so it is safe inside the quotes.
    PGPASSWORD=$(pg_password) psql -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres \
      -c "CREATE ROLE $PG_APP_USER LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$(cat "$PG_DIR/app-credentials")'" \
      || die "could not create the role $PG_APP_USER"
  fi
}

pg_init() {
  local bin=$1
  [ -f "$PG_DIR/data/PG_VERSION" ] && return 0
  say "Creating a PostgreSQL cluster in $PG_DIR/data ..."
  mkdir -p "$PG_DIR"
  (umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' > "$PG_DIR/credentials")
  mkdir -p "$PG_DIR/data" "$PG_DIR/run"
  local pwfile="$PG_DIR/run/initdb-password"
  cp "$PG_DIR/credentials" "$pwfile"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user (Debian's postgresql package makes it)"
    chown -R postgres "$PG_DIR/data" "$PG_DIR/run"
  fi
  pg_as_owner "$bin/initdb" -D "$PG_DIR/data" -U "$PG_USER" --pwfile="$pwfile" --auth=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 > "$PG_DIR/initdb.log" 2>&1 \
    || { rm -f "$pwfile"; tail -n 20 "$PG_DIR/initdb.log" >&2; die "initdb failed; log: $PG_DIR/initdb.log"; }
  rm -f "$pwfile"
}

pg_start() {
  if running_or_free "PostgreSQL" "$PG_DIR/postgres.pid" "$PG_PORT" "$(pg_url)" VIGIL_PG_PORT; then
    pg_app_role
    return 0
  fi
  local bin
  bin=$(pg_bindir)
  pg_init "$bin"
  say "Starting PostgreSQL on 127.0.0.1:$PG_PORT (data in $PG_DIR/data) ..."
  # The socket folder goes through a config file, not pg_ctl's -o: pg_ctl hands -o to a shell, which
  # splits a clone path with spaces in it. (In PostgreSQL's config a quote is written twice.)
  grep -q "^include_if_exists = 'vigil-local.conf'" "$PG_DIR/data/postgresql.conf" \
    || echo "include_if_exists = 'vigil-local.conf'" >> "$PG_DIR/data/postgresql.conf"
  printf "unix_socket_directories = '%s'\n" "${PG_DIR//\'/\'\'}/run" > "$PG_DIR/data/vigil-local.conf"
  # shellcheck disable=SC2086
  pg_as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/run/postgres.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c max_connections=60 $PG_OPTS" >/dev/null \
    || { tail -n 20 "$PG_DIR/run/postgres.log" >&2; die "PostgreSQL did not start; log: $PG_DIR/run/postgres.log"; }
  head -n 1 "$PG_DIR/data/postmaster.pid" > "$PG_DIR/postgres.pid"
  if ! PGPASSWORD=$(pg_password) psql -qtA -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres \
       -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'" | grep -q 1; then
    PGPASSWORD=$(pg_password) psql -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres \
      -c "CREATE DATABASE \"$PG_DATABASE\"" || die "could not create database $PG_DATABASE"
  fi
  pg_app_role
  say "PostgreSQL is ready: $(pg_url) (user $PG_USER)"
}

pg_stop() {
  if ! pid_alive "$PG_DIR/postgres.pid"; then
    rm -f "$PG_DIR/postgres.pid"
    say "PostgreSQL is not running"
    return 0
  fi
  pg_as_owner "$(pg_bindir)/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null || true
  stop_pid "PostgreSQL" "$PG_DIR/postgres.pid"
}

pg_status() {
  if pid_alive "$PG_DIR/postgres.pid" && port_open "$PG_PORT"; then
    say "PostgreSQL: running on 127.0.0.1:$PG_PORT, database $PG_DATABASE, pid $(cat "$PG_DIR/postgres.pid")"
  else
    say "PostgreSQL: stopped"
    return 3
  fi
}
