#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on loopback for the test suites and
# prints the CONSOLE_TEST_DB URL. Installs Debian's postgresql if missing.
set -euo pipefail
PORT="${PGPORT_TEST:-55432}"
DIR="${PGDIR_TEST:-/tmp/imageconsole-pg}"
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$BIN" ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if ! as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  rm -rf "$DIR" && mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
  as_pg "$BIN/initdb" -D "$DIR" -U postgres --auth=trust -E UTF8 >&2
  as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >&2
fi
as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='imageconsole_test'" | grep -q 1 \
  || as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -c "CREATE DATABASE imageconsole_test" >&2
echo "postgres://postgres@127.0.0.1:$PORT/imageconsole_test?sslmode=disable"
