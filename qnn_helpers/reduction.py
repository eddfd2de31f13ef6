"""784 pixels → 64 features in ``(0, 1)``: training and caching chapter 01's autoencoder.

Recipe ``"post"``, the original post's: ReLU output, mean absolute error, **one epoch** of
batch 32 on the selected labels' training images only; ``"improved"``: sigmoid output, binary
cross-entropy, 20 epochs of batch 256 on all ten classes' training images but validation's.
"""

import hashlib
import json
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

import keras
import numpy as np

from qnn_helpers import config, training
from qnn_helpers.training import ProgressBar

LATENT_DIM = 64
#: builds the compiled autoencoder: ``build(latent_dim, recipe, input_dim=...)`` (chapter 01's
#: ``lessons.build_autoencoder``)
Builder = Callable[..., keras.Model]

#: Autoencoder training recipes (see the module docstring).
Recipe = Literal["post", "improved"]
RECIPES: tuple[str, ...] = get_args(Recipe)


@dataclass(frozen=True)
class RecipeSettings:
    """How a recipe trains its autoencoder."""

    epochs: int
    quick_epochs: int
    batch_size: int
    all_labels: bool  #: train on all ten classes' images (else the selected labels' only)

    def schedule(self, epochs: int | None, batch_size: int | None) -> tuple[int, int]:
        """``(epochs, batch_size)``: the given ones, or this recipe's (quick mode: fewer epochs)."""
        epochs = config.pick(self.epochs, self.quick_epochs) if epochs is None else epochs
        return epochs, self.batch_size if batch_size is None else batch_size


SETTINGS: dict[str, RecipeSettings] = {
    "post": RecipeSettings(epochs=1, quick_epochs=1, batch_size=32, all_labels=False),
    "improved": RecipeSettings(epochs=20, quick_epochs=4, batch_size=256, all_labels=True),
}


def settings(recipe: Recipe) -> RecipeSettings:
    """The settings of a recipe (``ValueError`` for an unknown name)."""
    if recipe not in SETTINGS:
        raise ValueError(f"autoencoder recipe must be one of {RECIPES}, got {recipe!r}")
    return SETTINGS[recipe]


def train_autoencoder(x: np.ndarray, *, build: Builder, epochs: int | None = None,
                      batch_size: int | None = None, seed: int = 0, progress: bool = True,
                      recipe: Recipe = "post") -> tuple[keras.Model, keras.callbacks.History]:
    """Train the autoencoder ``build`` makes on images ``(n, 784)`` scaled to ``[0, 1]``
    (``epochs`` and ``batch_size``: the recipe's by default; ``progress``: a text bar)."""
    epochs, batch_size = settings(recipe).schedule(epochs, batch_size)
    training.set_seed(seed)
    model = build(LATENT_DIM, recipe, input_dim=x.shape[1])
    callbacks = [ProgressBar("autoencoder", -(-len(x) // batch_size))] if progress else []
    history = model.fit(x, x, epochs=epochs, batch_size=batch_size, verbose=0,
                        callbacks=callbacks)
    return model, history


def load_or_train_autoencoder(x: np.ndarray, *, build: Builder, epochs: int | None = None,
                              batch_size: int | None = None, seed: int = 0,
                              progress: bool = True, recipe: Recipe = "post") -> keras.Model:
    """The autoencoder :func:`train_autoencoder` trains on ``x``, from the cache if there
    (keyed by the images and settings, thread count included; a broken file is replaced)."""
    epochs, batch_size = settings(recipe).schedule(epochs, batch_size)
    # TensorFlow's intra-op thread count (default: the cores) orders the sums: other weights
    threads = int(os.environ.get("TF_NUM_INTRAOP_THREADS") or 0) or os.cpu_count()
    # and the instruction sets the kernels may use (qnn_helpers._quiet caps them on x86-64)
    isa = [os.environ.get(name) for name in ("ONEDNN_MAX_CPU_ISA", "OPENBLAS_CORETYPE")]
    params = dict(epochs=epochs, batch_size=batch_size, seed=seed, recipe=recipe, threads=threads,
                  isa=isa)
    digest = hashlib.sha256(np.ascontiguousarray(x).tobytes())
    digest.update(json.dumps(params, sort_keys=True).encode())
    digest.update(keras.__version__.encode())
    key = digest.hexdigest()[:16]
    folder = config.cache_root() / "models"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"autoencoder-{recipe}-{key}.keras"
    if path.exists():
        try:
            return keras.models.load_model(path)
        except Exception as exc:  # noqa: BLE001  (zip, h5 and Keras errors alike)
            warnings.warn(f"cached autoencoder {path} cannot be loaded ({exc}); "
                          "retraining it", stacklevel=2)
    model, _ = train_autoencoder(x, build=build, epochs=epochs, batch_size=batch_size,
                                 seed=seed, progress=progress, recipe=recipe)
    # Saved under this process's own name, then renamed, so that a reader never sees half a
    # file: make test's two workers both train the 10-label autoencoder first (7.7 s each).
    partial = path.with_name(f".{path.stem}-{os.getpid()}.keras")
    model.save(partial)
    os.replace(partial, path)
    return model
