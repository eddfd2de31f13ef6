"""Quiet TensorFlow and PennyLane with their own switches, before they are imported.

This is the one place where the series silences messages on purpose.  The
package's ``__init__`` runs it, so it comes before any module of ``qnn_helpers``
imports TensorFlow.  It imports neither TensorFlow nor PennyLane, and nothing
here redirects the process's output: a crash still shows.

* ``TF_CPP_MIN_LOG_LEVEL=3`` hides TensorFlow's C++ start-up lines (oneDNN,
  CUDA stubs, CPU features); ``TF_ENABLE_ONEDNN_OPTS=0`` makes CPU results
  bit-reproducible (and removes the oneDNN notice).  Both are only defaults:
  a value you set yourself wins.  They take effect only if TensorFlow has not
  been imported yet.
* TensorFlow's Python logger keeps errors only (no retracing notes, no "casting
  complex to float" notes: probabilities and expectation values are real, the
  imaginary part dropped is zero).  A filter does it, not the level: in a
  Jupyter kernel TensorFlow resets the logger's level to INFO when it loads.
* PennyLane announces that its TensorFlow interface is deprecated.  We pin
  ``pennylane==0.45.1`` and ``tensorflow==2.21.0`` (see the README), for which
  the interface works and is tested here, so exactly that warning is filtered.
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
