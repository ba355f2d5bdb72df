# gatewatch: make demo | make test | make lint | make bench-quick
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared

.PHONY: demo drills test test-fast lint bench-quick venv clean

$(BIN)/gatewatch: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

venv: $(BIN)/gatewatch

## demo: serve the Coyoacán example site on http://127.0.0.1:8000 (record in .demo/), printing how to sign in
demo: venv
	scripts/demo.sh

## drills: replay the Coyoacán examples and an ordinary day, and print their timelines
drills: venv
	$(BIN)/gatewatch drill examples/coyoacan/*.yaml examples/ordinary-day.yaml

## test: lint, type-check the core, then every test (drills included); "no tests" is not a failure
test: venv lint
	$(BIN)/pytest -q; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]

## test-fast: the unit tests only, without the slow ones
test-fast: venv
	$(BIN)/pytest -q -m 'not slow'; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy --strict src/gatewatch

## bench-quick: decision latency, durable ingest (SQLite, PostgreSQL) and start-up with and without a snapshot
bench-quick: venv
	$(BIN)/python bench/decision.py --quick
	$(BIN)/python bench/ingest.py --quick
	$(BIN)/python bench/startup.py --quick

clean:
	rm -rf $(VENV) .demo .mypy_cache .ruff_cache .pytest_cache .hypothesis
