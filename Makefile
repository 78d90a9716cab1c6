# Set-up and everyday tasks. On a fresh machine with only Python, `make demo` and `make test` install what they need.
SHELL := /bin/bash
UV_FROM_PATH := $(shell command -v uv 2>/dev/null)
UV ?= $(if $(UV_FROM_PATH),$(UV_FROM_PATH),$(CURDIR)/.tools/bin/uv)
PEOPLE ?= 20000
DEMO_ARGS ?=
PYTEST_ARGS ?=

.PHONY: install demo test lint unit dictionary bench bench-quick clean

$(CURDIR)/.tools/bin/uv:
	python3 -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet uv

.venv/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

install: .venv/.installed  ## create .venv from uv.lock (installs uv first if needed)

demo: install  ## simulate a small city and run the whole pipeline on it
	$(UV) run --frozen grassroots demo --people $(PEOPLE) $(DEMO_ARGS)

lint: install  ## ruff (with the Airflow rules) and mypy
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy grassroots schemas simulator extractors transforms warehouse expectations bench $(wildcard dags/*.py)

test: lint  ## lint, type checks, then the whole test suite
	$(UV) run --frozen pytest -n 2 $(PYTEST_ARGS)

unit: install  ## fast tests only
	$(UV) run --frozen pytest -n 2 tests/unit $(PYTEST_ARGS)

dictionary: install  ## regenerate the analysts' data dictionary from the schemas
	$(UV) run --frozen python -m schemas.dictionary docs/data-dictionary.md

bench: install  ## 1.2M residents (embedded sources, then on PostgreSQL + MariaDB), then 100,000; figures to bench/
	$(UV) run --frozen python -m bench --dialects sqlite,server
	$(UV) run --frozen python -m bench --quick --dialects sqlite,server --skip-demo

bench-quick: install  ## the same at 100,000 residents
	$(UV) run --frozen python -m bench --quick

clean:
	rm -rf .venv .tools var .pytest_cache .mypy_cache .ruff_cache
