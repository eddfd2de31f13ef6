# Two commands do everything (each creates .venv and installs the pins first):
#   make series   run the whole series: execute notebooks 01-05 in place, write results/
#   make test     unit tests + every notebook executed by nbval (what CI runs)
# More: make benchmark (training speed), make variants (the 10-label variant table), make lint.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

# Offline data: use the shared copies when they are there (else the loader downloads).
ifneq ($(wildcard ../shared/data/fashion-mnist/train-images-idx3-ubyte.gz),)
export QNN_DATA_DIR ?= $(abspath ../shared/data/fashion-mnist)
endif
ifneq ($(wildcard ../shared/data/mnist/train-images-idx3-ubyte.gz),)
export QNN_MNIST_DIR ?= $(abspath ../shared/data/mnist)
endif
# Trained autoencoders are cached here, so later chapters do not retrain.
export QNN_CACHE_DIR ?= $(abspath build/cache)

.PHONY: venv series test benchmark variants lint clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

series: venv
	$(PY) -m qnn_helpers.series

test: venv
	QNN_RESULTS_DIR=$(abspath build/test-results) $(PY) -m pytest

benchmark: venv
	$(PY) -m qnn_helpers.benchmark

variants: venv
	$(PY) -m qnn_helpers.variants

lint: venv
	$(PY) -m ruff check qnn_helpers tests

clean:
	rm -rf build
