# Math for Machine Learning, in notebooks.
#   make lab       set up .venv (first time only) and start JupyterLab on localhost
#   make test      set up .venv with the test references, then lint, unit, structure and notebook tests
# More: make help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
NB     ?=
# nbval: the environment's own kernel, and the output sanitizer (CONVENTIONS §4).
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg
COURSE := $(sort $(wildcard [0-9][0-9]-*/))

.PHONY: help lab test lint unit nbval export outputs bench check-python clean

help:
	@echo "make lab            set up .venv if needed and start JupyterLab (localhost, token login)"
	@echo "make test           everything CI runs: ruff, unit and structure tests, nbval on every notebook"
	@echo "make unit           unit and structure tests only (no notebook execution)"
	@echo "make nbval NB=path  nbval on one notebook or folder (default: all)"
	@echo "make export         regenerate mlmath/ from the notebooks' '#| export' cells"
	@echo "make outputs NB=path  re-execute notebooks in place and store their outputs (default: all)"
	@echo "make bench          time mlmath.linalg against LAPACK (a report, not a test)"
	@echo "make clean          remove .venv and caches"

# One line, not a traceback, when Python is too old or cannot make a venv.
check-python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: '$(PYTHON)' not found: install Python 3.11 or newer (or run make PYTHON=/path/to/python3.11)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { echo "error: $$($(PYTHON) --version 2>&1) is too old: install Python 3.11 or newer (or run make PYTHON=/path/to/python3.11)"; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { echo "error: $(PYTHON) has no working venv module: install it (on Debian or Ubuntu: sudo apt install python3-venv)"; exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps: reinstall only when a requirements file or pyproject.toml changed.
$(VENV)/.lab-installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.lab-installed
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	@touch $@

lab: $(VENV)/.lab-installed
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)" \
		$(if $(filter 0,$(shell id -u)),--allow-root)

test: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -p no:cacheprovider $(NBVAL) tests $(COURSE)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

unit: $(VENV)/.test-installed
	$(BIN)/python -m pytest -p no:cacheprovider tests

nbval: $(VENV)/.test-installed
	$(BIN)/python -m pytest -p no:cacheprovider $(NBVAL) $(or $(NB),$(COURSE))

export: $(VENV)/.lab-installed
	$(BIN)/python tools/export.py

outputs: $(VENV)/.lab-installed
	$(BIN)/python tools/export.py
	$(BIN)/python tools/outputs.py $(NB)

bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/bench_linalg.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
