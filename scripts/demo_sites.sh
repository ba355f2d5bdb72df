#!/usr/bin/env bash
# make demo-sites: three sites and their head office on loopback, over the NATS and PostgreSQL
# that answer (scripts/services.sh starts them where none does).
#
#   the house at Coyoacán (8001), the organisation's office in the city (8002) and the safe flat
#   (8003), each a `gatewatch serve` with its own record in .demo-sites/<site>/ (SQLite), each
#   shipping its record to head office; head office (`gatewatch hq serve`, 8100) keeps the three
#   records in PostgreSQL (database gatewatch_demo_hq), verified, and links what no site can.
#
# The first run sets everything up (head office, the three sites, three users at each site with
# random passwords kept in .demo-sites/<site>/credentials, mode 600) and plays each site's example
# day into its record (examples/sites/). Later runs serve what is there. Ctrl-C stops everything.
# `--setup-only` does the setting up and returns without serving (the tests use it).
#
# Environment: DATA (.demo-sites), HQ_DB (PostgreSQL URL of head office's database: made afresh
# on a first run, so give it a database of its own), NATS (nats://127.0.0.1:4222), PREFIX (demo:
# the streams DEMO_SITES and DEMO_TO, deleted on a first run), HOST (127.0.0.1), HQ_PORT (8100),
# SITE_PORT (8001: the first site's; the others follow).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DATA=${DATA:-.demo-sites}
HQ_DB=${HQ_DB:-postgresql+psycopg://postgres@127.0.0.1:5432/gatewatch_demo_hq}
NATS=${NATS:-nats://127.0.0.1:4222}
PREFIX=${PREFIX:-demo}
HOST=${HOST:-127.0.0.1}
HQ_PORT=${HQ_PORT:-8100}
SITE_PORT=${SITE_PORT:-8001}
SETUP_ONLY=""
case "${1:-}" in
  "") ;;
  --setup-only) SETUP_ONLY=1 ;;
  *) echo "usage: $0 [--setup-only]" >&2; exit 2 ;;
esac

# The sites: id, site file, the day played into its record, and its users (name role person).
SITES=(coyoacan-1940 mexico-office safe-flat)
declare -A SITE_FILE=(
  [coyoacan-1940]=examples/coyoacan/site.yaml
  [mexico-office]=examples/sites/office.yaml
  [safe-flat]=examples/sites/safe-flat.yaml
)
declare -A SITE_DAY=(
  [coyoacan-1940]=examples/sites/coyoacan-1940-08-17.yaml
  [mexico-office]=examples/sites/office-1940-08-14.yaml
  [safe-flat]=examples/sites/safe-flat-1940-08-15.yaml
)
declare -A SITE_USERS=(
  [coyoacan-1940]="hansen lead hansen|cornell guard cornell|analyst analyst"
  [mexico-office]="molina lead molina|soto guard soto|analyst analyst"
  [safe-flat]="tomas lead tomas|ignacio guard ignacio|analyst analyst"
)
HQ=$DATA/hq
KEY=$DATA/identity.key

