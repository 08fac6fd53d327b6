# The two commands of the README, plus the steps they are made of. Everything lives in ./.venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
# nbgrader runs `alembic` by name: this environment's bin/ must come first on PATH.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab test release benchmark benchmark-playground browser-deps clean

## make lab: install, build the student versions, open JupyterLab on the course's start page
lab: $(VENV)/.installed course/release/.built
	$(BIN)/nncourse lab --port $(PORT)

## make test: install with the test extras and run the whole suite in parallel
test: $(VENV)/.installed-test browser-deps
	OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest -n auto --dist loadgroup

## make browser-deps: Debian's chromium and a CJK font for tests/test_browser.py (as root with apt-get;
## elsewhere it says what is missing and the browser test skips). Never `playwright install`.
browser-deps:
	@if command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	  || echo "note: apt-get could not install chromium / fonts-noto-cjk: without chromium the browser test skips"; \
	else echo "note: chromium or fonts-noto-cjk missing and no root apt-get: without chromium the browser test skips"; fi

## make release: regenerate the student versions (course/release) and check them for leaks
release: $(VENV)/.installed
	$(BIN)/nncourse release && touch course/release/.built

## make benchmark: nncore's training step side by side with PyTorch and scikit-learn
benchmark: $(VENV)/.installed
	$(BIN)/pip install -q scikit-learn threadpoolctl torch==2.13.0
	$(BIN)/python benchmarks/train_step.py

## make benchmark-playground: the Playground's frame and slider-to-frame times, before and after (Agg, no browser)
benchmark-playground: $(VENV)/.installed
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/playground.py

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -q -e ".[test]"
	touch $@

course/release/.built: $(VENV)/.installed course/nbgrader_config.py course/welcome.ipynb $(wildcard course/source/*/*.ipynb)
	$(BIN)/nncourse release
	touch $@

clean:
	rm -rf $(VENV) course/release course/gradebook.db
