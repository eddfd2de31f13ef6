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

.PHONY: venv series test browser benchmark variants lint clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

series: venv
	$(PY) -m qnn_helpers.series

test: venv browser
	$(PY) -m ruff check qnn_helpers tests notebooks
	QNN_RESULTS_DIR=$(abspath build/test-results) $(PY) -m pytest

# Headless Chromium for the site test, from Debian's packages; the test skips (and says
# why) where it cannot be installed.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  >/dev/null 2>&1; } || echo "Chromium not installed: the site test will be skipped"

benchmark: venv
	$(PY) -m qnn_helpers.benchmark

variants: venv
	$(PY) -m qnn_helpers.variants

lint: venv
	$(PY) -m ruff check qnn_helpers tests notebooks

clean:
	rm -rf build
