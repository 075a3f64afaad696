# Two commands do all set-up on a fresh machine with Python 3.11+ and make:
#   make serve   install, build and serve the edition on http://127.0.0.1:8000/, rebuilding on changes
#   make test    install what the tests need and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: serve build test lint install install-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python tests/browser/node_modules
	$(BIN)/pip install --quiet -e '.[test]'

# axe-core, the Nu HTML Checker, the W3C selector libraries, citation-js and Lighthouse (with Node 22),
# for the browser tests.
tests/browser/node_modules: tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --silent
	touch tests/browser/node_modules

build: install
	$(BIN)/python build_edition.py build

serve: install
	$(BIN)/python build_edition.py serve

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest
