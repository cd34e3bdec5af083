#!/usr/bin/env bash
# The demo (`make run`, after the demo data is loaded): the web server, the task worker, the periodic
# sweep and the call simulator, supervised by `manage.py run_demo`, which prints the addresses and the
# logins once. Ctrl-C stops everything and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
# The demo identity provider for citizens and simulated line-19 calls; production refuses both.
export AMANE_OIDC_LOCAL_IDP=${AMANE_OIDC_LOCAL_IDP:-1}
# Demo logins stay one step: no second factor for chiefs, inspectors and administrators (a system
# check refuses AMANE_REQUIRE_2FA=0 when AMANE_ENV=production).
export AMANE_REQUIRE_2FA=${AMANE_REQUIRE_2FA:-0}
export AMANE_DEMO_SIMULATION=${AMANE_DEMO_SIMULATION:-1}
run=(.venv/bin/python manage.py run_demo)
if [ -t 0 ] && [ -t 1 ]; then
  # In a terminal, run it as a foreground job of its own: Ctrl-C then reaches it and not make, which
  # would report an error although everything stopped cleanly.
  set -m
  "${run[@]}" &
  fg %1 >/dev/null
else
  exec "${run[@]}"
fi
