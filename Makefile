# Set-up and everyday commands. Both entry points create .venv themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
EXAMPLE_FORM    := examples/xiaoguwei-declared.txt

.PHONY: demo test lint typecheck unit bench golden clean

$(BIN)/.installed-run: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(BIN)/.installed-dev: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(BIN)/.installed-run

## demo: the main job on the bundled example form
demo: $(BIN)/.installed-run
	$(BIN)/indicators formula table examples/xiaoguwei-formulas.tsv

## test: ruff, mypy --strict and the whole pytest suite
test: lint typecheck unit

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check src tests benchmarks

typecheck: $(BIN)/.installed-dev
	$(BIN)/mypy

unit: $(BIN)/.installed-dev
	$(BIN)/python -m pytest -q

## bench: speed figures (not part of the tests)
bench: $(BIN)/.installed-dev
	$(BIN)/python -m benchmarks

## golden: regenerate golden files after a reviewed change of output
golden: $(BIN)/.installed-dev
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests -k golden

clean:
	rm -rf $(VENV) dist build .mypy_cache .ruff_cache .pytest_cache
