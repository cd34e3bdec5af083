#!/usr/bin/env bash
# Start the web server (gunicorn, 2 workers), the task worker, the periodic scheduler and the audit
# sealer; stop them all on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
BIND=${AMANE_BIND:-127.0.0.1:8000}
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
mkdir -p var/log
# The demo identity provider for citizens; production points AMANE_OIDC_ISSUER at the national one.
export AMANE_OIDC_LOCAL_IDP=${AMANE_OIDC_LOCAL_IDP:-1}
$BIN/python manage.py db_worker >>var/log/worker.log 2>&1 & pids+=($!)
$BIN/python manage.py run_periodic >>var/log/periodic.log 2>&1 & pids+=($!)
$BIN/python manage.py audit_sealer >>var/log/audit-sealer.log 2>&1 & pids+=($!)
# A living demo: line-19 calls at a gentle rate in Rabat (the demo dispatcher's wilaya).
if [ "${AMANE_DEMO_SIMULATION:-1}" = "1" ]; then
  $BIN/python manage.py simulate_calls --city Rabat --rate "${AMANE_DEMO_CALL_RATE:-2}" -v 0 >>var/log/simulate.log 2>&1 & pids+=($!)
fi
$BIN/gunicorn amane.wsgi:application --workers "${AMANE_WEB_WORKERS:-2}" --worker-class gthread --threads "${AMANE_WEB_THREADS:-8}" --graceful-timeout 5 --bind "$BIND" \
  --access-logfile var/log/access.log --error-logfile var/log/server.log & pids+=($!)
host=${BIND%:*}; port=${BIND##*:}
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && break
  sleep 0.2
done
cat <<MSG

  Amane is running.
  Staff:             http://$BIND/cases/      (line-19 board: http://$BIND/emergency/board/)
  Citizen portal:    http://$BIND/
  API documentation: http://$BIND/api/docs
  Demo logins (password: amane-demo):
    desk.rabat          front-desk officer, Rabat district
    inv.rabat           investigator, same district
    chief.rabat         chief of that district
    chief.wilaya.rabat  chief of the Rabat wilaya
    inspector           Inspectorate (complaints against officers)
    dispatch.rabat      dispatcher, Rabat command room (line-19 board)
    patrol.rabat.1      patrol officer (phone page /emergency/patrol/)
    admin               administrator (outbox of citizen notifications: /outbox/)
  Citizens sign in on the portal through the demo identity provider (fictional people).
  Logs: var/log/   Stop: Ctrl-C

MSG
wait -n "${pids[@]}"
