#!/usr/bin/env bash
# Serving benchmark of the scorecards under gunicorn, on 127.0.0.1 only:
# requests per second of the agency scorecard (published = frozen snapshot), the national
# panorama and a trivial one-row view, measured with wrk in the same run against the same server.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_score_bench bash bench/serve.sh
#
# Env: PORT (8101), WORKERS (2), DURATION (10s), CONNECTIONS (4), THREADS (1), and any option of
# bench/scorecards.py in BENCH_ARGS (e.g. "--agencies 150 --per-agency 40"). Needs wrk
# (Debian: apt-get install wrk). Requests are bounded by DURATION; gunicorn is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8101}"
WORKERS="${WORKERS:-2}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-4}"
THREADS="${THREADS:-1}"
PY=.venv/bin/python
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database of its own, e.g. postgres://postgres@127.0.0.1:5432/h_score_bench}"

export DJANGO_SETTINGS_MODULE=bench.settings DEBUG=False CONN_MAX_AGE=60
export SECRET_KEY="${SECRET_KEY:-bench-only-secret-key-not-for-production-0123456789}"

session_file="$(mktemp)"
trap 'rm -f "$session_file"; [[ -n "${gunicorn_pid:-}" ]] && kill "$gunicorn_pid" 2>/dev/null; true' EXIT

# shellcheck disable=SC2086
$PY bench/scorecards.py --prepare-only --session-file "$session_file" ${BENCH_ARGS:-}

if curl -s -o /dev/null "http://127.0.0.1:${PORT}/"; then
  echo "port ${PORT} is already in use: stop that server or set PORT" >&2
  exit 2
fi
.venv/bin/gunicorn compliance.wsgi:application --bind "127.0.0.1:${PORT}" --workers "$WORKERS" \
  --access-logfile /dev/null --error-logfile /tmp/bench-gunicorn.log --log-level warning &
gunicorn_pid=$!
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:${PORT}/health/" && break; sleep 0.2; done
kill -0 "$gunicorn_pid" 2>/dev/null || { echo "gunicorn did not start, see /tmp/bench-gunicorn.log" >&2; exit 1; }

field() { $PY -c "import json,sys; d=json.load(open('$session_file')); print(eval(sys.argv[1]))" "$1"; }
cookie_name="$(field "d['cookie_name']")"

run() { # label, url path, session role
  local label="$1" path="$2" role="$3" cookie out rps lat
  cookie="${cookie_name}=$(field "d['$role']")"
  # warm-up (freezing, caches, connections), then the measured run
  for _ in 1 2 3; do curl -fs -o /dev/null -H "Cookie: $cookie" "http://127.0.0.1:${PORT}${path}"; done
  status="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:${PORT}${path}")"
  [[ "$status" == 200 ]] || { echo "$label: HTTP $status for $path" >&2; exit 1; }
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $cookie" "http://127.0.0.1:${PORT}${path}")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  lat="$(awk '/^ +50%/ {print $2}' <<<"$out")"
  printf '%-42s %10s req/s   median latency %s\n' "$label" "$rps" "$lat"
  RESULTS+=("$label|$rps")
}

RESULTS=()
echo "gunicorn ${WORKERS} sync workers on 127.0.0.1:${PORT}; wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION}"
run "trivial one-row view" "$(field "d['urls']['trivial']")" secretariat
run "agency scorecard, published (frozen)" "$(field "d['urls']['agency_published']")" secretariat
run "agency scorecard, published, as its liaison" "$(field "d['urls']['agency_published']")" liaison
run "national panorama, published (frozen)" "$(field "d['urls']['national_published']")" secretariat
run "agency scorecard, closed cycle (live)" "$(field "d['urls']['agency_live']")" auditor
run "national panorama, closed cycle (live)" "$(field "d['urls']['national_live']")" auditor

base="${RESULTS[0]#*|}"
echo
echo "ratio to the trivial view (req/s):"
for entry in "${RESULTS[@]:1}"; do
  printf '  %-42s %s\n' "${entry%%|*}" "$($PY -c "print(f'{${entry#*|} / ${base}:.2f}')")"
done
