"""What limits the 6-qubit model on 10 labels?  The variants of chapter 05.

Each :class:`Variant` is a setting of :func:`~qnn_helpers.models.build_hybrid_model`
(plus epochs, a learning-rate schedule and the autoencoder recipe); :func:`run`
trains one with a given seed.  ``python -m tools.variants`` (``make variants``)
trains every variant with several seeds and writes ``results/variants.json``;
chapter 05 shows that table (mean ± sd over the seeds), picks the best variant
on the *validation* images (:func:`best`) and trains it.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import keras
import numpy as np
import pandas as pd

from qnn_helpers import pipeline, reduction, training
from qnn_helpers.models import build_hybrid_model


@dataclass
class Variant:
    """A model setting: ``build_hybrid_model`` keywords, epochs, batch size, features."""

    description: str
    model: dict[str, Any] = field(default_factory=dict)
    epochs: int = 3
    batch_size: int = 8
    cosine_decay: bool = False  # learning rate 0.01 → 0.001 over the training
    autoencoder: reduction.Recipe = "post"  # which features (see qnn_helpers.reduction)
    ablation: bool = False  # removes a part to measure it; never the "best" variant


VARIANTS: dict[str, Variant] = {
    "post": Variant("the post's model: 6 ⟨Z⟩ → softmax"),
    "frozen circuit": Variant("ablation: random circuit weights kept, only the softmax trains",
                              {"freeze_circuit": True}, ablation=True),
    "no CNOTs": Variant("ablation: the same rotations without CNOTs (no entanglement)",
                        {"cnot_ranges": "none"}, ablation=True),
    "cycling ranges": Variant("CNOT ranges 1, 2, 3, 4, 5, 1, 2, 3 (one 8-layer template call)",
                              {"cnot_ranges": "cycling"}),
    "correlators": Variant("6 ⟨Z⟩ + 15 ⟨ZZ⟩ → softmax", {"readout": "zz"}),
    "improved autoencoder": Variant("the post's model on the improved autoencoder's features",
                                    autoencoder="improved"),
    "improved + correlators": Variant(
        "improved autoencoder, 6 ⟨Z⟩ + 15 ⟨ZZ⟩, cosine learning rate 0.01 → 0.001",
        {"readout": "zz"}, cosine_decay=True, autoencoder="improved"),
}


def build(variant: Variant, n_classes: int, n_train: int) -> keras.Model:
    """The compiled model of a variant (``n_train`` sets the schedule's length)."""
    kwargs = dict(variant.model)
    if variant.cosine_decay:
        steps = variant.epochs * (n_train // variant.batch_size)
        kwargs["learning_rate"] = keras.optimizers.schedules.CosineDecay(0.01, steps, alpha=0.1)
    return build_hybrid_model(n_classes, **kwargs)


@dataclass
class VariantResult:
    """What :func:`run` measured for one variant and seed.

    The validation accuracy after every epoch (what choices are made on) and the
    test accuracy of the final model (measured once, for reporting).
    """

    description: str
    seed: int
    val_accuracy_per_epoch: list[float]
    test_accuracy: float
    quantum_parameters: int
    classical_parameters: int
    train_seconds: float
    epochs: int

    @property
    def val_accuracy(self) -> float:
        return self.val_accuracy_per_epoch[-1]

    def record(self) -> dict[str, Any]:
        """The result as a plain dict (for JSON)."""
        return asdict(self)


def run(name: str, data: pipeline.ReducedData, seed: int = 0, epochs: int | None = None
        ) -> tuple[VariantResult, keras.Model]:
    """Train variant ``name`` on ``data`` with ``seed``; return its result and the model.

    ``data`` must hold the features of the variant's autoencoder recipe.  ``epochs``
    overrides the variant's number of epochs (quick mode uses fewer).
    """
    variant = VARIANTS[name]
    if epochs is not None:
        variant = dataclasses.replace(variant, epochs=epochs)
    training.set_seed(seed)
    model = build(variant, data.n_classes, len(data.y_train))
    start = time.perf_counter()
    fit = training.fit_epochs(model, data.x_train, data.y_train, data.x_val, data.y_val,
                              epochs=variant.epochs, batch_size=variant.batch_size,
                              description=name)
    seconds = round(time.perf_counter() - start, 1)
    params = training.count_parameters(model)
    result = VariantResult(
        description=variant.description,
        seed=seed,
        val_accuracy_per_epoch=[float(a) for a in fit.history["val_categorical_accuracy"]],
        test_accuracy=training.evaluate(model, data.x_test, data.y_test).accuracy,
        quantum_parameters=params["quantum"],
        classical_parameters=params["classical"],
        train_seconds=seconds,
        epochs=variant.epochs,
    )
    return result, model


def table(rows: dict[str, list[VariantResult]]) -> pd.DataFrame:
    """Mean and standard deviation over the seeds: validation and test accuracy, size, time."""
    records = []
    for name, runs in rows.items():
        val = np.array([r.val_accuracy for r in runs])
        test = np.array([r.test_accuracy for r in runs])
        records.append({
            "variant": name, "seeds": len(runs),
            "val_mean": val.mean(), "val_sd": val.std(ddof=1) if len(runs) > 1 else np.nan,
            "test_mean": test.mean(), "test_sd": test.std(ddof=1) if len(runs) > 1 else np.nan,
            "quantum_parameters": runs[0].quantum_parameters,
            "classical_parameters": runs[0].classical_parameters,
            "train_seconds": float(np.mean([r.train_seconds for r in runs])),
        })
    return pd.DataFrame.from_records(records).set_index("variant")


def best(rows: dict[str, list[VariantResult]]) -> str:
    """The variant with the highest mean *validation* accuracy (ablations excluded)."""
    candidates = {n: r for n, r in rows.items() if not VARIANTS[n].ablation}
    return max(candidates, key=lambda n: np.mean([r.val_accuracy for r in candidates[n]]))


def load_results(path: str | Path | None = None) -> dict[str, list[VariantResult]]:
    """Results written by ``python -m tools.variants``: the file ``path``, else the table it
    recorded into this package (``qnn_helpers/variants.json``), which any folder can read."""
    source = resources.files("qnn_helpers") / "variants.json" if path is None else Path(path)
    rows = json.loads(source.read_text(encoding="utf-8"))
    return {name: [VariantResult(**r) for r in runs] for name, runs in rows.items()
            if name in VARIANTS}
