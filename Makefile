# The two commands a new user runs: `make lab` and `make test`. Both create .venv when it is missing
# or older than pyproject.toml, so a fresh clone needs nothing but Python 3.10+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
FIRST  := notebooks/01_convolution_vs_cross_correlation.ipynb
# Tests must not inherit a plotting backend or a colourful IPython profile from the user's shell.
TESTENV := env -u MPLBACKEND IPYTHONDIR=$(CURDIR)/.ipython PYTHONHASHSEED=0

.PHONY: setup lab test test-lib exercises execute grade bench clean-venv help browser

help:
	@echo "make lab        open JupyterLab on the curriculum (sets up .venv first if needed)"
	@echo "make test       run the whole suite: library, every notebook under nbval, the exercise pipeline"
	@echo "make exercises  regenerate exercises/ from solutions/"
	@echo "make execute    re-run every notebook in place so the stored outputs are fresh"
	@echo "make grade SUBMISSIONS=path/or/glob   grade a class's submissions into grades.csv"
	@echo "make bench      time the convolution core against numpy matmul (and torch if installed)"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "convzoo needs Python 3.10 or newer; found " + sys.version.split()[0] + ". Run: make PYTHON=python3.11 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

setup: $(STAMP)

# .venv/bin goes first on PATH so that `!convzoo check ...` in a notebook and JupyterLab's terminals find the
# project's tools; --allow-root only when run as root (JupyterLab refuses root without it).
lab: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root,) $(if $(wildcard $(FIRST)),$(FIRST),notebooks)

# The real-browser test (tests/test_browser.py) drives Debian's chromium. As root (CI) it is installed
# when missing; otherwise the test is skipped and this says how to get it.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the real-browser test (apt-get, about a minute)"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; } \
		|| echo "could not install chromium with apt-get: the real-browser test will be skipped"; \
	else echo "note: no chromium found, so the real-browser test is skipped (to run it: sudo apt-get install chromium)"; fi

# Library tests and doctests, every chapter notebook and solution under nbval (only `# NBVAL_CHECK_OUTPUT`
# cells are compared), and the exercise proof of every chapter (tests/test_notebooks.py).
test: $(STAMP) browser
	$(TESTENV) CONVZOO_REQUIRE_BROWSER=$$(command -v chromium >/dev/null 2>&1 && echo 1 || echo 0) \
		$(BIN)/python -m pytest -q -n 2 --dist loadscope \
		--nbval-lax --nbval-current-env --nbval-cell-timeout=300 \
		--nbval-sanitize-with lib/convzoo/nbval/sanitize.cfg \
		tests lib/convzoo notebooks solutions

exercises: $(STAMP)
	$(BIN)/python -m convzoo build-exercises

# `make execute` re-runs every notebook; `make execute NOTEBOOKS=notebooks/01_*.ipynb` only some.
execute: $(STAMP)
	$(TESTENV) $(BIN)/python -m convzoo execute \
		$(or $(NOTEBOOKS),$(wildcard notebooks/[0-9][0-9]_*.ipynb solutions/[0-9][0-9]_*.ipynb tests/fixtures/solutions/*.ipynb))
	$(BIN)/python -m convzoo build-exercises

grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder-or-glob [CSV=grades.csv] [EXERCISE=exercises/NN_....ipynb]"; exit 2; }
	$(BIN)/python -m convzoo grade $(SUBMISSIONS) --csv $(or $(CSV),grades.csv) $(if $(EXERCISE),--exercise $(EXERCISE),)

# Time the convolution core (reference layers vs torch CPU and the numpy matmul ceiling), every chapter
# notebook's execution and every explorer's redraw; results in benchmarks/results/ (see benchmarks/RESULTS.md).
# `make bench BENCH_ARGS=--layers-only` times only the layers.
bench: $(STAMP)
	$(TESTENV) $(BIN)/python benchmarks/bench_conv.py $(BENCH_ARGS)

clean-venv:
	rm -rf $(VENV)
