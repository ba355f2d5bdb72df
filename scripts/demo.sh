#!/usr/bin/env bash
# make demo: the Coyoacán example site served on loopback, its record in .demo/ (SQLite).
# The first run creates three users with random passwords (kept in .demo/credentials, mode 600).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DATA=${DATA:-.demo}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
SITE=examples/coyoacan/site.yaml

mkdir -p "$DATA"
if [ ! -s "$DATA/credentials" ]; then
  umask 077
  : > "$DATA/credentials"
  while read -r name role person; do
    password=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(12))')
    printf '%s\n' "$password" | "$BIN/gatewatch" user add "$name" --role "$role" ${person:+--person "$person"} --data "$DATA" 2>/dev/null
    printf '%s %s %s\n' "$name" "$role" "$password" >> "$DATA/credentials"
  done <<'USERS'
hansen lead hansen
harte guard harte
analyst analyst
USERS
fi

if [ ! -d "$DATA/watchlists" ]; then  # the court's list after the raid of 24 May, screened at every identify and invite
  "$BIN/gatewatch" watchlist import examples/coyoacan/court-orders.csv --list "court orders" --published 1940-05-25 --data "$DATA" --by demo >/dev/null 2>&1
fi

if [ ! -e "$DATA/.long-approach" ]; then  # months of visits by "Frank Jacson", up to the observation of 11 August 1940
  echo "Recording the long approach of February to August 1940 (the first time only: the name matcher's data loads, up to a minute)..."
  "$BIN/gatewatch" log play examples/coyoacan/1940-08-20-long-approach.yaml --site "$SITE" --data "$DATA" --until q2 >/dev/null
  touch "$DATA/.long-approach"
fi

password_of() { awk -v n="$1" '$1 == n { print $3 }' "$DATA/credentials"; }
URL="http://$HOST:$PORT"
cat <<TEXT

  gatewatch demo: the house on Avenida Viena, Coyoacán, 1940 (record in $DATA/)

  The console:  open $URL/ in a browser and sign in
  The API:      $URL/v1/   described in  $URL/openapi.json
  Sign in as:
$(awk '{ printf "    %-8s %-10s password %s\n", $1, "(" $2 ")", $3 }' "$DATA/credentials")
  Watchlists:   the court orders after the raid of 24 May are screened at every identify and invite;
                screen a name at $URL/watchlists, or
                $BIN/gatewatch screen "SIQUEIROS, David A." --site $SITE --data $DATA

  On record:    the long approach of "Frank Jacson", February to 11 August 1940: sign in as
                hansen (lead) and open $URL/people/jacson to see his pathway, its score and why,
                and the warning behaviours present. Then open a case with the form at the foot of
                his page; on the case's page add a note, read it, and print the report (PDF or
                HTML), or from here:
                $BIN/gatewatch report case CASE-ID --site $SITE --data $DATA --by hansen -o case.pdf
                $BIN/gatewatch report verify case.pdf --data $DATA

  Try it (a visitor in a raincoat at the street door, then the guard asks to let him in):

    TOKEN=\$(curl -s $URL/v1/login -H 'content-type: application/json' \\
      -d '{"name": "harte", "password": "$(password_of harte)"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    curl -s $URL/v1/events -H "Authorization: Bearer \$TOKEN" -H 'content-type: application/json' \\
      -d '{"id": "visit-1", "type": "arrive", "people": ["jacson"], "door": "street-door", "wearing": ["raincoat"]}'
    curl -s $URL/v1/events -H "Authorization: Bearer \$TOKEN" -H 'content-type: application/json' \\
      -d '{"id": "visit-2", "type": "request", "door": "patio-door", "by": "harte", "for": ["jacson"]}'

  Stop with Ctrl-C. The record stays in $DATA/ ($BIN/gatewatch log verify --data $DATA).

TEXT
exec "$BIN/gatewatch" serve --site "$SITE" --data "$DATA" --host "$HOST" --port "$PORT"
