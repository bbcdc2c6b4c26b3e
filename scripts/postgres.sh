#!/usr/bin/env bash
# Starts a throwaway Postgres cluster for the ledger's tests and prints the
# lines that point the tests at it:
#
#     eval "$(bash scripts/postgres.sh)"     # exports VEXORA_TEST_POSTGRES_URL (and _DIR)
#     cargo test -p vexora-ledger
#     bash scripts/postgres.sh stop "$VEXORA_TEST_POSTGRES_DIR"
#
# `stop` without a folder stops the cluster this user started last.
#
# Installs the Debian `postgresql` package when it is missing (as root).
# Postgres refuses to run as root, so under root the cluster runs as
# `nobody`; otherwise as the current user. It listens on 127.0.0.1 on a
# free port of its own, with its socket in its own folder, and trusts
# local connections: for tests only.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

state_file="${TMPDIR:-/tmp}/vexora-test-postgres.$(id -u)"

if [ "${1:-}" = "stop" ]; then
  if [ -n "${2:-}" ]; then
    PG_DIR=$2
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  else
    [ -f "$state_file" ] || { log "no cluster recorded in $state_file"; exit 0; }
    # shellcheck disable=SC1090
    . "$state_file"
  fi
  [ -d "$PG_DIR/data" ] || { log "no cluster in $PG_DIR"; exit 0; }
  if [ "$(id -u)" = 0 ]; then
    runuser -u nobody -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >&2 || true
  else
    "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >&2 || true
  fi
  rm -rf "$PG_DIR"
  # The record goes only with the cluster it names.
  if [ -f "$state_file" ] && grep -qF "$PG_DIR" "$state_file"; then rm -f "$state_file"; fi
  exit 0
fi

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
bin=$(find_bin)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  if [ "$(id -u)" != 0 ]; then
    log "postgresql is not installed; run as root, or: sudo apt-get install postgresql"
    exit 1
  fi
  log "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >/dev/null
  bin=$(find_bin)
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/vexora-postgres.XXXXXX")
run=()
if [ "$(id -u)" = 0 ]; then
  chown nobody "$dir"
  run=(runuser -u nobody --)
fi

# A port nobody listens on.
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 20000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    port=$candidate
    break
  fi
done
[ -n "$port" ] || { log "no free port found"; exit 1; }

"${run[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 >/dev/null
"${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
  || { log "the cluster did not start:"; cat "$dir/log" >&2; exit 1; }
"${run[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres vexora_test

printf 'PG_BIN=%q\nPG_DIR=%q\n' "$bin" "$dir" >"$state_file"
log "cluster in $dir, port $port (stop: bash scripts/postgres.sh stop $dir)"
echo "export VEXORA_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$port/vexora_test"
printf 'export VEXORA_TEST_POSTGRES_DIR=%q\n' "$dir"
