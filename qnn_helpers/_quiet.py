"""Import TensorFlow and PennyLane without the log noise they print.

This is the one place where the series silences messages on purpose:

* TensorFlow's C++ start-up lines (oneDNN, CUDA stubs, absl) are written to the
  process's file descriptor 2 while the shared libraries load, before any Python
  logging setting can reach them, so the import runs with fd 2 pointed at
  ``/dev/null``.  Real errors still raise Python exceptions.
* PennyLane announces that its TensorFlow interface is deprecated.  We pin
  ``pennylane==0.45.1`` and ``tensorflow==2.21.0`` (see the README), for which
  the interface works and is tested here, so the warning is filtered.
* "casting complex to float" warnings are expected: expectation values of
  Hermitian observables are real, and the imaginary part dropped is zero.
"""

from __future__ import annotations

import logging
import os
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


def _import_silently() -> None:
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        import tensorflow  # noqa: F401
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


_import_silently()

import tensorflow as tf  # noqa: E402

tf.get_logger().setLevel(logging.ERROR)
logging.getLogger("absl").setLevel(logging.ERROR)

warnings.filterwarnings("ignore", message=r".*TensorFlow interface is deprecated.*")
warnings.filterwarnings("ignore", message=r".*casting .*complex.*")
warnings.filterwarnings("ignore", message=r".*You are casting an input of type complex.*")

import pennylane as qml  # noqa: E402,F401
