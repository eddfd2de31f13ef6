"""Reusable code of the hybrid quantum neural network series.

One module per stage of the data's path::

    data        Fashion-MNIST / MNIST files → arrays, label subsets (NumPy and pooch only)
    reduction   784 pixels → 64 features (the original post's autoencoder; PCA)
    pipeline    files → label subset → 64 features, in one call
    circuits    the re-uploading circuit built from PennyLane templates
    layers      QuantumLayer: that circuit as a fast Keras layer
    models      the hybrid model QuantumLayer → Dense(softmax)
    training    seeding, fitting with a progress bar, evaluation
    plots       figures used by the notebooks
    analysis, baselines, hardware, variants, results
                small helpers of single chapters

Importing the package loads nothing heavy (``import qnn_helpers.data`` does not
load TensorFlow): it only runs ``qnn_helpers._quiet``, which sets TensorFlow's
and PennyLane's own quiet switches before any module imports them.  The
publishing tools (series runner, README tables, learner notebooks, site,
benchmark) live in ``tools/`` beside the package.
"""

# Runs before any module imports TensorFlow (which reads these switches once).
from qnn_helpers import _quiet  # noqa: F401

__version__ = "0.2.0"  # the package's version (pyproject.toml reads it from here)
