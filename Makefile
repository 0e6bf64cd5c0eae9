# Puls — `make run` serves the demo, `make test` runs the whole suite. See README.md.
SHELL := /bin/bash
PYTHON_BIN ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres:postgres@127.0.0.1:5432/puls
HOST ?= 127.0.0.1
PORT ?= 8000
SCENARIO ?= all
# Set by .ci/run: fail instead of leaving out the PostgreSQL part when it is unreachable.
REQUIRE_POSTGRES ?= 0
# Test processes (pytest-xdist); each has its own test database.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)

.PHONY: run test test-sqlite test-postgres lint format bench migrations-check install system-deps assets messages demo clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: system-deps $(VENV)/.installed node_modules/.installed messages

# System packages: Chromium (browser tests), Pango (WeasyPrint PDFs), gettext (translations).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	ldconfig -p | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install:$$missing (apt-get install$$missing)"; exit 1; fi; \
	fi

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

assets: node_modules/.installed

demo: install
	mkdir -p var
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_demo

run: demo
	@trap 'kill 0' EXIT; \
	$(PY) manage.py db_worker --queue-name '*' & \
	$(PY) manage.py run_scheduler & \
	$(PY) manage.py demo_logins; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	@rm -f var/test-parts.txt; mkdir -p var
	$(MAKE) --no-print-directory test-sqlite
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)', dbname='postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  $(MAKE) --no-print-directory test-postgres; \
	elif [ "$(REQUIRE_POSTGRES)" = 1 ]; then \
	  echo "PostgreSQL at $(PG_URL) is not reachable, and REQUIRE_POSTGRES=1"; exit 1; \
	else \
	  echo "PostgreSQL not reachable: running the browser and PostgreSQL-only tests on SQLite instead"; \
	  $(PY) -m pytest -m "browser or postgres_only" -p no:cacheprovider -n $(TEST_WORKERS) && \
	    echo browser-sqlite >> var/test-parts.txt && echo postgres-only-sqlite >> var/test-parts.txt; \
	fi
	@echo "Test parts run: $$(tr '\n' ' ' < var/test-parts.txt)"

# Tests marked postgres_only (the URL x role matrix, the cross-tenant test: view wiring, not database
# behaviour) run in test-postgres only; they are deselected here, not skipped.
test-sqlite:
	env -u DATABASE_URL $(PY) -m pytest -m "not browser and not postgres_only" -p no:cacheprovider -n $(TEST_WORKERS)
	@echo sqlite >> var/test-parts.txt

test-postgres:
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -p no:cacheprovider -n $(TEST_WORKERS)
	@echo postgresql >> var/test-parts.txt
	@echo browser-postgresql >> var/test-parts.txt

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r puls config
	$(VENV)/bin/mypy
	$(MAKE) --no-print-directory migrations-check

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: $(VENV)/.installed
	env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run -v 1

bench: install
	$(PY) -m puls.bench $(SCENARIO)

clean:
	rm -rf var/puls.sqlite3* var/static var/media var/test-parts.txt
