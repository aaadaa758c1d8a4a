# One command sets everything up: the virtualenv is (re)built whenever pyproject.toml changes.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: lint links test check format clean docs bench

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("guidelint needs Python 3.11 or newer" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $(BENCH_STAMP)

## Lint the bundled guides.
lint: $(STAMP)
	$(BIN)/guidelint lint

## Check every resource link as the weekly link-health workflow does: the run history
## stays in .guidelint/, the reports go to reports/. Exit 1 means links need attention.
links: $(STAMP)
	mkdir -p reports
	$(BIN)/guidelint links \
	  --state .guidelint/links-history.sqlite --baseline guides/links-baseline.json \
	  --report json=reports/links.json \
	  --report markdown=reports/links.md \
	  --report html=reports/links.html

## Regenerate docs/rules.md from the rule modules and the verdict table of
## docs/links-json.md from links/model.py (a test fails while either is stale).
docs: $(STAMP)
	@mkdir -p docs
	$(BIN)/guidelint rules --format markdown > docs/rules.md
	$(BIN)/python -m guidelint.links.verdictdocs docs/links-json.md

## Static checks and the test suite.
test: check
	$(BIN)/pytest

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Benchmarks against lychee and check-jsonschema (a few minutes; see bench/README.md).
## BENCH_ARGS passes options, e.g. BENCH_ARGS=--check to fail on a missed target.
bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py --results bench/RESULTS.md $(BENCH_ARGS)

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build dist
