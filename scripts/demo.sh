#!/usr/bin/env bash
# Starts the production-style web server and the task worker; Ctrl-C stops both.
set -euo pipefail
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
BIN=$(dirname "$PY")
export DJANGO_SETTINGS_MODULE=config.settings.dev
# Certificates print this address and encode it in their QR codes: the demo's own, unless set.
export SHIKHON_PUBLIC_URL="${SHIKHON_PUBLIC_URL:-http://127.0.0.1:${PORT}}"

"$PY" manage.py demo_data
# Certificates stored by an earlier run on another address are drawn again with this one (by the worker).
"$PY" manage.py certificate_pdfs_refresh
echo
echo "Shikhon is starting on http://127.0.0.1:${PORT}/  (Ctrl-C stops the web server and the worker)"
echo "Certificates and their QR codes point at ${SHIKHON_PUBLIC_URL}"

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Stopped."
}
trap stop INT TERM EXIT

# --limit-request-line: gunicorn answers longer request lines with its own HTML 414; the API answers JSON a
# little below it (SHIKHON_API_MAX_REQUEST_LINE, 4000).
"$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:${PORT}" --workers 2 --threads 4 \
  --limit-request-line 4094 \
  --env DJANGO_SETTINGS_MODULE=config.settings.dev --access-logfile - --graceful-timeout 5 &
pids+=($!)
"$PY" manage.py run_worker &
pids+=($!)
wait -n "${pids[@]}"
