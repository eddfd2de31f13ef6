"""pytest settings for the whole repository: unit tests and notebooks alike.

Under pytest-xdist (``make test`` runs two workers) each worker, and every notebook
kernel it starts, gets its share of the cores for the thread pools of TensorFlow and
of the BLAS libraries: ``cores // workers`` threads.  Left alone, every process sizes
its pools for the whole machine, so two workers on two cores run four busy threads,
and the many small operations of this series wait on each other (measured on 2 cores:
the whole run 1,059 s → 804 s, a chapter's logistic regression 29 s → 5 s).  A value
already set in the environment wins.  The variables must be set before TensorFlow and
NumPy load, which is why this is a conftest at the root.

It also hands the scopes out longest first, by their recorded durations, and marks the
long ones ``slow``.
"""

import json
import os
from pathlib import Path

import pytest

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


_workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if _workers > 1:
    for _name in THREAD_VARIABLES:
        os.environ.setdefault(_name, str(max(1, _cores() // _workers)))

# The package's reproducible switches (qnn_helpers._quiet), before anything loads NumPy or
# TensorFlow, and inherited by every kernel a test starts.
import qnn_helpers  # noqa: E402, F401

# Scopes (a test module or class: what xdist's loadscope gives one worker) are handed out
# longest first, so that at the end no worker runs a long one alone while the other waits.
# The seconds come from the last run in this checkout (MEASURED, written at the end of every
# run), else from the committed record of a full fresh-clone run (RECORDED: `make durations`
# copies MEASURED there).  Scopes of RECORDED over SLOW seconds are marked ``slow``, so
# ``pytest -m "not slow"`` is a fast inner loop.
ROOT = Path(__file__).resolve().parent
RECORDED = ROOT / "tests" / "durations.json"
MEASURED = ROOT / "build" / "test-durations.json"
SLOW = 15.0


def _scope(nodeid: str) -> str:
    """The unit xdist's loadscope gives to one worker: the node id without its last part
    (prefixed by the Keras backend when it is not TensorFlow's)."""
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    return ("" if backend == "tensorflow" else f"{backend}:") + nodeid.rsplit("::", 1)[0]


def _load(path: Path) -> dict[str, float]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def pytest_collection_modifyitems(config, items):
    recorded = _load(RECORDED)
    seconds = recorded | _load(MEASURED)
    for item in items:
        if recorded.get(_scope(item.nodeid), 0.0) > SLOW:
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: -seconds.get(_scope(item.nodeid), 0.0))  # stable


_spent: dict[str, float] = {}


def pytest_runtest_logreport(report):
    """Seconds per scope (setup, call and teardown), on the controller (xdist) or alone."""
    _spent[_scope(report.nodeid)] = _spent.get(_scope(report.nodeid), 0.0) + report.duration


def pytest_sessionfinish(session):
    if os.environ.get("PYTEST_XDIST_WORKER") or not _spent:
        return
    MEASURED.parent.mkdir(exist_ok=True)
    merged = _load(MEASURED) | {k: round(v, 1) for k, v in _spent.items()}
    MEASURED.write_text(json.dumps(dict(sorted(merged.items(), key=lambda kv: -kv[1])),
                                   indent=1) + "\n")
