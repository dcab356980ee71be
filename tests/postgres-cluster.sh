# Sourced by ./test: gives the tests a PostgreSQL when VIGIL_TEST_POSTGRES is not set, by starting a throw-away
# cluster (initdb in a temporary folder, loopback only, a free port, its unix socket in that folder) that is stopped
# and deleted when the calling shell exits. Without PostgreSQL's binaries it says so, and the PostgreSQL tests then
# fail with the same advice (they never skip).
#   vigil_start_test_postgres   # exports VIGIL_TEST_POSTGRES=postgres://postgres@127.0.0.1:PORT/postgres

vigil_pg_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

vigil_stop_test_postgres() {
  if [ -n "${VIGIL_PG_DIR:-}" ] && [ -d "$VIGIL_PG_DIR" ]; then
    $VIGIL_PG_AS "$VIGIL_PG_BIN/pg_ctl" -D "$VIGIL_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$VIGIL_PG_DIR"
  fi
}

vigil_start_test_postgres() {
  if [ -n "${VIGIL_TEST_POSTGRES:-}" ]; then return 0; fi
  if ! VIGIL_PG_BIN=$(vigil_pg_bin); then
    echo "PostgreSQL not found (no initdb/pg_ctl under /usr/lib/postgresql/*/bin or on PATH): the PostgreSQL tests will fail." \
         "Install it (apt-get install postgresql) or set VIGIL_TEST_POSTGRES=postgres://user@host:port/db (a superuser)."
    return 1
  fi
  VIGIL_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vigil-test-pg.XXXXXX")
  VIGIL_PG_AS=""
  if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root: the cluster belongs to the postgres user.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$VIGIL_PG_DIR"
    VIGIL_PG_AS="runuser -u postgres --"
  fi
  trap vigil_stop_test_postgres EXIT
  if ! $VIGIL_PG_AS "$VIGIL_PG_BIN/initdb" -D "$VIGIL_PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-locale \
       >"$VIGIL_PG_DIR/initdb.log" 2>&1; then
    echo "initdb failed:"; cat "$VIGIL_PG_DIR/initdb.log"; return 1
  fi
  local attempt port
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    # Throw-away data: no fsync; enough connections for the test assemblies' pools running side by side.
    if $VIGIL_PG_AS "$VIGIL_PG_BIN/pg_ctl" -D "$VIGIL_PG_DIR/data" -l "$VIGIL_PG_DIR/server.log" -w -t 30 start \
         -o "-p $port -h 127.0.0.1 -k $VIGIL_PG_DIR -F -c max_connections=300 -c full_page_writes=off -c synchronous_commit=off" \
         >/dev/null 2>&1; then
      export VIGIL_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
      echo "PostgreSQL $("$VIGIL_PG_BIN/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$port (throw-away, $VIGIL_PG_DIR)"
      return 0
    fi
  done
  echo "could not start a test PostgreSQL:"; tail -n 20 "$VIGIL_PG_DIR/server.log" 2>/dev/null
  return 1
}
