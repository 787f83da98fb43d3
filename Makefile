# Shikhon — `make demo` to run it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: demo install migrate demodata test lint typecheck unit pytest bench lock messages clean lighthouse

$(VENV)/.installed: requirements/lock.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.8
	$(UV) pip install --quiet --python $(PY) -r requirements/lock.txt
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	touch $@

install: $(VENV)/.installed

# collectstatic compresses every file (Swagger UI included); redo it only when a static file or the lock changes.
STATIC_SOURCES := $(shell find static -type f 2>/dev/null)
var/static/.collected: $(VENV)/.installed $(STATIC_SOURCES)
	mkdir -p var
	$(PY) manage.py collectstatic --noinput -v0
	touch $@

migrate: install var/static/.collected
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0

demodata: migrate
	$(PY) manage.py demo_data

# Web server (gunicorn + whitenoise, production-style) and the task worker; Ctrl-C stops both.
# SHIKHON_PUBLIC_URL (printed on certificates and in their QR codes) is the demo's own address unless already set,
# so a demo certificate's QR code opens on the demo.
demo: migrate
	PORT=$(PORT) PY=$(PY) SHIKHON_PUBLIC_URL="$${SHIKHON_PUBLIC_URL:-http://127.0.0.1:$(PORT)}" bash scripts/demo.sh

lint: install
	mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy shikhon config
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) scripts/check_messages.py

# The suite runs in parallel (pytest-xdist, one process per core; PYTEST_WORKERS=0 runs it in one process).
# --dist loadfile keeps the tests of one file on one worker, in order; each worker has its own browser-test
# server. Then the tests marked `alone` (Lighthouse's timings: a second worker's load on a 2-core machine adds
# 50-300 ms of blocking time to what it measures) run by themselves, in one process, on a machine with nothing
# else of ours running. PYTEST_WRAPPER runs pytest under another command (CI's clock run: faketime).
# pytest exits 5 when it collects no test: fine for a selection in PYTEST_ARGS (and for the `alone` step, which
# a selection or --ignore may leave empty), broken for the whole suite.
PYTEST_WORKERS ?= auto
# The parallel step's marker expression (CI's clock run adds "and not clock_free").
PYTEST_MARKERS ?= not alone
PYTEST_WRAPPER ?=
# The `alone` step's marker expression (CI's SQLite part leaves out page_measure).
PYTEST_ALONE_MARKERS ?= alone
PYTEST_PARALLEL = $(if $(filter 0,$(PYTEST_WORKERS)),-p no:xdist,-n $(PYTEST_WORKERS) --dist loadfile)
PYTEST_RUN = DJANGO_SETTINGS_MODULE=config.settings.test $(PYTEST_WRAPPER) $(VENV)/bin/pytest
pytest: install
	@rc=0; $(PYTEST_RUN) $(PYTEST_PARALLEL) --durations=10 -m "$(PYTEST_MARKERS)" $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then \
	  if [ -n '$(strip $(PYTEST_ARGS))' ]; then echo "pytest: no test matched PYTEST_ARGS; nothing to run."; rc=0; \
	  else echo "pytest: no test was collected (exit 5): the test paths or settings are broken."; fi; \
	fi; \
	alone=0; $(PYTEST_RUN) -p no:xdist -m "$(PYTEST_ALONE_MARKERS)" $(PYTEST_ARGS) || alone=$$?; \
	if [ $$alone -eq 5 ]; then alone=0; fi; \
	if [ $$rc -eq 0 ]; then rc=$$alone; fi; exit $$rc

test: lint pytest

# Lighthouse (tests/browser/test_lighthouse.py), pinned by tools/lighthouse/package-lock.json, into its git-ignored
# node_modules; the test installs it too on first use. Without npm or network: skipped, except under CI=true.
LIGHTHOUSE_DIR := tools/lighthouse
lighthouse:
	@if [ -x $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse ] && \
	  [ $(LIGHTHOUSE_DIR)/node_modules/.package-lock.json -nt $(LIGHTHOUSE_DIR)/package-lock.json ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  cd $(LIGHTHOUSE_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm is missing: the Lighthouse test will be skipped (apt-get install nodejs npm)"; \
	  [ "$${CI:-}" != true ]; fi

bench: install
	bash bench/run.sh

messages: install
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py makemessages -l bn --no-location --no-obsolete -i '.venv/*' -i 'var/*' -i 'bench/*'
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py compilemessages -l bn -i '.venv' -i 'var'

lock:
	$(UV) pip compile pyproject.toml --extra dev -o requirements/lock.txt

clean:
	rm -rf var
