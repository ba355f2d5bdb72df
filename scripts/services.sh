#!/usr/bin/env bash
# The services the tests use, on loopback: each one that answers is used as it is; one that does
# not is installed from Debian's packages (apt-get, as root or through sudo) and started here.
# PostgreSQL on 5432 (database "test", trusted local connections), Mosquitto on 1883, NATS with
# JetStream on 4222, and Debian's chromium for the console's browser tests.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "services: not root and no sudo: any service missing below must be started by hand" >&2
  fi
fi
apt_get() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get "$@"; }

# The store's tests need a PostgreSQL server on loopback: use the one that answers, else
# install and start one (Debian's packages), trusting local connections.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "no PostgreSQL on 127.0.0.1:5432: installing one"
  apt_get update -qq
  apt_get install -y -qq postgresql >/dev/null
  version=$(ls /etc/postgresql | sort -V | tail -1)
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  { printf 'local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n'; $SUDO cat "$hba"; } | $SUDO tee "$hba.new" >/dev/null
  $SUDO mv "$hba.new" "$hba" && $SUDO chown postgres:postgres "$hba"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  $SUDO su postgres -c "psql -q -c 'CREATE DATABASE test'" 2>/dev/null || true
fi

# The door drivers' tests need an MQTT broker on loopback: use the one that answers, else
# install Debian's Mosquitto and start it on 127.0.0.1:1883.
if ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  echo "no MQTT broker on 127.0.0.1:1883: installing Mosquitto"
  apt_get update -qq
  apt_get install -y -qq mosquitto >/dev/null
  printf 'listener 1883 127.0.0.1\nallow_anonymous true\npersistence false\n' > /tmp/gatewatch-mosquitto.conf
  $(command -v mosquitto || echo /usr/sbin/mosquitto) -d -c /tmp/gatewatch-mosquitto.conf
  for _ in $(seq 30); do (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null && break; sleep 1; done
fi

# Many sites: the sync and head office tests need NATS with JetStream on loopback, and the
# nats-server binary itself (a test starts its own with per-site keys): use the one that
# answers, else install Debian's nats-server and start it on 127.0.0.1:4222.
if ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
  echo "no nats-server: installing Debian's"
  apt_get update -qq
  apt_get install -y -qq nats-server >/dev/null
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; then
  echo "no NATS on 127.0.0.1:4222: starting nats-server with JetStream"
  mkdir -p /tmp/gatewatch-nats
  setsid nohup "$(command -v nats-server || echo /usr/sbin/nats-server)" -a 127.0.0.1 -p 4222 -js \
    -sd /tmp/gatewatch-nats >/tmp/gatewatch-nats.log 2>&1 < /dev/null &
  for _ in $(seq 30); do (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null && break; sleep 1; done
fi

# The console's browser tests drive Debian's chromium.
if ! command -v chromium >/dev/null 2>&1; then
  echo "no chromium: installing Debian's"
  apt_get update -qq
  apt_get install -y -qq chromium >/dev/null
fi


# Reports: PDFs are laid out by WeasyPrint, which needs Pango and a font; the report tests render
# a page back with pdftoppm (poppler-utils).
missing=()
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || missing+=(libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing for reports: ${missing[*]}"
  apt_get update -qq
  apt_get install -y -qq "${missing[@]}" >/dev/null
fi
