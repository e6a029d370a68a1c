# The README's two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test setup worker beat lint format messages bench clean lock backup restore

# Everything installed comes from the lock file: every transitive dependency pinned with its
# hashes (`make lock` regenerates it from requirements-dev.txt). Production: requirements.lock.
$(STAMP): requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $(STAMP)

# pip-compile reads only PyPI (no pip configuration or local index of this machine), so the
# hashes are those of the files published there. LOCK_ARGS=--upgrade moves every pin forward.
LOCK_ENV := env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL -u PIP_CONSTRAINT \
	PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock"
PIP_COMPILE := $(LOCK_ENV) $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--index-url=https://pypi.org/simple --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

lock: $(STAMP)
	$(PIP_COMPILE) --output-file=requirements.lock requirements.txt
	$(PIP_COMPILE) --constraint=requirements.lock --output-file=requirements-dev.lock requirements-dev.txt

setup: $(STAMP)
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; else echo 'msgfmt not found: using the committed .mo catalogues'; fi
	$(BIN)/python manage.py migrate --no-input -v 1
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py create_demo_users --if-no-users

# The web server and, with no CELERY_BROKER_URL, a Celery worker with beat on the local
# broker beside it (bin/run-dev). Ctrl-C stops both.
run: setup
	$(BIN)/python bin/run-dev --port $(PORT)

# A worker (one PDF at a time) with the beat scheduler, on CELERY_BROKER_URL.
worker: $(STAMP)
	$(BIN)/celery -A compliance worker --loglevel=INFO --concurrency=1 --beat

# Lint, a migration for every model change, then the suite with a coverage report (pyproject.toml).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DATABASE_URL=sqlite:///:memory: $(BIN)/python manage.py makemigrations --check --dry-run
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; else echo 'msgfmt not found: using the committed .mo catalogues'; fi
	$(BIN)/pytest --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

# Backup and restore (docs/operations.md): BACKUP_DIR is a new or empty folder.
BACKUP_DIR ?= backups/$(shell date -u +%Y%m%dT%H%M%SZ)
backup: $(STAMP)
	$(BIN)/python manage.py backup $(BACKUP_DIR)

# Into an EMPTY database (DATABASE_URL) and an empty MEDIA_ROOT; every SHA-256 is checked.
restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo 'usage: make restore BACKUP=backups/<folder>'; exit 2; }
	$(BIN)/python manage.py restore $(BACKUP)

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l es_MX -l en --ignore=.venv --ignore=bench --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

# The performance goals in one table (bench/run.py: pages interleaved with the trivial view, CPU
# per request, freezing, publishing), written into docs/performance.md. Needs PostgreSQL:
# DATABASE_URL names the base of two databases (<name>_98k, <name>_60k). BENCH_ARGS: e.g. --load.
bench: $(STAMP)
	$(BIN)/python bench/run.py --write-docs $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache .celery .coverage
