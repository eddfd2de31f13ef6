"""784 pixels → 64 features: the original post's dense autoencoder, and PCA to compare.

Six qubits hold ``2**6 = 64`` amplitudes, so every image is reduced to 64
numbers first.  The autoencoder is the one of the original post:
``784 → 196 → 64 → 64`` with a sigmoid latent layer (features in ``(0, 1)``),
and a mirror-image decoder back to 784 pixels.

Training it takes about a minute on a laptop, so :func:`load_or_train_autoencoder`
saves the trained model in a cache folder and later chapters load it.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from pathlib import Path
from typing import Any

import keras
import numpy as np
from sklearn.decomposition import PCA

from qnn_helpers import config
from qnn_helpers.training import ProgressBar, set_seed

LATENT_DIM = 64


def cache_dir() -> Path:
    """Folder for trained models: ``$QNN_CACHE_DIR`` or ``~/.cache/qnn_helpers``."""
    root = os.environ.get("QNN_CACHE_DIR") or Path.home() / ".cache" / "qnn_helpers"
    path = Path(root) / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_autoencoder(input_dim: int = 784, latent_dim: int = LATENT_DIM) -> keras.Model:
    """The original post's autoencoder: ``784 → 196 → 64 → 64 (sigmoid)`` and back.

    The model has two sub-models, ``encoder`` and ``decoder``, reachable with
    ``model.get_layer("encoder")``.
    """
    encoder = keras.Sequential(
        [
            keras.Input((input_dim,)),
            keras.layers.Dense(196, activation="relu"),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(latent_dim, activation="sigmoid"),
        ],
        name="encoder",
    )
    decoder = keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(196, activation="relu"),
            keras.layers.Dense(input_dim, activation="sigmoid"),
        ],
        name="decoder",
    )
    inputs = keras.Input((input_dim,))
    model = keras.Model(inputs, decoder(encoder(inputs)), name="autoencoder")
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy",
                  metrics=["mse"])
    return model


def train_autoencoder(
    x: np.ndarray,
    epochs: int = 20,
    batch_size: int = 256,
    seed: int = 0,
    validation_data: np.ndarray | None = None,
    progress: bool = True,
) -> tuple[keras.Model, keras.callbacks.History]:
    """Train the autoencoder on images scaled to ``[0, 1]``, shape ``(n, 784)``."""
    set_seed(seed)
    model = build_autoencoder(x.shape[1])
    callbacks = [ProgressBar("autoencoder", steps_per_epoch=-(-len(x) // batch_size))
                 ] if progress else []
    val = (validation_data, validation_data) if validation_data is not None else None
    history = model.fit(
        x, x, epochs=epochs, batch_size=batch_size, validation_data=val,
        verbose=0, callbacks=callbacks,
    )
    return model, history


def _fingerprint(x: np.ndarray, **params: Any) -> str:
    digest = hashlib.sha256(np.ascontiguousarray(x).tobytes())
    digest.update(json.dumps(params, sort_keys=True).encode())
    digest.update(keras.__version__.encode())
    return digest.hexdigest()[:16]


def load_or_train_autoencoder(
    x: np.ndarray, epochs: int | None = None, batch_size: int = 256, seed: int = 0,
    progress: bool = True,
) -> keras.Model:
    """Load the autoencoder trained on ``x`` from the cache, or train and cache it.

    ``epochs`` defaults to 20, or 4 in quick mode (:mod:`qnn_helpers.config`).

    The cache key is a hash of the training images and the settings, so new data
    or settings train a new model.  A cache file that cannot be loaded (cut
    short, corrupted) is replaced by a freshly trained model.  Returns the full
    autoencoder.
    """
    if epochs is None:
        epochs = config.pick(full=20, quick=4)
    key = _fingerprint(x, epochs=epochs, batch_size=batch_size, seed=seed)
    path = cache_dir() / f"autoencoder-{key}.keras"
    if path.exists():
        try:
            return keras.models.load_model(path)
        except Exception as exc:  # noqa: BLE001  (zip, h5 and Keras errors alike)
            warnings.warn(f"cached autoencoder {path} cannot be loaded ({exc}); retraining it",
                          stacklevel=2)
    model, _ = train_autoencoder(x, epochs, batch_size, seed, progress=progress)
    # Write under a temporary name, then rename: a notebook running in parallel never
    # reads a half-written file.
    partial = path.with_name(f".{path.stem}-{os.getpid()}.keras")
    model.save(partial)
    os.replace(partial, path)
    return model


def encode(autoencoder: keras.Model, x: np.ndarray, batch_size: int = 1024) -> np.ndarray:
    """The 64 latent features of images ``x`` (scaled, flattened), as float32."""
    encoder = autoencoder.get_layer("encoder")
    return np.asarray(encoder.predict(x, batch_size=batch_size, verbose=0), dtype=np.float32)


def reconstruct(autoencoder: keras.Model, x: np.ndarray, batch_size: int = 1024) -> np.ndarray:
    """Images ``x`` passed through encoder and decoder."""
    return np.asarray(autoencoder.predict(x, batch_size=batch_size, verbose=0))


def reconstruction_error(x: np.ndarray, x_rec: np.ndarray) -> float:
    """Mean squared error per pixel between images and reconstructions."""
    return float(np.mean((np.asarray(x) - np.asarray(x_rec)) ** 2))


def fit_pca(x: np.ndarray, n_components: int = LATENT_DIM, seed: int = 0) -> PCA:
    """PCA of the (scaled, flattened) images, the linear counterpart of the autoencoder."""
    return PCA(n_components=n_components, random_state=seed).fit(x)


def pca_reconstruct(pca: PCA, x: np.ndarray) -> np.ndarray:
    """Images ``x`` projected on the PCA components and back to pixels."""
    return pca.inverse_transform(pca.transform(x))
