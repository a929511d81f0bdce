# Two commands on a fresh machine: `make run` (a populated demo on http://127.0.0.1:8000) and
# `make test` (the whole suite). With DATABASE_URL and REDIS_URL set, both use PostgreSQL and
# Redis; otherwise SQLite, in-process tasks and console e-mail.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Development default; production sets DEBUG=false and a SECRET_KEY in its environment.
export DEBUG ?= true

.PHONY: install run test lint format messages clean demo-codes fuzz load backup bench

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_demo_data
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest

# Fuzz the REST API against its OpenAPI schema (Schemathesis), 100 examples per operation and
# role, with the schema's examples and the coverage phase; CI runs 10 generated examples each.
FUZZ_EXAMPLES ?= 100
fuzz: install
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_PHASES=examples,coverage,fuzzing $(PY) -m pytest tests/fuzz -q

# 60 s of mixed traffic from 50 users against gunicorn on loopback (scripts/load.sh).
load: install node_modules/.installed
	bash scripts/load.sh

# The current two-factor codes of the demo's supervisors and officers.
demo-codes: install
	$(PY) manage.py demo_totp

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Benchmarks at SCALE listings (a tenth as many enterprises) on PostgreSQL and Redis, from
# DATABASE_URL and REDIS_URL: a fresh database portal_bench on the same server and Redis
# database 15. Writes bench-reports/<timestamp>-<scale>/report.md and report.json; see the
# README's Performance section. Needs wrk (apt-get install wrk) for the HTTP scenario.
SCALE ?= 5000
bench: install
	$(PY) -m bench.run --scale $(SCALE) $(BENCH_ARGS)

# Refresh the English catalogue after changing user-facing strings, translate what is new in
# locale/en/LC_MESSAGES/django.po, then run again to compile. Both django.po and django.mo are
# committed, so the portal runs without gettext. Third-party trees are ignored by both commands:
# compilemessages would otherwise rewrite the .mo files of packages inside .venv.
MESSAGES_IGNORE := --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*' --ignore 'static/vendor/*'
messages: install
	@command -v msgfmt >/dev/null || { echo "messages: GNU gettext is needed (apt-get install gettext)" >&2; exit 1; }
	$(PY) manage.py makemessages --locale en --no-obsolete $(MESSAGES_IGNORE)
	$(PY) manage.py compilemessages --locale en $(MESSAGES_IGNORE)
	@msgfmt --check --statistics -o /dev/null locale/en/LC_MESSAGES/django.po

clean:
	rm -rf $(VENV) node_modules var .pytest_cache
