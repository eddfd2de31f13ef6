"""Reusable code of the hybrid quantum neural network series (its layout: the README).

``lessons`` is generated from the chapters' cells marked ``#@save`` (do not edit);
``engine/`` holds what learners need not read, each module proven equal to a chapter's cell.
Importing the package loads nothing heavy: it only runs ``qnn_helpers._quiet``, which sets
TensorFlow's and PennyLane's quiet switches before any module imports them.
"""

# Runs before any module imports TensorFlow (which reads these switches once).
from qnn_helpers import _quiet  # noqa: F401

__version__ = "0.2.0"  # the package's version (pyproject.toml reads it from here)
