# Math for Machine Learning, in notebooks.
#   make lab       set up .venv (first time only) and start JupyterLab on localhost
#   make test      set up .venv with the test references, then lint, unit, structure and notebook tests,
#                  and the browser test (JupyterLab in Chromium) where /usr/bin/chromium exists
# More: make help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
NB     ?=
# nbval: the environment's own kernel, and the output sanitizer (CONVENTIONS §4).
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg
COURSE := $(sort $(wildcard [0-9][0-9]-*/))
# The browser test drives JupyterLab in Debian's Chromium (apt-get install chromium), never a downloaded one.
CHROMIUM := /usr/bin/chromium

.PHONY: help lab test lint unit nbval e2e postbuild-fresh screenshot export outputs nav practice progress bench check-python clean

help:
	@echo "make lab            set up .venv if needed and start JupyterLab (localhost, token login)"
	@echo "make test           everything CI runs: ruff, unit and structure tests, nbval on every notebook, make e2e"
	@echo "make unit           unit and structure tests only (no notebook execution)"
	@echo "make nbval NB=path  nbval on one notebook or folder (default: all)"
	@echo "make e2e            Run All in JupyterLab in headless Chromium, one notebook per week (needs $(CHROMIUM))"
	@echo "make export         regenerate mlmath/ from the notebooks' '#| export' cells"
	@echo "make postbuild-fresh  what Binder runs (requirements.txt, then postBuild) in a new venv (downloads packages)"
	@echo "make outputs NB=path  re-execute notebooks in place and store their outputs (default: all)"
	@echo "make nav            rewrite the previous/contents/next line at the top of every notebook"
	@echo "make practice       copy every notebook to practice/ with the solutions blanked (never overwrites)"
	@echo "make progress NB=practice/02-calculus  run your practice checks: solved/total per notebook and week"
	@echo "make screenshot     refresh the README's JupyterLab pictures in docs/ (runs make e2e)"
	@echo "make bench          time mlmath.linalg against LAPACK and mlmath.models against scikit-learn (a report)"
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
	@$(MAKE) --no-print-directory e2e

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

unit: $(VENV)/.test-installed
	$(BIN)/python -m pytest -p no:cacheprovider tests

# The browser tests are deselected by default (pyproject.toml: -m "not e2e"); this runs them, or says in one
# line why it cannot.
e2e: $(VENV)/.test-installed
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "e2e: skipped (no $(CHROMIUM): apt-get install chromium)"; \
	elif ! $(BIN)/python -c "import playwright.sync_api" 2>/dev/null; then \
		echo "e2e: skipped (playwright does not import: $(BIN)/python -m pip install -r requirements-test.txt)"; \
	else \
		echo "$(BIN)/python -m pytest -p no:cacheprovider -rs -m e2e tests/e2e"; \
		$(BIN)/python -m pytest -p no:cacheprovider -rs -m e2e tests/e2e; \
	fi

screenshot: e2e
	$(BIN)/python tools/screenshot.py

nbval: $(VENV)/.test-installed
	$(BIN)/python -m pytest -p no:cacheprovider $(NBVAL) $(or $(NB),$(COURSE))

export: $(VENV)/.lab-installed
	$(BIN)/python tools/export.py

outputs: $(VENV)/.lab-installed
	$(BIN)/python tools/export.py
	$(BIN)/python tools/outputs.py $(NB)

nav: $(VENV)/.lab-installed
	$(BIN)/python tools/nav.py

practice: $(VENV)/.lab-installed
	$(BIN)/python tools/practice.py create

progress: $(VENV)/.lab-installed
	$(BIN)/python tools/practice.py progress $(NB)

postbuild-fresh: $(VENV)/.test-installed
	MLMATH_FRESH_VENV=1 $(BIN)/python -m pytest -p no:cacheprovider -q -rs tests/test_postbuild.py

bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/bench_linalg.py
	$(BIN)/python benchmarks/bench_models.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
