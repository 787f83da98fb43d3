#!/usr/bin/env bash
# `make bench`: the national dataset on PostgreSQL, the production server configuration, wrk on loopback.
#
#   BENCH_SCALE=1.0        dataset size (1.0 = 1,000,000 teachers, 65,000 schools; 0.01 for a quick run)
#   BENCH_SECONDS=10       wrk run per page (after a 2 s warm-up)
#   BENCH_CONNECTIONS=16   BENCH_THREADS=2 (wrk)
#   BENCH_WORKERS, BENCH_WORKER_THREADS   gunicorn gthread workers × threads (default: cores+1 × 4)
#   BENCH_DATABASE_URL     default postgres://postgres@127.0.0.1:5432/shikhon_bench (created if missing)
#   BENCH_SEARCH_WORD      a common word in school names (default সরকারি)
#   BENCH_RELOAD=1         drop and load the dataset again even if it is already at BENCH_SCALE
#
# Prints a table and writes bench/results/latest.json. Exits non-zero only on a real failure (database
# unreachable, server not starting, wrk missing) — never because of a timing.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")
NPROC=$(nproc 2>/dev/null || echo 2)
BENCH_SCALE=${BENCH_SCALE:-1.0}
BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-16}
BENCH_THREADS=${BENCH_THREADS:-2}
BENCH_WORKERS=${BENCH_WORKERS:-$((NPROC + 1))}
BENCH_WORKER_THREADS=${BENCH_WORKER_THREADS:-4}
BENCH_SEARCH_WORD=${BENCH_SEARCH_WORD:-সরকারি}
RESULTS=bench/results

say() { printf '\n== %s\n' "$*"; }

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    say "Installing wrk"
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y wrk >/dev/null; }
  else
    echo "wrk is not installed and this is not root. Ask an administrator to run: apt-get install -y wrk" >&2
    exit 1
  fi
fi

# The production settings, as a deployment sets them, on loopback only (bench/bench_settings.py only
# raises the API's per-caller request budget, so one bench token is not answered 429).
export PYTHONPATH="$PWD/bench${PYTHONPATH:+:$PYTHONPATH}"
export DJANGO_SETTINGS_MODULE=bench_settings
export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/shikhon_bench}
DJANGO_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export DJANGO_SECRET_KEY
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_SECURE_COOKIES=0
export DJANGO_DEBUG=0
export SHIKHON_DEMO_MODE=0
export SHIKHON_BENCH=1
export SMS_BACKEND=console
export LOG_LEVEL=WARNING
if "$PY" -c 'import redis, sys; redis.Redis(host="127.0.0.1", port=6379, socket_timeout=2).ping()' 2>/dev/null; then
  export REDIS_URL=redis://127.0.0.1:6379/2
  CACHE_DESC="redis db 2"
else
  unset REDIS_URL
  CACHE_DESC="local memory (Redis not reachable at 127.0.0.1:6379)"
  echo "Redis is not reachable; the bench uses each worker's local-memory cache." >&2
fi

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "Database ${DATABASE_URL##*/}"
"$PY" bench/ensure_db.py
"$PY" manage.py migrate --noinput -v0

say "Dataset at scale $BENCH_SCALE"
RELOAD=()
if [ "${BENCH_RELOAD:-0}" = 1 ]; then RELOAD=(--reload); fi
"$PY" manage.py bench_dataset --scale "$BENCH_SCALE" --json "$WORK/dataset.json" "${RELOAD[@]}"
# Keep the timings of the last real load: later runs at the same scale skip the load and report these.
LAST_LOAD="$RESULTS/last-load-${DATABASE_URL##*/}-$BENCH_SCALE.json"
if grep -q '"skipped": false' "$WORK/dataset.json"; then cp "$WORK/dataset.json" "$LAST_LOAD"; fi

say "Static files"
"$PY" manage.py collectstatic --noinput -v0

say "Sessions, API token and one in-process request per page (SQL queries cold/warm)"
"$PY" manage.py bench_prepare --out "$WORK/targets.json" --search-word "$BENCH_SEARCH_WORD" --clear-cache

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
say "gunicorn on 127.0.0.1:$PORT ($BENCH_WORKERS workers × $BENCH_WORKER_THREADS threads, cache: $CACHE_DESC)"
"$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$BENCH_WORKERS" \
  --worker-class gthread --threads "$BENCH_WORKER_THREADS" --backlog 256 --graceful-timeout 5 \
  --error-logfile "$WORK/gunicorn.log" --log-level warning --capture-output &
SERVER_PID=$!

ready=""
for _ in $(seq 1 60); do
  if "$PY" -c "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:$PORT/bench/floor/', timeout=2).status == 200 else 1)" 2>/dev/null; then
    ready=1
    break
  fi
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$ready" ]; then
  echo "gunicorn did not start; its log:" >&2
  cat "$WORK/gunicorn.log" >&2 || true
  exit 1
fi

say "wrk: $BENCH_CONNECTIONS connections, $BENCH_THREADS threads, $BENCH_SECONDS s per page"
SERVER_JSON=$("$PY" -c "import json, sys; print(json.dumps({'server': 'gunicorn', 'worker_class': 'gthread', 'workers': int(sys.argv[1]), 'threads': int(sys.argv[2]), 'settings': 'config.settings.base + API rate budget raised (bench/bench_settings.py)', 'debug': False, 'cache': sys.argv[3], 'sessions': 'cached_db' if sys.argv[4] else 'db'}))" \
  "$BENCH_WORKERS" "$BENCH_WORKER_THREADS" "$CACHE_DESC" "${REDIS_URL:-}")
"$PY" bench/loadrun.py --base-url "http://127.0.0.1:$PORT" --targets "$WORK/targets.json" \
  --dataset "$WORK/dataset.json" --last-load "$LAST_LOAD" --out "$RESULTS/latest.json" --seconds "$BENCH_SECONDS" \
  --connections "$BENCH_CONNECTIONS" --threads "$BENCH_THREADS" --server "$SERVER_JSON"

# A practice-record item refused by /sync/ still answers 200: count the outbox receipts by outcome.
"$PY" manage.py shell -v0 -c "from shikhon.demo import bench_practice; print(bench_practice.report_posted('$RESULTS/latest.json'))"

if [ -s "$WORK/gunicorn.log" ]; then
  say "Server errors logged during the run (last 20 lines)"
  tail -n 20 "$WORK/gunicorn.log"
fi
