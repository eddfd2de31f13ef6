"""Reusable code of the hybrid quantum neural network series.

    lessons     generated from the chapters' cells marked ``#@save`` (do not edit): the
                split, the post's autoencoder, the data's path to 64 features, the post's
                circuit and layer, the baselines, the plots, the variants, the analysis
    engine/     what learners need not read, each module proven equal to a chapter's cell:
                circuits (fast operations), layers (QuantumLayer), models (hybrid model)
    data        Fashion-MNIST / MNIST files → arrays, label subsets (NumPy and pooch only)
    reduction   training and caching chapter 01's autoencoder; PCA
    training    seeding, fitting with a progress bar, evaluation
    plots       the figure style (colour-blind palette)
    hardware, results, config, checks, doctor
                chapter 06's noise simulation,
                recorded figures, settings, the notebooks' check, the learner's doctor

Importing the package loads nothing heavy (``import qnn_helpers.data`` does not
load TensorFlow): it only runs ``qnn_helpers._quiet``, which sets TensorFlow's
and PennyLane's own quiet switches before any module imports them.  The
publishing tools (series runner, README tables, learner notebooks, site,
benchmark) live in ``tools/`` beside the package.
"""

# Runs before any module imports TensorFlow (which reads these switches once).
from qnn_helpers import _quiet  # noqa: F401

__version__ = "0.2.0"  # the package's version (pyproject.toml reads it from here)
