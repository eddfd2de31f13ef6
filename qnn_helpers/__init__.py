"""Reusable code of the hybrid quantum neural network series.

    lessons     generated from the chapters' cells marked ``#@save`` (do not edit)
    engine/     what learners need not read, each module proven equal to a chapter's cell
    data        Fashion-MNIST / MNIST files → arrays, label checks (NumPy and pooch only)
    reduction   training and caching chapter 01's autoencoder
    training    seeding, the progress bar and NaN guard of training, one-hot labels
    plots, results, config, checks, doctor
                the figure style, recorded figures, settings, the notebooks' check,
                the learner's pre-flight check

Importing the package loads nothing heavy: it only runs ``qnn_helpers._quiet``, which sets
TensorFlow's and PennyLane's quiet switches before any module imports them.  The publishing
tools live in ``tools/`` beside the package.
"""

# Runs before any module imports TensorFlow (which reads these switches once).
from qnn_helpers import _quiet  # noqa: F401

__version__ = "0.2.0"  # the package's version (pyproject.toml reads it from here)
