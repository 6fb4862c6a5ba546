# Metacluster: `make demo` runs the platform with demo data, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/metacluster
# Test processes: one per core by default (pytest-xdist); JOBS=0 runs in this process.
JOBS ?= auto
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install demo serve test test-postgres lint browser bench semantic messages clean

$(BIN)/metacluster: pyproject.toml
	bash scripts/bootstrap-debian.sh python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/metacluster

## demo: install, create the SQLite database with demo data, serve on http://127.0.0.1:8000
demo: install
	$(BIN)/metacluster migrate --noinput
	$(BIN)/metacluster load-demo
	$(BIN)/metacluster serve --no-migrate

serve: install
	$(BIN)/metacluster serve

browser:
	bash scripts/bootstrap-debian.sh browser

lint: install
	$(BIN)/ruff check metacluster scripts benchmarks
	$(BIN)/ruff format --check metacluster scripts benchmarks
	$(BIN)/metacluster makemigrations --check --dry-run

## test: lint, migration check, then every test (unit, API, end-to-end in headless Chromium) on SQLite
test: install browser lint
	$(BIN)/pytest -q -n $(JOBS)

## test-postgres: the same tests against PostgreSQL (DATABASE_URL, default $(PG_URL))
test-postgres: install browser
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/pytest -q -n $(JOBS)

## bench: every benchmark in benchmarks/ (about half an hour; see benchmarks/README.md)
bench: install
	$(BIN)/pip install -q -e '.[dev,bench]'
	set -e; for bench in benchmarks/bench_*.py; do echo "== $$bench"; $(BIN)/python $$bench; done

## semantic: the optional sentence-embedding model for matchmaking (a CPU build of PyTorch first,
## since a plain `torch` requirement would fetch a CUDA build of several GB)
semantic: install
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev,semantic]'

## messages: rebuild translation catalogues (needs gettext's msgfmt)
messages: install
	cd metacluster && ../$(BIN)/metacluster makemessages -l sv -l fi -l et -l lv --no-obsolete && ../$(BIN)/metacluster compilemessages

clean:
	rm -rf $(VENV) metacluster.sqlite3 metacluster.sqlite3-wal metacluster.sqlite3-shm staticfiles test-artifacts \
		.metacluster-secret-key celerybeat-schedule job-files
