#!/usr/bin/env bash
# `make load`: 60 s of mixed traffic (browse, search, post, moderate) from 50 locust users
# against gunicorn on loopback, on PostgreSQL with the demo data; prints requests/s, latency
# percentiles and failures, and exits non-zero on any failed request. Not part of `make test`.
#
#   LOAD_DATABASE_URL  the database to fill and serve (default: a database "portal_load" on
#                      the local PostgreSQL; it is created when missing)
#   LOAD_USERS=50 LOAD_SECONDS=60 LOAD_PORT=8001 LOAD_WORKERS=5
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
USERS=${LOAD_USERS:-50}
SECONDS_=${LOAD_SECONDS:-60}
PORT=${LOAD_PORT:-8001}
WORKERS=${LOAD_WORKERS:-5}
export DATABASE_URL=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal_load}
# Production settings, on loopback: no TLS redirect, static files collected for WhiteNoise.
export DEBUG=false
export SECRET_KEY=${SECRET_KEY:-load-test-only-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export ALLOWED_HOSTS=127.0.0.1,localhost
export SECURE_SSL_REDIRECT=false
export STATIC_ROOT=${STATIC_ROOT:-var/load/static}
# The demo's supervisor logs in with a password only: a TOTP code per locust user would test
# the authenticator, not the portal's capacity.
export TWO_FACTOR_REQUIRED=false
unset REDIS_URL CELERY_BROKER_URL CELERY_TASK_ALWAYS_EAGER  # matching runs in-process, as embedded

db_name=${DATABASE_URL##*/}
db_server=${DATABASE_URL%/*}
if [ "$(psql "$db_server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db_name'")" != "1" ]; then
  psql "$db_server/postgres" -qc "CREATE DATABASE \"$db_name\""
fi
$PY manage.py migrate --noinput -v 0
$PY manage.py load_reference_data -v 0
$PY manage.py load_demo_data -v 0 >/dev/null
# Collecting (and compressing) takes minutes: only when the static files changed.
manifest="$STATIC_ROOT/staticfiles.json"
if [ ! -f "$manifest" ] || [ -n "$(find static package-lock.json -newer "$manifest" -print -quit)" ]; then
  $PY manage.py collectstatic --noinput -v 0
fi

mkdir -p var/load
.venv/bin/gunicorn portal.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --timeout 60 --access-logfile /dev/null --error-logfile var/load/gunicorn.log &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done

.venv/bin/locust -f tests/load/locustfile.py --headless -u "$USERS" -r 10 -t "${SECONDS_}s" \
  --host "http://127.0.0.1:$PORT" --csv var/load/result --only-summary --stop-timeout 10
