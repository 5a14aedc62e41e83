# Parley: `make up` runs the suite, `make test` runs every check. Both set themselves up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.parley-runtime
DEV_STAMP := $(VENV)/.parley-dev
PYTEST_ARGS ?=

.PHONY: up test lint typecheck contracts unit bench slow clean-data

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev]'
	touch $(RUNTIME_STAMP) $@

up: $(RUNTIME_STAMP)
	$(VENV)/bin/parley up

test: $(DEV_STAMP)
	bash scripts/ensure-test-tools.sh
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m proto.catalog
	$(PY) -m gateway.openapi
	bash scripts/run-tests.sh $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(PY) -m ruff check .

typecheck: $(DEV_STAMP)
	$(PY) -m mypy

contracts: $(DEV_STAMP)
	$(PY) -m proto.catalog --write
	$(PY) -m gateway.openapi --write

slow: $(DEV_STAMP)
	bash scripts/ensure-test-tools.sh
	$(PY) -m pytest -m slow $(PYTEST_ARGS)

bench: $(DEV_STAMP)
	for b in $$(grep -l "__main__" benchmarks/*.py); do $(PY) $$b --quick || exit 1; done

clean-data:
	rm -rf .parley
