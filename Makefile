# Cartshare: `make run` starts the shop, `make test` runs the whole suite. `make help` lists all.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install migrate demo run serve test test-next-django lint format browser clean messages

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet ".[dev]"
	touch $@

install: $(VENV)/.installed ## Create .venv, install the pinned dependencies, compile the translations
	$(PYTHON) -m config.catalogs

migrate: install ## Create or upgrade the database (SQLite in var/, or DATABASE_URL)
	$(PYTHON) manage.py migrate --noinput
	$(PYTHON) manage.py createcachetable

demo: migrate ## Load the demo data (safe to run again: it changes nothing the second time)
	$(PYTHON) manage.py load_demo

run: demo ## Install, migrate, load the demo data and serve http://127.0.0.1:8000 (HOST, PORT), with the mail worker
	@echo "Cartshare on http://$(HOST):$(PORT)  (log in as alice@acme.example / demo1234; mail in var/mail/)"
	$(PYTHON) -m config.stack -- $(VENV)/bin/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --no-access-log --no-proxy-headers

serve: install ## The production stack on one machine: gunicorn workers, the stream processes, the task worker (needs SECRET_KEY; HOST, PORT, WORKERS)
	@test -n "$$SECRET_KEY" || { echo "make serve needs SECRET_KEY (production settings), e.g. SECRET_KEY=\$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"; exit 2; }
	DJANGO_SETTINGS_MODULE=config.settings.production $(PYTHON) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.production $(PYTHON) manage.py createcachetable
	DJANGO_SETTINGS_MODULE=config.settings.production $(PYTHON) manage.py collectstatic --noinput -v0
	@echo "Cartshare (production settings) on http://$(HOST):$(PORT): $(WORKERS) gunicorn workers, 2 stream processes and 1 task worker; Ctrl-C stops them all"
	DJANGO_SETTINGS_MODULE=config.settings.production $(PYTHON) -m config.stack -- $(PYTHON) -m config.serve --host $(HOST) --port $(PORT) --workers $(WORKERS) --no-access-log

lint: install ## ruff, mypy (django-stubs), Django's system checks, and a check for missing migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	DJANGO_SETTINGS_MODULE=config.settings.test $(PYTHON) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(PYTHON) manage.py makemigrations --check --dry-run

test: lint ## The whole suite (SQLite; PostgreSQL when DATABASE_URL points there)
	$(PYTHON) -m pytest $(PYTEST_ARGS)

test-next-django: ## The suite (SQLite, no browser) against the newest Django in .venv-next (NEXT_DJANGO)
	.ci/next-django

messages: install ## Update every language's catalogs from the sources (needs GNU gettext), then compile them
	$(PYTHON) -m config.catalogs --update

format: install ## Fix formatting and the lint findings ruff can fix
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

browser: ## Install Debian's Chromium for the browser tests (needs root)
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

clean: ## Remove the virtualenvs and the local database
	rm -rf $(VENV) .venv-next var

.PHONY: model fuzz
MODEL_EXAMPLES ?= 500
MODEL_STEPS ?= 50
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= share_token if_match idempotency_key expiry quantities json_bodies

model: install ## The model-based test of the sharing rules, long: MODEL_EXAMPLES stories of MODEL_STEPS steps
	CARTSHARE_HYPOTHESIS_EXAMPLES=$(MODEL_EXAMPLES) CARTSHARE_HYPOTHESIS_STEPS=$(MODEL_STEPS) \
		$(PYTHON) -m pytest tests/model -q

fuzz: install ## Fuzz every outside-input parser with atheris, FUZZ_SECONDS each (crashes in var/fuzz/artifacts/)
	@for target in $(FUZZ_TARGETS); do \
		echo "== fuzz $$target for $(FUZZ_SECONDS) s"; \
		mkdir -p var/fuzz/corpus/$$target; \
		$(PYTHON) -m tests.fuzz.run $$target var/fuzz/corpus/$$target -max_total_time=$(FUZZ_SECONDS) \
			-print_final_stats=1 || exit 1; \
	done

.PHONY: bench bench-live bench-live-quick bench-stacks
bench: install ## Benchmark link opens, concurrent edits and live events against their floors (bench/README.md)
	$(PYTHON) bench/run.py

bench-stacks: install ## Only the serving stacks: make serve's floor against plain gunicorn sync's (and uvicorn's), same run
	$(PYTHON) -m bench.stacks

bench-live: install ## Only the live events: edit-to-event latency with 1 to 1,000 streams, throughput, memory
	$(PYTHON) -m bench.live

bench-live-quick: install ## The live events with 1, 10 and 100 streams and short runs (about a minute)
	BENCH_LIVE_QUICK=1 $(PYTHON) -m bench.live

.PHONY: chaos
chaos: install ## Faults under load: the production stack on its own PostgreSQL, restarts, kills, timeouts; nothing acknowledged lost (chaos/README.md; CHAOS_SECONDS)
	$(PYTHON) -m chaos.run --readme chaos/README.md
