"""The data's whole path in one call: files → label subset → 64 features.

Chapters 03–06 and the benchmark start from the reduced features; this is
the one place that builds them, so every chapter uses the same autoencoder
and the same validation split.

The training images are split in two, stratified and seeded: 90 % to train on
and 10 % (:data:`VALIDATION_FRACTION`) for validation.  Every choice (epochs,
variants, the "best" model) is made on the validation images; the test images
are used once per reported number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from sklearn.model_selection import train_test_split

from qnn_helpers import data, reduction

#: Share of the training images held back for validation.
VALIDATION_FRACTION = 0.1


@dataclass
class ReducedData:
    """Reduced features and labels of one label subset, with the images they came from."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    images_test: np.ndarray
    class_names: list[str]
    labels: list[int]

    @property
    def n_classes(self) -> int:
        return len(self.class_names)


def validation_split(y: np.ndarray, fraction: float = VALIDATION_FRACTION
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, validation)`` of labels ``y``: stratified, seeded, each sorted."""
    train_idx, val_idx = train_test_split(np.arange(len(y)), test_size=fraction, stratify=y,
                                          random_state=0)
    return np.sort(train_idx), np.sort(val_idx)


def reduced_fashion_mnist(
    labels: Sequence[int] = data.ORIGINAL_LABELS,
    method: Literal["autoencoder", "pca"] = "autoencoder",
    data_dir: str | None = None,
    progress: bool = True,
    n_train: int | None = None,
    autoencoder: reduction.Recipe = "post",
    validation_fraction: float = VALIDATION_FRACTION,
) -> ReducedData:
    """Fashion-MNIST restricted to ``labels``, reduced to 64 features.

    ``method="autoencoder"`` uses the autoencoder of ``autoencoder`` (a recipe of
    :mod:`qnn_helpers.reduction`: ``"post"`` trains one epoch on the selected
    labels' training images, as the original post; ``"improved"`` 20 epochs on the
    training images of all ten classes except the validation images), loaded from
    the cache or trained on first use; ``method="pca"`` uses 64 principal components
    of the same images as the improved recipe.  Labels are re-indexed
    ``0..k-1`` in the order given.  The training images of the labels are split
    into training and validation (``validation_fraction``, stratified, seeded);
    the autoencoder never sees the validation or test images.  ``n_train`` then
    keeps only that many training samples, the same share of every class (quick
    mode uses it).  Test images are kept (uint8) for galleries.
    """
    if not (isinstance(validation_fraction, float | int) and 0 < validation_fraction < 1):
        raise ValueError(f"validation_fraction must be a number between 0 and 1 (the share "
                         f"of training images held back), got {validation_fraction!r}")
    (x_train, y_train), (x_test, y_test) = data.load_fashion_mnist(data_dir)
    images, y_sel = data.select_labels(x_train, y_train, labels)
    train_idx, val_idx = validation_split(y_sel, validation_fraction)
    if n_train is not None and not (isinstance(n_train, int | np.integer)
                                    and len(set(labels)) <= n_train <= len(train_idx)):
        raise ValueError(f"n_train must be a number of training images between "
                         f"{len(set(labels))} (one per label) and {len(train_idx)} (all of "
                         f"these labels), or None for all; got {n_train!r}")
    scaled_test = data.scale_images(x_test)
    # all ten classes' training images minus the validation images
    all_but_val = np.concatenate([images[train_idx],
                                  x_train[~np.isin(y_train, list(labels))]])
    if method == "autoencoder":
        fit_on = all_but_val if reduction.settings(autoencoder).all_labels else images[train_idx]
        model = reduction.load_or_train_autoencoder(data.scale_images(fit_on), progress=progress,
                                                    recipe=autoencoder)
        features = reduction.encode(model, data.scale_images(images))
        f_test = reduction.encode(model, scaled_test)
    elif method == "pca":
        pca = reduction.fit_pca(data.scale_images(all_but_val))
        features = pca.transform(data.scale_images(images)).astype(np.float32)
        f_test = pca.transform(scaled_test).astype(np.float32)
    else:
        raise ValueError(f"method must be 'autoencoder' or 'pca', got {method!r}")
    if n_train is not None and n_train < len(train_idx):
        keep, _ = train_test_split(train_idx, train_size=n_train, stratify=y_sel[train_idx],
                                   random_state=0)
        train_idx = np.sort(keep)
    f_test_sel, y_test_sel = data.select_labels(f_test, y_test, labels)
    images_test, _ = data.select_labels(x_test, y_test, labels)
    return ReducedData(features[train_idx], y_sel[train_idx], features[val_idx], y_sel[val_idx],
                       f_test_sel, y_test_sel, images_test, data.class_names(labels),
                       list(labels))
