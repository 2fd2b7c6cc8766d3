# The two commands: `make demo` and `make test`. Everything else is what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Test processes: one per core (pytest-xdist; each gets its own test database). Each module's
# tests go to one process (--dist loadscope), so data a module shares is built once
# (tests/fixtures/, decision 0018); modules are handed out heaviest first, in the order
# tests/fixtures/ordering.py gives them (--no-loadscope-reorder).
PYTEST_WORKERS ?= auto
XDIST := -n $(PYTEST_WORKERS) --dist loadscope --no-loadscope-reorder

.PHONY: help setup demo test test-fast lint format lock messages smoke backup-roundtrip bench load clean

help:
	@echo "make demo   set up and serve the app with demo data on http://$(HOST):$(PORT) (SQLite)"
	@echo "make test   set up and run the whole suite (throwaway PostgreSQL + Chromium)"
	@echo "make lint   ruff check and ruff format --check"

$(VENV)/.installed: requirements.lock
	@scripts/system-deps build
	@python=$$(scripts/find-python) && echo "Using $$python" && \
	  { [ -x $(PY) ] || $$python -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(VENV)/.installed
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

setup: $(VENV)/.installed node_modules/.installed locale/vi/LC_MESSAGES/django.mo

# System packages first (installed as root, named otherwise), then the project's own setup.
# The background worker (mail, reminders, the daily lifecycle: decision 0031) runs beside the
# server and stops with it.
demo:
	@scripts/system-deps demo
	@$(MAKE) --no-print-directory setup
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	@$(MANAGE) db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver $(HOST):$(PORT)

test:
	@scripts/system-deps test
	@$(MAKE) --no-print-directory setup
	scripts/with-postgres $(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

# Without the browser journeys, for a quick loop while coding.
test-fast: setup
	scripts/with-postgres $(PY) -m pytest $(XDIST) -m "not browser" $(PYTEST_ARGS)

# The embedded default must not rot: demo setup on a fresh SQLite file, then each main page.
smoke: setup
	scripts/smoke-sqlite

# A backup restored and checked on a throwaway PostgreSQL: the demo data dumped (pg_dump -Fc)
# with its media, restored into a second database and directory, the audit chain verified, the
# files matched to their rows, every table compared (scripts/backup-roundtrip, decision 0032).
backup-roundtrip:
	@scripts/system-deps test
	@$(MAKE) --no-print-directory setup
	scripts/with-postgres scripts/backup-roundtrip

# Public pages and open-data API on a national-scale data set (throwaway PostgreSQL, gunicorn):
# prints a Markdown report (bench/README.md, docs/benchmarks.md). BENCH_ARGS e.g. --duration 30.
bench: setup
	scripts/with-postgres $(PY) bench/public_api.py $(BENCH_ARGS)

# 60 s at 50 users over public pages, the API, login and a score sheet (bench/locustfile.py)
# on the demo data, gunicorn and a throwaway PostgreSQL: fails on any 5xx or failure.
load:
	@scripts/system-deps test
	@$(MAKE) --no-print-directory setup
	scripts/load-check

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(VENV)/.installed
	$(MANAGE) makemessages -l vi --ignore=.venv --ignore=node_modules --no-obsolete
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

# Regenerate requirements.lock from pyproject.toml in a clean virtualenv.
lock:
	@python=$$(scripts/find-python) && tmp=$$(mktemp -d) && $$python -m venv $$tmp && \
	  $$tmp/bin/pip install --quiet --disable-pip-version-check ".[test]" && \
	  $$tmp/bin/pip freeze --exclude ocop-registry > requirements.lock && rm -rf $$tmp
	@echo "requirements.lock updated"

clean:
	rm -rf $(VENV) node_modules var
