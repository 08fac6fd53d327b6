# The two commands of the README, plus the steps they are made of. Everything lives in ./.venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
# nbgrader runs `alembic` by name: this environment's bin/ must come first on PATH.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab test release benchmark benchmark-grading clean

## make lab: install, build the student versions, open JupyterLab on the course's start page
lab: $(VENV)/.installed course/release/.built
	$(BIN)/nncourse lab --port $(PORT)

## make test: install with the test extras and run the whole suite in parallel
test: $(VENV)/.installed-test
	OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest -n auto --dist loadgroup

## make release: regenerate the student versions (course/release) and check them for leaks
release: $(VENV)/.installed
	$(BIN)/nncourse release && touch course/release/.built

## make benchmark: nncore's training step side by side with PyTorch and scikit-learn
benchmark: $(VENV)/.installed
	$(BIN)/pip install -q scikit-learn threadpoolctl torch==2.13.0
	$(BIN)/python benchmarks/train_step.py

## make benchmark-grading: `nbgrader autograde` (serial) vs `nncourse grade` on the same 24 submissions
benchmark-grading: $(VENV)/.installed-test
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/grading.py

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