answers() {  # answers HOST PORT: something listens there
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# NATS and PostgreSQL: the ones that answer, else scripts/services.sh installs and starts them.
nats_hostport=${NATS#nats://}
nats_hostport=${nats_hostport%%/*}
pg_hostport=$("$BIN/python" -c 'import sys; from sqlalchemy.engine import make_url; u = make_url(sys.argv[1]); print(u.host or "127.0.0.1", u.port or 5432)' "$HQ_DB")
if ! answers "${nats_hostport%:*}" "${nats_hostport##*:}" || ! answers ${pg_hostport}; then
  echo "NATS ($NATS) or PostgreSQL (${pg_hostport/ /:}) does not answer: scripts/services.sh starts them"
  scripts/services.sh
fi

# A fresh start (no head office in $DATA yet): head office's database, the deployment's streams
# and the sites' directories are emptied, so that new records never meet an older run's entries.
mkdir -p "$DATA"
fresh=""
[ -e "$HQ/.ready" ] || fresh=1
"$BIN/python" - "$HQ_DB" "$fresh" <<'PY'
import re
import sys

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

url, fresh = make_url(sys.argv[1]), sys.argv[2] == "1"
name = url.database or ""
if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", name):
    sys.exit(f"HQ_DB {url.render_as_string()}: name the database in letters, digits and _ (it is made afresh)")
server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
with server.connect() as connection:
    exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
    if exists and fresh:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    if fresh or not exists:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
server.dispose()
PY
if [ -n "$fresh" ]; then
  "$BIN/python" - "$NATS" "$PREFIX" <<'PY'
import asyncio
import sys

import nats
from nats.js.errors import NotFoundError

from gatewatch.sync.wire import Topology


async def empty(url: str, topology: Topology) -> None:
    client = await nats.connect(url, connect_timeout=5, max_reconnect_attempts=0)
    try:
        for stream in (topology.sites_stream, topology.office_stream):
            try:
                await client.jetstream().delete_stream(stream)
            except NotFoundError:
                pass
    finally:
        await client.close()


asyncio.run(empty(sys.argv[1], Topology(sys.argv[2])))
PY
  rm -rf "$HQ"
  for site in "${SITES[@]}"; do rm -rf "${DATA:?}/$site"; done
fi

# Head office: its schema, its key, its console's token; each site registered, its NATS key
# (the seed file a site is given) written into the site's data directory; one identity key for
# every site, so that identity fields can be compared across sites as keyed hashes.
if [ -n "$fresh" ]; then
  echo "Setting up head office (database $HQ_DB, data in $HQ/)..."
  "$BIN/gatewatch" hq init --data "$HQ" --db "$HQ_DB" >/dev/null
  [ -e "$KEY" ] || "$BIN/gatewatch" hq key --out "$KEY" >/dev/null
  for site in "${SITES[@]}"; do
    name=$("$BIN/python" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1], encoding="utf-8"))["name"])' "${SITE_FILE[$site]}")
    mkdir -p "$DATA/$site"
    "$BIN/gatewatch" hq site add "$site" --name "$name" --out "$DATA/$site" --data "$HQ" --db "$HQ_DB" >/dev/null
  done
  touch "$HQ/.ready"
fi

# Each site: its users (the first time), then its example day on record (the first time only:
# the name matcher's data loads for each, up to a minute).
for site in "${SITES[@]}"; do
  dir=$DATA/$site
  mkdir -p "$dir"
  if [ ! -s "$dir/credentials" ]; then
    (
      umask 077
      : > "$dir/credentials"
      IFS='|' read -ra users <<< "${SITE_USERS[$site]}"
      for user in "${users[@]}"; do
        read -r name role person <<< "$user"
        password=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(12))')
        printf '%s\n' "$password" | "$BIN/gatewatch" user add "$name" --role "$role" ${person:+--person "$person"} --data "$dir" 2>/dev/null
        printf '%s %s %s\n' "$name" "$role" "$password" >> "$dir/credentials"
      done
    )
  fi
  if [ ! -e "$dir/.played" ]; then
    echo "Recording the example day at $site (${SITE_DAY[$site]})..."
    "$BIN/gatewatch" log play "${SITE_DAY[$site]}" --site "${SITE_FILE[$site]}" --data "$dir" >/dev/null
    touch "$dir/.played"
  fi
done

if [ -n "$SETUP_ONLY" ]; then
  echo "Set up in $DATA/: head office and ${SITES[*]}."
  exit 0
fi

# The three sites in the background, each shipping its record to head office (the safe flat
# privately: its visitors' documents, phones and addresses leave it only as keyed hashes).
for port in $(seq "$SITE_PORT" $((SITE_PORT + ${#SITES[@]} - 1))) "$HQ_PORT"; do
  if answers "$HOST" "$port"; then
    echo "error: something already listens on $HOST:$port (choose others: SITE_PORT=9001 HQ_PORT=9100 $0)" >&2
    exit 2
  fi
done
declare -a PIDS=()
stop() {
  trap - EXIT INT TERM
  if [ ${#PIDS[@]} -gt 0 ]; then
    echo "Stopping head office and the sites' servers..."
    kill -TERM "${PIDS[@]}" 2>/dev/null || true
    wait "${PIDS[@]}" 2>/dev/null || true
  fi
}
trap stop EXIT
trap 'exit 130' INT TERM

port=$SITE_PORT
declare -A SITE_URL=()
for site in "${SITES[@]}"; do
  dir=$DATA/$site
  private=()
  [ "$site" = safe-flat ] && private=(--private)
  "$BIN/gatewatch" serve --site "${SITE_FILE[$site]}" --data "$dir" --host "$HOST" --port "$port" \
    --head-office "$NATS" --hq-prefix "$PREFIX" --identity-key "$KEY" "${private[@]}" \
    >"$dir/serve.log" 2>&1 &
  PIDS+=("$!")
  SITE_URL[$site]="http://$HOST:$port"
  port=$((port + 1))
done

users_of() { awk '{ printf "      %-8s %-10s password %s\n", $1, "(" $2 ")", $3 }' "$DATA/$1/credentials"; }
HQ_URL="http://$HOST:$HQ_PORT"
cat <<TEXT

  gatewatch demo: three sites and their head office, 1940 (records in $DATA/)

  Head office:  $HQ_URL/sign-in?token=$(cat "$HQ/console.token")
                the sites, their lag and chain; Links: the same Canadian passport, JX1940817,
                shown at the house by "Frank Jacson" (17 August) and at the office by "Jacques
                Mornard" (14 August); open either man for his visits at both sites in one timeline.
  The sites (each console's sign-in; the server's log in $DATA/<site>/serve.log):
    coyoacan-1940  ${SITE_URL[coyoacan-1940]}/   the house on Avenida Viena: hansen (lead) sees
                   the link from head office at ${SITE_URL[coyoacan-1940]}/people/jacson
$(users_of coyoacan-1940)
    mexico-office  ${SITE_URL[mexico-office]}/   the organisation's office in the city: molina (lead)
                   sees it from the other side at ${SITE_URL[mexico-office]}/people/mornard
$(users_of mexico-office)
    safe-flat      ${SITE_URL[safe-flat]}/   the flat in Colonia Roma, sending its visitors' papers
                   to head office only as keyed hashes (--private): tomas (lead)
$(users_of safe-flat)

  The servers answer a few seconds from now: head office prints 'console: sign in at ...' below
  once its console is up. What you record at a site (sign in, then POST /v1/events as README.md's
  'The desk as a service' shows, on that site's port) reaches head office within a second or so,
  and a link head office finds is back at both sites within about fifteen seconds; a site goes
  on deciding when NATS or head office is away, and catches up in order when they are back.
  Check every site's chain at head office:
    $BIN/gatewatch hq verify --data $HQ --db $HQ_DB

  Stop with Ctrl-C, or from another shell with kill -INT on this script or on the
  'gatewatch hq serve' process (the sites' servers stop too). The records stay in $DATA/.

TEXT
# head office in the background too, so that Ctrl-C or kill -INT on this script stops everything
"$BIN/gatewatch" hq serve --data "$HQ" --db "$HQ_DB" --nats "$NATS" --prefix "$PREFIX" --host "$HOST" --port "$HQ_PORT" &
PIDS+=("$!")
wait "${PIDS[-1]}"
