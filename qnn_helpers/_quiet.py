"""Quiet TensorFlow and PennyLane with their own switches, before they are imported.

The one place where the series silences messages on purpose (no output is redirected).  The
environment defaults (a value you set wins) hide TensorFlow's C++ start-up lines and make CPU
results bit-reproducible (no oneDNN).  TensorFlow's logger keeps errors only, by a filter (a
Jupyter kernel resets its level): its "casting complex to float" notes drop zero imaginary
parts.  PennyLane's deprecation of its TensorFlow interface is filtered: it works with the
pinned ``pennylane==0.45.1`` and ``tensorflow==2.21.0``.
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
