"""Quiet TensorFlow and PennyLane with their own switches, before they are imported.

The one place where the series silences messages on purpose; no output is redirected, so a
crash still shows.  Defaults (a value you set wins): ``TF_CPP_MIN_LOG_LEVEL=3`` hides the C++
start-up lines, ``TF_ENABLE_ONEDNN_OPTS=0`` makes CPU results bit-reproducible.  TensorFlow's
logger keeps errors only (no retracing or "casting complex to float" notes: the imaginary
part dropped is zero), by a filter, since a Jupyter kernel resets its level.  PennyLane's
deprecation of its TensorFlow interface is filtered: it works and is tested with the pinned
``pennylane==0.45.1`` and ``tensorflow==2.21.0`` (see the README).
"""

import logging
import os
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


def _errors_only(record: logging.LogRecord) -> bool:
    """TensorFlow's log records at ERROR and above pass."""
    return record.levelno >= logging.ERROR


logging.getLogger("tensorflow").addFilter(_errors_only)
warnings.filterwarnings("ignore", message=r".*TensorFlow interface is deprecated.*")
