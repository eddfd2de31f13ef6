# Two commands do everything (each creates .venv and installs the pins first):
#   make series   run the whole series: execute notebooks 01-07 in place, write results/,
#                 the learner notebooks and the site
#   make test     lint + unit tests + every chapter executed once in quick mode (what CI runs)
# More: make site (the documentation site only), make benchmark (training speed),
# make variants (the study: multi-seed sweeps and tuned baselines), make lint, make lock (re-pin requirements.txt).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

# make's own runs (RUNS) use the shared data when it is there (else the loader downloads)
# and caches of their own in build/: the tests' kernels run with fewer threads (conftest.py),
# so they train other autoencoders than the series. Every other target, the doctor above
# all, sees what a learner's Jupyter sees: the user cache (~/.cache/qnn_helpers).
RUNS := series test variants benchmark
ifneq ($(wildcard ../shared/data/fashion-mnist/train-images-idx3-ubyte.gz),)
$(RUNS): export QNN_DATA_DIR ?= $(abspath ../shared/data/fashion-mnist)
endif
ifneq ($(wildcard ../shared/data/mnist/train-images-idx3-ubyte.gz),)
$(RUNS): export QNN_MNIST_DIR ?= $(abspath ../shared/data/mnist)
endif
# Trained autoencoders are cached, so later chapters do not retrain.
series variants benchmark: export QNN_CACHE_DIR ?= $(abspath build/cache)
test: export QNN_CACHE_DIR ?= $(abspath build/test-cache)

.PHONY: venv series test durations browser site benchmark variants doctor lessons lint lock clean

venv: $(VENV)/.installed

# First the doctor's platform check (standard library only): where TensorFlow 2.21 cannot be
# installed (Python 3.14, an Intel Mac) it says what to do instead, and make stops.
$(VENV)/.installed: requirements.txt pyproject.toml
	$(if $(wildcard $(PY)),$(PY),$(PYTHON)) -m qnn_helpers.doctor --platform-only
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r tools/uv-lock.txt
	VIRTUAL_ENV=$(abspath $(VENV)) $(PY) -m uv pip install --quiet --require-hashes \
	  --compile-bytecode -r requirements.txt
	VIRTUAL_ENV=$(abspath $(VENV)) $(PY) -m uv pip install --quiet --no-deps -e .
	touch $@

series: venv
	$(PY) -m tools.series
	$(PY) -m tools.series --quick

site: venv
	$(PY) -m tools.build_site

test: venv browser
	$(PY) -m ruff check qnn_helpers tools tests notebooks docs conftest.py
	QNN_STRICT=1 QNN_RESULTS_DIR=$(abspath build/test-results) $(PY) -m pytest

# tests/durations.json (the order and the slow marks of the tests, conftest.py) from the
# last full `make test` of this checkout, with the test command's seconds if .ci/run timed it
durations:
	$(PY) -c "import json, pathlib; b = pathlib.Path('build'); \
	d = json.loads((b / 'test-durations.json').read_text()); \
	c = b / 'test-command.json'; \
	d |= {'(test command)': json.loads(c.read_text())['seconds']} if c.exists() else {}; \
	pathlib.Path('tests/durations.json').write_text(json.dumps(d, indent=1) + '\\n')"

# Headless Chromium for the site test, from Debian's packages; the test skips (and says
# why) where it cannot be installed.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  >/dev/null 2>&1; } || echo "Chromium not installed: the site test will be skipped"

benchmark: venv
	$(PY) -m tools.benchmark

variants: venv
	$(PY) -m tools.study

# FETCH=1: also download the data and train the chapters' autoencoders into the user cache
# (in the mode of QNN_QUICK); TIMING=0 skips the training timing.
doctor: venv
	$(PY) -m qnn_helpers.doctor $(if $(filter-out 0,$(FETCH)),--fetch) \
	  $(if $(filter 0,$(TIMING)),--no-timing)

# qnn_helpers/lessons.py from the chapters' cells marked #@save (make series does it too)
lessons: venv
	$(PY) -m tools.lessons

lint: venv
	$(PY) -m ruff check qnn_helpers tools tests notebooks docs conftest.py

# requirements.txt is generated: one universal lock (uv) for Python 3.11.5-3.13 on every
# platform, every extra of pyproject.toml included, every package pinned from its ranges
# (existing pins are kept unless a range excludes them; add --upgrade to move them), with the
# sha256 of every file PyPI has for each pin (every platform's wheels, the sdist), which
# `pip install --require-hashes` checks: a room installs exactly the audited files.
# lock-overrides.txt puts tensorflow-cpu in tensorflow's place on Linux x86_64.
# --python-version is the lower bound of pyproject's requires-python.
lock: venv
	UV_CUSTOM_COMPILE_COMMAND="make lock" $(PY) -m uv pip compile --quiet --universal \
	  --python-version 3.11.5 --fork-strategy fewest --all-extras --generate-hashes \
	  --overrides lock-overrides.txt --output-file requirements.txt \
	  pyproject.toml lock-overrides.txt
	{ echo "# uv, pinned with its hashes (make lock copies it from requirements.txt): make venv installs it first, then the lock with it"; \
	  grep -A200 '^uv==' requirements.txt | sed '/^[a-z0-9]/{/^uv==/!q}' | sed '$$d'; } > tools/uv-lock.txt

clean:
	rm -rf build
