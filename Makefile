# gatewatch: make demo | make test | make lint | make bench-quick | make bench
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared


.PHONY: services demo demo-sites drills test test-fast lint bench bench-quick venv assets screenshots clean
CHART  := src/gatewatch/web/static/vendor/chart.umd.min.js

$(BIN)/gatewatch: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

venv: $(BIN)/gatewatch assets

## assets: the console's front-end packages, from the npm registry (charts are drawn as tables without them)
assets: $(CHART)

$(CHART): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --silent && mkdir -p $(dir $@) && cp node_modules/chart.js/dist/chart.umd.min.js $@; \
	else echo "npm not found: the console will show the visit-depth chart as a table only"; fi

## demo: serve the Coyoacán example site on http://127.0.0.1:8000 (record in .demo/), printing how to sign in
demo: venv
	scripts/demo.sh

## demo-sites: three example sites (on 8001-8003) and their head office (console on http://127.0.0.1:8100) over NATS and PostgreSQL, records in .demo-sites/
demo-sites: venv
	scripts/demo_sites.sh

## drills: replay the Coyoacán examples and an ordinary day, and print their timelines
drills: venv
	$(BIN)/gatewatch drill examples/coyoacan/*.yaml examples/ordinary-day.yaml examples/sites/*-1940-*.yaml

## services: PostgreSQL, Mosquitto and chromium on loopback for the tests (used if running, else installed and started)
services:
	scripts/services.sh

## test: lint, type-check the core, then every test (drills included); "no tests" is not a failure
test: venv lint services
	$(BIN)/pytest -q; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]

## test-fast: the unit tests only, without the slow ones
test-fast: venv
	$(BIN)/pytest -q -m 'not slow'; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]

## screenshots: every console page at tablet (1024 px) and phone (390 px) widths, into docs/screenshots/
screenshots: venv
	$(BIN)/python scripts/screenshots.py docs/screenshots

lint: venv
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy --strict src/gatewatch

## bench: every benchmark at full size (long: the start-up and screening ones take many minutes)
bench: venv
	$(BIN)/python bench/decision.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/service.py
	$(BIN)/python bench/card_to_unlock.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/names_accuracy.py
	$(BIN)/python bench/screening.py
	$(BIN)/python bench/assessment.py
	$(BIN)/python bench/sites.py

## bench-quick: decision latency, durable ingest and the service under load (SQLite, PostgreSQL), card to unlock (MQTT, OSDP), start-up with and without a snapshot, name matching accuracy, watchlist screening (10k, 100k), the pathway assessment and case reports, many sites into one head office (NATS, PostgreSQL)
bench-quick: venv
	$(BIN)/python bench/decision.py --quick
	$(BIN)/python bench/ingest.py --quick
	$(BIN)/python bench/service.py --quick
	$(BIN)/python bench/card_to_unlock.py --quick
	$(BIN)/python bench/startup.py --quick
	$(BIN)/python bench/names_accuracy.py --quick
	$(BIN)/python bench/screening.py --quick
	$(BIN)/python bench/assessment.py --quick
	$(BIN)/python bench/sites.py --quick

clean:
	rm -rf $(VENV) .demo node_modules src/gatewatch/web/static/vendor .mypy_cache .ruff_cache .pytest_cache .hypothesis
