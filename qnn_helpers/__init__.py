"""Reusable code of the hybrid quantum neural network series.

One module per stage of the data's path::

    data        Fashion-MNIST / MNIST files → arrays, label subsets
    reduction   784 pixels → 64 features (the original post's autoencoder; PCA)
    circuits    the re-uploading circuit built from PennyLane templates
    layers      QuantumLayer: that circuit as a fast Keras layer
    models      the hybrid model QuantumLayer → Dense(softmax)
    training    seeding, fitting with a progress bar, evaluation
    plots       figures used by the notebooks

Importing the package first silences TensorFlow's start-up noise and
PennyLane's TF-deprecation warning (see ``qnn_helpers._quiet``).
"""

from qnn_helpers import _quiet  # noqa: F401  (must run before TensorFlow is imported)

__version__ = "0.1.0"
