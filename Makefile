# The two commands of the README: `make demo` runs the app, `make test` runs the tests.
# Both need only Python 3.11 and make: they create .venv and install the locked packages.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: install demo test bench lint format messages schema clean backup restore

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		-r requirements/base.txt -r requirements/dev.txt
	@touch $@

install: $(VENV)/.installed

# SQLite, tasks in-process, demo data and accounts, at http://127.0.0.1:8000
demo: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo "Reminders: without Redis nothing sweeps by itself; in another terminal run"
	@echo "  $(BIN)/python manage.py send_reminders --loop 15   (e-mails print to the console)"
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite, in parallel; DATABASE_URL and REDIS_URL select PostgreSQL and Redis.
test: install
	DJANGO_SETTINGS_MODULE=npc_tracker.settings_test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# The benchmark against the machine's PostgreSQL (docs/performance.md): at most 15 minutes;
# SMOKE=1 for a short run that checks the harness. BENCH_ARGS passes more options.
BENCH_ARGS ?=
bench: install
	$(BIN)/python bench/run.py $(if $(SMOKE),--smoke) $(BENCH_ARGS)

# Style, and the layout's dependency direction (the import contracts in pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Needs GNU gettext (apt-get install gettext); the compiled catalog is committed.
messages: install
	DJANGO_SETTINGS_MODULE=npc_tracker.settings_test $(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --no-location --ignore=.venv --ignore=tests
	DJANGO_SETTINGS_MODULE=npc_tracker.settings_test $(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

# The API's OpenAPI schema, committed as docs/api/openapi.yaml (English; a warning fails);
# tests/api/test_schema.py fails when the code and the file disagree.
schema: install
	DJANGO_SETTINGS_MODULE=npc_tracker.settings_test $(BIN)/python manage.py spectacular --lang en --validate --fail-on-warn --file docs/api/openapi.yaml

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# The database (pg_dump) and the media folder into backups/, as deploy/backup.sh says;
# DATABASE_URL from the environment or .env (docs/deploy.md, "Backups").
backup:
	bash deploy/backup.sh

# make restore FILE=backups/npc-....dump [MEDIA=backups/npc-....media.tar.gz]
restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/npc-....dump [MEDIA=...media.tar.gz]" >&2; exit 2; }
	bash deploy/restore.sh "$(FILE)" $(if $(MEDIA),"$(MEDIA)")
