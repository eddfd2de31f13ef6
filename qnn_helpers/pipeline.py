"""The data's whole path in one call: files → label subset → 64 features.

Chapters 03–06 and the benchmark start from the reduced features; this is
the one place that builds them, so every chapter uses the same autoencoder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from sklearn.model_selection import train_test_split

from qnn_helpers import data, reduction


@dataclass
class ReducedData:
    """Reduced features and labels of one label subset, with the images they came from."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    images_test: np.ndarray
    class_names: list[str]
    labels: list[int]

    @property
    def n_classes(self) -> int:
        return len(self.class_names)


def reduced_fashion_mnist(
    labels: Sequence[int] = data.ORIGINAL_LABELS,
    method: Literal["autoencoder", "pca"] = "autoencoder",
    data_dir: str | None = None,
    progress: bool = True,
    n_train: int | None = None,
) -> ReducedData:
    """Fashion-MNIST restricted to ``labels``, reduced to 64 features.

    ``method="autoencoder"`` (the original post) uses the autoencoder trained on
    all 60,000 training images (loaded from the cache, trained on first use);
    ``method="pca"`` uses 64 principal components.  Labels are re-indexed
    ``0..k-1`` in the order given.  Test images are kept (uint8) for galleries.
    ``n_train`` keeps only that many training samples, the same share of every
    class (seeded; quick mode uses it).
    """
    (x_train, y_train), (x_test, y_test) = data.load_fashion_mnist(data_dir)
    scaled_train, scaled_test = data.scale_images(x_train), data.scale_images(x_test)
    if method == "autoencoder":
        model = reduction.load_or_train_autoencoder(scaled_train, progress=progress)
        f_train = reduction.encode(model, scaled_train)
        f_test = reduction.encode(model, scaled_test)
    elif method == "pca":
        pca = reduction.fit_pca(scaled_train)
        f_train = pca.transform(scaled_train).astype(np.float32)
        f_test = pca.transform(scaled_test).astype(np.float32)
    else:
        raise ValueError(f"method must be 'autoencoder' or 'pca', got {method!r}")
    f_train, y_train_sel = data.select_labels(f_train, y_train, labels)
    if n_train is not None and n_train < len(y_train_sel):
        keep, _ = train_test_split(np.arange(len(y_train_sel)), train_size=n_train,
                                   stratify=y_train_sel, random_state=0)
        keep = np.sort(keep)
        f_train, y_train_sel = f_train[keep], y_train_sel[keep]
    f_test_sel, y_test_sel = data.select_labels(f_test, y_test, labels)
    images_test, _ = data.select_labels(x_test, y_test, labels)
    return ReducedData(f_train, y_train_sel, f_test_sel, y_test_sel, images_test,
                       data.class_names(labels), list(labels))
