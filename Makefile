# Two commands for a newcomer: `make run` and `make test`. Both are idempotent and quiet the second time.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
PIP := $(BIN)/pip install -q --disable-pip-version-check
# Apps that keep their own translation catalogue (APP/locale).
APP_CATALOGUES := emergency portal identity open311 live media analytics oversight
TEST_PG_URL ?= postgres://postgres:postgres@127.0.0.1:5432/amane

.PHONY: run serve test bench lint typecheck imports deps system-deps postgres migrate messages clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip > /dev/null 2>&1 || true

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	@$(PIP) -e . > $(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	@touch $@

$(DEV_STAMP): pyproject.toml $(RUN_STAMP)
	@$(PIP) -e ".[dev]" > $(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	@touch $@

migrate: $(RUN_STAMP)
	@$(BIN)/python manage.py migrate --noinput -v 0

run: migrate
	@AMANE_LIVE_BACKEND=memory $(BIN)/python manage.py load_demo
	@./scripts/run.sh

# Production (README.md, section Production): refuses unless AMANE_ENV=production and every check passes.
serve: $(RUN_STAMP)
	@./scripts/serve.sh

system-deps:
	@./scripts/system-deps.sh

postgres:
	@./scripts/postgres-up.sh

lint: $(DEV_STAMP)
	@$(BIN)/ruff check --quiet .
	@$(BIN)/ruff format --check --quiet .

# Every service, selector and API module, the worker and the audit chain (pyproject makes them disallow untyped definitions).
TYPED := $(sort $(wildcard */services.py */services/*.py */selectors.py */api.py */metrics.py jobs/*.py)) analytics/spatial analytics/management core/gazetteer core/textnorm.py jobs/management audit/chain.py audit/checkpoints.py audit/management

typecheck: $(DEV_STAMP)
	@$(BIN)/mypy --no-error-summary --hide-error-context $(TYPED)

imports: $(DEV_STAMP)
	@$(BIN)/lint-imports --no-cache --show-timings > $(VENV)/imports.log 2>&1 || { cat $(VENV)/imports.log; exit 1; }

test: $(DEV_STAMP) system-deps postgres lint typecheck imports
	@$(BIN)/python manage.py check --fail-level WARNING
	@$(BIN)/python manage.py makemigrations --check --dry-run -v 0
	@echo "== tests on SQLite =="
	@$(BIN)/pytest
	@echo "== tests on PostgreSQL =="
	@AMANE_DATABASE_URL=$(TEST_PG_URL) $(BIN)/pytest

bench: $(DEV_STAMP) postgres
	@$(BIN)/python bench/intake.py
	@$(BIN)/python bench/scale.py
	@$(BIN)/python bench/audit_writes.py
	@$(BIN)/python bench/dispatch.py
	@$(BIN)/python bench/hotspots.py
	@$(BIN)/python bench/media.py
	@$(BIN)/python bench/gazetteer.py

messages: $(DEV_STAMP)
	@$(BIN)/python manage.py makemessages -l ar -l fr -l en --ignore=.venv --ignore=static/vendor --ignore=var --ignore=bench $(APP_CATALOGUES:%=--ignore=%) -v 0
	@for app in $(APP_CATALOGUES); do (cd $$app && DJANGO_SETTINGS_MODULE=amane.settings PYTHONPATH=.. ../$(BIN)/django-admin makemessages -l ar -l fr -l en -v 0); done
	@$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

clean:
	rm -rf var/static var/test_amane.sqlite3
