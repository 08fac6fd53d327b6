# The two commands of the README, plus the steps they are made of. Everything lives in ./.venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
COURSE_LANG ?= en
# nbgrader runs `alembic` by name: this environment's bin/ must come first on PATH.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab test release messages benchmark benchmark-grading benchmark-playground system-deps clean

## make lab: install, build the student versions, open JupyterLab on the course's start page
## (make lab COURSE_LANG=zh: the Chinese edition's start page, and the checker speaks Chinese)
lab: $(VENV)/.installed course/release/.built
	$(BIN)/nncourse lab --port $(PORT) --lang $(COURSE_LANG)

## make test: install with the test extras and run the whole suite in parallel
test: $(VENV)/.installed-test system-deps
	OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest -n auto --dist loadgroup

## make system-deps: the Debian packages the tests use, installed as root with apt-get when missing:
## chromium with CJK and colour-emoji fonts (tests/test_browser.py: its screenshots show what students see;
## never `playwright install`), bubblewrap (the grading sandbox's namespaces), dataset-fashion-mnist (rebuilding data/fashion_mnist.h5) and postgresql (the
## gradebook server tests/test_grade_scale.py starts on loopback). Elsewhere it says what is missing: the
## tests that need them then skip with that reason; grading still works.
SYSTEM_PACKAGES := chromium fonts-noto-cjk fonts-noto-color-emoji bubblewrap dataset-fashion-mnist postgresql
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	  || echo "note: apt-get could not install $$missing: the tests that need them skip"; \
	else echo "note: missing Debian packages $$missing and no root apt-get: the tests that need them skip"; fi

## make release: regenerate the student versions (course/release) and check them for leaks
release: $(VENV)/.installed
	$(BIN)/nncourse release && touch course/release/.built

## make messages: extract every learner-facing message (babel.cfg) and bring each language's catalog
## (nncore/locale/<lang>/LC_MESSAGES/nncourse.po) up to date; then translate the new entries (docs/translating.md)
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _ --no-location --sort-output -o nncore/locale/nncourse.pot .
	$(BIN)/pybabel update -i nncore/locale/nncourse.pot -d nncore/locale -D nncourse --no-fuzzy-matching --ignore-obsolete

## make benchmark: nncore's training step side by side with PyTorch and scikit-learn, its convolution and pooling
## layers (LeNet-5's shapes) with PyTorch's, and its RNN with torch.nn.RNN
benchmark: $(VENV)/.installed
	$(BIN)/pip install -q scikit-learn threadpoolctl torch==2.13.0
	$(BIN)/python benchmarks/train_step.py
	$(BIN)/python benchmarks/conv.py
	$(BIN)/python benchmarks/rnn.py

## make benchmark-grading: `nbgrader autograde` (serial) vs `nncourse grade` on the same 24 submissions, and
## `nncourse grade` on 1, 2, 4 local workers and a 2-worker Dask cluster (the scaling table)
benchmark-grading: $(VENV)/.installed-test
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/grading.py

## make benchmark-playground: the Playground's frame and slider-to-frame times, before and after, without a browser
## (benchmarks/playground.py), then in JupyterLab + Chromium: pictures per second and slider to picture
## (benchmarks/playground_browser.py; add --against REF to measure a git commit side by side)
benchmark-playground: $(VENV)/.installed-test system-deps
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/playground.py
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/playground_browser.py

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -q -e ".[test]"
	touch $@

course/release/.built: $(VENV)/.installed course/nbgrader_config.py course/welcome.ipynb $(wildcard course/source/*/*.ipynb) \
		$(wildcard course/translations/*/*.md course/translations/*/*/*.md)
	$(BIN)/nncourse release
	touch $@

clean:
	rm -rf $(VENV) course/release course/gradebook.db
