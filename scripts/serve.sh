#!/usr/bin/env bash
# Production entry point (`make serve`; README.md, section Production): refuses unless
# AMANE_ENV=production and every check passes, then migrates, collects the static files and
# supervises the web server, the task worker(s), the periodic sweep and the audit sealer until
# SIGTERM. Logs go to stdout (or to files under AMANE_LOG_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
serve=("${AMANE_PYTHON:-.venv/bin/python}" manage.py serve)
if [ -t 0 ] && [ -t 1 ]; then
  set -m  # by hand in a terminal: Ctrl-C reaches the server, not make (see scripts/run.sh)
  "${serve[@]}" &
  fg %1 >/dev/null
else
  exec "${serve[@]}"
fi
