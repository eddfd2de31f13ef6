"""Quiet TensorFlow and PennyLane with their own switches, before they are imported.

The one place where the series silences messages on purpose (the package's ``__init__``
runs it); it imports neither library and redirects no output, so a crash still shows.

* ``TF_CPP_MIN_LOG_LEVEL=3`` hides TensorFlow's C++ start-up lines; ``TF_ENABLE_ONEDNN_OPTS=0``
  makes CPU results bit-reproducible.  Both are defaults (a value you set wins), effective
  only before TensorFlow is imported.
* TensorFlow's logger keeps errors only (no retracing or "casting complex to float" notes:
  the imaginary part dropped is zero), by a filter: a Jupyter kernel resets its level.
* PennyLane's deprecation warning of its TensorFlow interface, which works and is tested
  with the pinned ``pennylane==0.45.1`` and ``tensorflow==2.21.0`` (see the README).
"""

from __future__ import annotations

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
