# dossier: `make site` builds the default dossier, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: site test lint bench watch report clean

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.test-installed: $(BIN)/.installed requirements-test.txt requirements-dask.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

site: $(BIN)/.installed
	$(BIN)/python build.py build $(ARGS)

watch: $(BIN)/.installed
	$(BIN)/python build.py watch $(ARGS)

bench: $(BIN)/.test-installed
	$(BIN)/python bench/bench.py $(ARGS)

report: $(BIN)/.installed
	$(BIN)/python build.py report $(ARGS)

test: $(BIN)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

lint: $(BIN)/.test-installed
	$(BIN)/ruff check .

clean: $(BIN)/.installed
	$(BIN)/python build.py clean
