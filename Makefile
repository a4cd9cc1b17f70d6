# Vertaistuki: `make run` to try it, `make test` to check it. Both set up what is missing.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/vertaistuki
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-sqlite test-postgres migrations-check bench install messages chromium libreoffice lint \
	format clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Translations are compiled from the .po files in the repository, never committed as .mo.
messages: install
	@command -v msgfmt >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq gettext; }
	$(PY) manage.py compilemessages --ignore=.venv -v0

chromium:
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# LibreOffice (headless Calc) opens the exports as a Finnish office user would (tests/cms/test_exports.py).
libreoffice:
	@command -v soffice >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libreoffice-calc-nogui; }

# DEBUG off (the site's own error pages, as a visitor sees them) and links on this address.
run: export BASE_URL ?= http://$(HOST):$(PORT)
run: messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo
	$(PY) manage.py serve --addr $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The whole suite, once on SQLite and once on PostgreSQL, after lint and a check that the
# migrations match the models. Each run takes every test its database can run: the SQLite run
# deselects the tests marked postgres, the PostgreSQL run those marked sqlite, browser tests
# included (pages read and write through either engine). On a machine with PostgreSQL and
# Chromium no test is skipped; in CI (CI set) a skipped test fails. Benchmarks (`make bench`)
# are not collected. Two processes (pytest-xdist); the live tests (real processes, a fixed
# Redis database) run one after the other in one of them (--dist loadgroup).
XDIST ?= -n 2 --dist loadgroup
PG_ANSWERS = $(PY) -c "import psycopg; psycopg.connect('$(dir $(PG_URL))postgres', connect_timeout=3)"

test: messages chromium libreoffice lint migrations-check test-sqlite test-postgres

migrations-check: install
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py makemigrations --check --dry-run -v1

test-sqlite: messages chromium libreoffice
	@echo "== The suite on SQLite"
	@start=$$SECONDS; $(PY) -m pytest -m "not postgres" $(XDIST) $(PYTEST_ARGS); status=$$?; \
	  echo "== SQLite run: $$((SECONDS - start)) s"; exit $$status

test-postgres: messages chromium libreoffice
	@if $(PG_ANSWERS) 2>/dev/null; then \
	  echo "== The suite on PostgreSQL ($(PG_URL), test databases test_$(notdir $(PG_URL))_gw*)"; \
	  start=$$SECONDS; \
	  TEST_DATABASE_URL=$(PG_URL) $(PY) -m pytest -m "not sqlite" $(XDIST) $(PYTEST_ARGS); \
	  status=$$?; echo "== PostgreSQL run: $$((SECONDS - start)) s"; exit $$status; \
	elif [ -n "$$CI" ]; then \
	  echo "PostgreSQL does not answer at $(PG_URL), and CI must run the suite on it."; exit 1; \
	else \
	  echo "PostgreSQL does not answer at $(PG_URL): the suite did not run on it."; \
	fi

# Benchmarks, never part of `make test` (tests/bench/run.py): seeds the scale-BENCH_SCALE data
# set into BENCH_DB (a scratch PostgreSQL database, kept between runs), then measures pages,
# reports, register, schedule, expert import, and an HTTP load run (gunicorn, 4 workers, 200
# simultaneous enrolments for 10 places, on PostgreSQL and Redis as deployed; then once without
# Redis for comparison); writes bench/results.json and prints a summary.
# A bot's burst follows: 1,000 enrolment and login POSTs from one address in a minute (429s, no 5xx).
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/vertaistuki_bench
BENCH_SCALE ?= 10
# The load run's Redis (emptied by it): the cache and broker of the deployment it measures.
BENCH_REDIS ?= redis://127.0.0.1:6379/14
bench: messages
	@$(PY) -c "import psycopg; psycopg.connect('$(dir $(BENCH_DB))postgres', autocommit=True).execute('CREATE DATABASE $(notdir $(BENCH_DB))')" 2>/dev/null || true
	@# The bot's burst runs even when a target of run.py was missed; make fails after it.
	DATABASE_URL=$(BENCH_DB) BENCH_SCALE=$(BENCH_SCALE) BENCH_REDIS_URL=$(BENCH_REDIS) $(PY) tests/bench/run.py $(BENCH_ARGS); \
	status=$$?; \
	DATABASE_URL=$(BENCH_DB) $(PY) tests/bench/abuse_http.py --requests 1000 --seconds 60 || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) db.sqlite3* static_collected
