# Every command sets itself up on a fresh machine with Python 3.11+ and make:
#   make serve   install, build and serve the edition on http://127.0.0.1:8000/, rebuilding on changes
#   make test    install what the tests need and run the quick suite (EDITION_FULL_SUITE=1: all of it)
#   make check   check every annotation; make new ARGS='gloss --paragraph p15 --quote "…"' writes one
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The full suite (as .ci/run runs it) adds the browser tests, which need the npm tools.
FULL_SUITE := $(filter-out 0,$(EDITION_FULL_SUITE))
BROWSER_TOOLS := $(if $(FULL_SUITE),tests/browser/node_modules)

.PHONY: serve build test lint install install-test check new

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installed again only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# axe-core, the Nu HTML Checker, the W3C selector libraries, citation-js, epub.js, CETEIcean and Lighthouse
# (with Node 22), for the browser tests.
tests/browser/node_modules: tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --silent
	touch tests/browser/node_modules

build: install
	$(BIN)/python build_edition.py build

serve: install
	$(BIN)/python build_edition.py serve

check: install
	$(BIN)/python build_edition.py check

new: install
	$(BIN)/python build_edition.py new $(ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Two workers (pytest-xdist); tests/conftest.py chooses the quick or the full suite.
test: lint $(BROWSER_TOOLS)
	$(BIN)/python -m pytest -n auto
