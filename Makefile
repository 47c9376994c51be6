# Set-up and everyday commands. Both entry points create .venv themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
EXAMPLE_FORM     := examples/xiaoguwei-declared.txt
EXAMPLE_ACTUALS  := examples/xiaoguwei-actuals.csv
EXAMPLE_FORMULAS := examples/xiaoguwei-formulas.tsv

.PHONY: demo test lint typecheck unit bench golden screenshots clean

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
# 1. every formula of the form with its kind, variables and a worked value;
# 2. the reviewer's check of the declared form (exit 1 means "errors found", which the seed has);
# 3. the year-end self-evaluation with the example actual values.
demo: $(BIN)/.installed-run
	@echo "== 1/3 计算公式  indicators formula table $(EXAMPLE_FORMULAS)"
	@$(BIN)/indicators formula table $(EXAMPLE_FORMULAS)
	@echo
	@echo "== 2/3 审核申报表  indicators check $(EXAMPLE_FORM)"
	@$(BIN)/indicators check $(EXAMPLE_FORM) || test $$? -eq 1
	@echo
	@echo "== 3/3 绩效自评  indicators score $(EXAMPLE_FORM) --actuals $(EXAMPLE_ACTUALS)"
	@$(BIN)/indicators score $(EXAMPLE_FORM) --actuals $(EXAMPLE_ACTUALS)

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

## screenshots: the web page in headless Chromium, saved to docs/images (shown in README)
screenshots: $(BIN)/.installed-dev
	SCREENSHOTS=docs/images $(BIN)/python -m pytest -q tests/service/test_browser.py

clean:
	rm -rf $(VENV) dist build .mypy_cache .ruff_cache .pytest_cache
