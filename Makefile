# Two commands do everything (each creates .venv and installs the pins first):
#   make series   run the whole series: execute notebooks 01-06 in place, write results/,
#                 the learner notebooks and the site
#   make test     lint + unit tests + every notebook executed by nbval (what CI runs)
# More: make site (the documentation site only), make benchmark (training speed),
# make variants (the 10-label variant table), make lint, make lock (re-pin requirements.txt).

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

.PHONY: venv series test browser site benchmark variants doctor lint lock clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

series: venv
	$(PY) -m tools.series
	$(PY) -m tools.series --quick

site: venv
	$(PY) -m tools.build_site

test: venv browser
	$(PY) -m ruff check qnn_helpers tools tests notebooks docs conftest.py
	QNN_STRICT=1 QNN_RESULTS_DIR=$(abspath build/test-results) $(PY) -m pytest
	KERAS_BACKEND=jax QNN_STRICT=1 $(PY) -m pytest tests/test_layers.py tests/test_signed_features.py tests/test_models.py tests/test_learner_notebooks.py::TestLearner04FourLabelTraining

# Headless Chromium for the site test, from Debian's packages; the test skips (and says
# why) where it cannot be installed.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  >/dev/null 2>&1; } || echo "Chromium not installed: the site test will be skipped"

benchmark: venv
	$(PY) -m tools.benchmark

variants: venv
	$(PY) -m tools.variants

doctor: venv
	$(PY) -m qnn_helpers.doctor

lint: venv
	$(PY) -m ruff check qnn_helpers tools tests notebooks docs conftest.py

# requirements.txt is generated: every package pinned, from the ranges in pyproject.toml
# (existing pins are kept unless a range excludes them; add --upgrade to move them).
lock: venv
	$(PY) -m pip install --quiet pip-tools==7.6.2
	$(PY) -m piptools compile --quiet --extra dev --extra docs --extra jax --strip-extras \
	  --no-emit-index-url --no-emit-find-links --output-file requirements.txt pyproject.toml

clean:
	rm -rf build
