# casegraph: `make demo` and `make test` work on a fresh clone with nothing installed by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STORE  ?= .casegraph
SIZE   ?= small

.PHONY: install demo serve test lint format typecheck bench browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,fast]'
	touch $(STAMP)

install: $(STAMP)

## Load data/ into the default store, validate it, print a summary and the dossier of Javid Khales.
demo: install
	$(BIN)/casegraph --store $(STORE) validate data/
	$(BIN)/casegraph --store $(STORE) load data/
	$(BIN)/casegraph --store $(STORE) stats
	$(BIN)/casegraph --store $(STORE) show "Javid Khales"

## Load data/ into the default store (unless it holds data already), then serve it at http://127.0.0.1:8000/.
serve: install
	test -e $(STORE)/current || $(BIN)/casegraph --store $(STORE) load data/
	$(BIN)/casegraph --store $(STORE) serve

## Headless Chromium from Debian for the browser tests (the project installs it, never by hand).
browser:
	bash scripts/ensure-chromium.sh

## Lint, then the whole test suite (unit, CLI, browser, notebooks).
test: install browser lint
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m graph.normalise --check
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/python -m graph.normalise

typecheck: install
	$(BIN)/mypy

## Benchmarks against the plain rdflib/networkx/pyvis way: `make bench` (10k, 100k) or `make bench SIZE=1m`.
bench: install
	$(BIN)/python -m benchmarks.run --size $(SIZE)

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache .ruff_cache .mypy_cache
