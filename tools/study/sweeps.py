"""Variants trained over several seeds, by one runner for every sweep.

A :class:`Sweep` names its record, its variants, how to load their data and what every
model shares; :func:`run_variant` trains one variant with every seed, keeps each seed's
weights after every epoch, picks the epoch (the last, or the one of the highest mean
validation accuracy) and only then meets the test images.  A new sweep, or a variant of
an existing one, is a few lines here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import keras
import numpy as np
from sklearn.decomposition import PCA

from qnn_helpers import lessons, training
from qnn_helpers.engine.models import build_hybrid_model
from qnn_helpers.records import Run, chosen_on_validation

SEEDS = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class Variant:
    """A model setting: ``build_hybrid_model`` keywords, features, training."""

    description: str
    model: dict[str, Any] = field(default_factory=dict)
    features: str | None = None  # which data (None: the sweep's default)
    angle_pcs: int = 0  # > 0: that many principal components as angles (angle_features)
    cosine_decay: bool = False  # learning rate 0.01 → 0.001 over the training
    ablation: bool = False  # removes a part to measure it; never the chosen variant
    epochs: int = 3
    batch_size: int = 8


@dataclass(frozen=True)
class Sweep:
    """Variants compared seed by seed, recorded together in ``qnn_helpers/recorded``."""

    record: str  # the record's name
    variants: dict[str, Variant]
    data: Callable[[str], lessons.ReducedData]  # features name → data
    features: str  # the default features
    model: dict[str, Any] = field(default_factory=dict)  # keywords of every model
    choose_epoch: bool = False  # test the epoch chosen on validation (else the last)

    def features_of(self, name: str) -> str:
        return self.variants[name].features or self.features


def angle_features(x_train: np.ndarray, *others: np.ndarray, n_components: int = 6,
                   seed: int = 0) -> list[np.ndarray]:
    """``n_components`` principal components of the features, scaled to ``[0, 1]`` by the
    training range (the ``others`` clipped to it), for angle encoding."""
    pca = PCA(n_components=n_components, random_state=seed).fit(x_train)
    z_train = pca.transform(x_train)
    lo, hi = z_train.min(axis=0), z_train.max(axis=0)

    def scale(z: np.ndarray) -> np.ndarray:
        return np.clip((z - lo) / (hi - lo), 0, 1).astype(np.float32)

    return [scale(z_train), *(scale(pca.transform(x)) for x in others)]


def build_variant(sweep: Sweep, variant: Variant, n_classes: int,
                  n_train: int) -> keras.Model:
    """The compiled model of a variant (``n_train`` sets the cosine schedule's length)."""
    kwargs = {**sweep.model, **variant.model}
    if variant.cosine_decay:
        steps = variant.epochs * (n_train // variant.batch_size)
        kwargs["learning_rate"] = keras.optimizers.schedules.CosineDecay(0.01, steps,
                                                                         alpha=0.1)
    return build_hybrid_model(n_classes, **kwargs)


def run_variant(sweep: Sweep, name: str, data: lessons.ReducedData,
                seeds: Sequence[int] = SEEDS) -> tuple[list[Run], list[keras.Model]]:
    """Every seed of variant ``name`` trained on ``data`` (its features); the runs and
    the models, each set to the weights of the epoch that met the test images."""
    variant = sweep.variants[name]
    x_train, x_val, x_test = data.x_train, data.x_val, data.x_test
    if variant.angle_pcs:  # one number per qubit, from a PCA of the training features
        x_train, x_val, x_test = angle_features(x_train, x_val, x_test,
                                                n_components=variant.angle_pcs)
    models, kept, val, seconds = [], [], [], []
    for seed in seeds:
        training.set_seed(seed)
        model = build_variant(sweep, variant, data.n_classes, len(data.y_train))
        weights: list[list[np.ndarray]] = []
        keep = keras.callbacks.LambdaCallback(
            on_epoch_end=lambda _, logs, k=weights, m=model: k.append(m.get_weights()))
        start = time.perf_counter()
        fitted = lessons.fit(model, x_train, data.y_train, variant.epochs, variant.batch_size,
                             (x_val, data.y_val), f"{name}, seed {seed}", callbacks=[keep])
        seconds.append(round(time.perf_counter() - start, 1))
        models.append(model)
        kept.append(weights)
        val.append([float(a) for a in fitted.history["val_categorical_accuracy"]])
    epoch = (chosen_on_validation({e: [v[e] for v in val] for e in range(variant.epochs)})
             if sweep.choose_epoch else variant.epochs - 1)
    params = lessons.count_parameters(models[0])
    runs = []
    for seed, model, weights, v, s in zip(seeds, models, kept, val, seconds, strict=True):
        model.set_weights(weights[epoch])
        runs.append(Run(variant.description, seed, v, epoch + 1,
                        lessons.evaluate(model, x_test, data.y_test).accuracy,
                        params["quantum"], params["classical"], s, variant.ablation))
    return runs, models


def run_sweep(sweep: Sweep, names: Sequence[str] | None = None,
              seeds: Sequence[int] = SEEDS) -> dict[str, list[Run]]:
    """``names`` (default: every variant) with every seed, data loaded once per features."""
    out = {}
    for name in names or list(sweep.variants):
        start = time.perf_counter()
        out[name], _ = run_variant(sweep, name, sweep.data(sweep.features_of(name)), seeds)
        print(f"{name}: {(time.perf_counter() - start) / 60:.1f} min", flush=True)
    return out


@cache  # loaded once per run: the sweep and the baselines share them
def ten_labels(autoencoder: str) -> lessons.ReducedData:
    """All ten classes, 64 features of an autoencoder recipe."""
    return lessons.reduced_fashion_mnist(labels=range(10), progress=False,
                                         autoencoder=autoencoder)


@cache
def whole_images(scaling: str) -> lessons.ReducedData:
    """All ten classes, whole images as 1,024 amplitudes."""
    return lessons.whole_fashion_mnist(scaling=scaling)


#: Chapter 05: the post's model, ablations and variants on 6 qubits (the last epoch tested).
SIX_QUBITS = Sweep("variants", {
    "post": Variant("the post's model: 6 ⟨Z⟩ → softmax"),
    "frozen circuit": Variant("ablation: random circuit weights kept, only the softmax "
                              "trains", {"freeze_circuit": True}, ablation=True),
    "no layer CNOTs": Variant("ablation: no CNOTs in the trainable layers (the uploads "
                              "still entangle)", {"cnot_ranges": "none"}, ablation=True),
    "1 upload": Variant("ablation: the features uploaded once, before layer 0",
                        {"upload_every": 8}, ablation=True),
    "2 uploads": Variant("ablation: the features uploaded before layers 0 and 4",
                         {"upload_every": 4}, ablation=True),
    "angle encoding": Variant("6 principal components of the features as RY angles, "
                              "4 uploads", {"encoding": "angle"}, angle_pcs=6),
    "cycling ranges": Variant("CNOT ranges 1, 2, 3, 4, 5, 1, 2, 3 (one 8-layer template "
                              "call)", {"cnot_ranges": "cycling"}),
    "correlators": Variant("6 ⟨Z⟩ + 15 ⟨ZZ⟩ → softmax", {"readout": "zz"}),
    "improved autoencoder": Variant("the post's model on the improved autoencoder's "
                                    "features", features="improved"),
    "improved + correlators": Variant("improved autoencoder, 6 ⟨Z⟩ + 15 ⟨ZZ⟩, cosine "
                                      "learning rate 0.01 → 0.001", {"readout": "zz"},
                                      features="improved", cosine_decay=True),
}, data=ten_labels, features="post")

#: Chapter 07: whole images on 10 qubits (the epoch chosen on validation).
TEN_QUBITS = Sweep("ten_qubits", {
    "post, 10 qubits": Variant("the post's circuit on 10 qubits: 8 layers, 4 uploads, "
                               "10 ⟨Z⟩ → softmax"),
    "correlators": Variant("10 ⟨Z⟩ + 45 ⟨ZZ⟩ → softmax", {"readout": "zz"}),
    "2 uploads": Variant("the image uploaded before layers 0 and 4 only",
                         {"upload_every": 4}),
    "16 layers": Variant("16 layers, the image before every fourth: 4 uploads",
                         {"n_layers": 16, "upload_every": 4}),
    "square-root pixels": Variant("the square roots of the pixels as amplitudes",
                                  features="sqrt"),
    "angle encoding": Variant("10 principal components of the pixels as RY angles, "
                              "4 uploads", {"encoding": "angle"}, angle_pcs=10),
}, data=whole_images, features="linear",
    model={"n_qubits": 10, **lessons.TEN_QUBIT_EVALUATION}, choose_epoch=True)

#: chapter 04's number of epochs for the post's 4-label model (chosen there on validation)
FOUR_LABEL_EPOCHS = 5


def four_labels(data: lessons.ReducedData, seed: int, epochs: int = FOUR_LABEL_EPOCHS,
                ) -> dict[str, Any]:
    """The post's 4-label model with one seed: test after epoch 1 and after the last."""
    training.set_seed(seed)
    model = build_hybrid_model(4)
    start = time.perf_counter()
    val = (data.x_val, data.y_val)
    first = lessons.fit(model, data.x_train, data.y_train, validation_data=val, epochs=1,
                        description=f"4 labels, seed {seed}")
    test_epoch1 = lessons.evaluate(model, data.x_test, data.y_test).accuracy
    rest = lessons.fit(model, data.x_train, data.y_train, validation_data=val,
                       epochs=epochs - 1, description=f"4 labels, seed {seed}")
    return {
        "seed": seed,
        "val_accuracy_per_epoch": [float(a) for a in first.history["val_categorical_accuracy"]
                                   + rest.history["val_categorical_accuracy"]],
        "test_accuracy_epoch1": test_epoch1,
        "test_accuracy_last": lessons.evaluate(model, data.x_test, data.y_test).accuracy,
        "epochs": epochs,
        "train_seconds": round(time.perf_counter() - start, 1),
    }
