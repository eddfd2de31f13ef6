"""What limits the 6-qubit model on 10 labels?  The variants of chapter 05.

Each :class:`Variant` is a setting of :func:`~qnn_helpers.models.build_hybrid_model`
(plus epochs and a learning-rate schedule); :func:`run` trains one on the same
data and seed as the others.  ``python -m tools.variants`` (``make variants``)
trains them all and writes ``results/variants.json``; chapter 05 shows that
table and trains the best one.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import keras
import pandas as pd

from qnn_helpers import pipeline, training
from qnn_helpers.models import build_hybrid_model


@dataclass
class Variant:
    """A model setting: ``build_hybrid_model`` keywords, epochs, batch size."""

    description: str
    model: dict[str, Any] = field(default_factory=dict)
    epochs: int = 3
    batch_size: int = 8
    cosine_decay: bool = False  # learning rate 0.01 → 0.001 over the training


VARIANTS: dict[str, Variant] = {
    "post": Variant("the post's model: 6 ⟨Z⟩ → softmax"),
    "one upload per layer": Variant("8 uploads instead of 4", {"upload_every": 1}),
    "hidden layer": Variant("6 ⟨Z⟩ → Dense(32, relu) → softmax", {"hidden_units": 32}),
    "probabilities": Variant("64 basis-state probabilities → softmax", {"readout": "probs"}),
    "correlators": Variant("6 ⟨Z⟩ + 15 ⟨ZZ⟩ → softmax", {"readout": "zz"}),
    "correlators + scaling": Variant("trainable input scaling, 6 ⟨Z⟩ + 15 ⟨ZZ⟩",
                                     {"readout": "zz", "input_scaling": True}),
    "correlators, 6 epochs": Variant("6 ⟨Z⟩ + 15 ⟨ZZ⟩, 6 epochs, cosine learning rate",
                                     {"readout": "zz"}, epochs=6, cosine_decay=True),
}

#: The variant chapter 05 trains and recommends.
BEST = "correlators, 6 epochs"


def build(variant: Variant, n_classes: int, n_train: int) -> keras.Model:
    """The compiled model of a variant (``n_train`` sets the schedule's length)."""
    kwargs = dict(variant.model)
    if variant.cosine_decay:
        steps = variant.epochs * (n_train // variant.batch_size)
        kwargs["learning_rate"] = keras.optimizers.schedules.CosineDecay(0.01, steps, alpha=0.1)
    return build_hybrid_model(n_classes, **kwargs)


@dataclass
class VariantResult:
    """What :func:`run` measured for one variant (the test set after every epoch)."""

    description: str
    accuracy: float
    accuracy_per_epoch: list[float]
    quantum_parameters: int
    classical_parameters: int
    train_seconds: float
    epochs: int

    def record(self) -> dict[str, Any]:
        """The result as a plain dict (for JSON)."""
        return asdict(self)


def run(name: str, data: pipeline.ReducedData, seed: int = 0, epochs: int | None = None
        ) -> tuple[VariantResult, keras.Model]:
    """Train variant ``name`` on ``data``; return its result and the trained model.

    ``epochs`` overrides the variant's number of epochs (quick mode uses fewer).
    """
    variant = VARIANTS[name]
    if epochs is not None:
        variant = dataclasses.replace(variant, epochs=epochs)
    training.set_seed(seed)
    model = build(variant, data.n_classes, len(data.y_train))
    start = time.perf_counter()
    fit = training.fit_epochs(model, data.x_train, data.y_train, data.x_test, data.y_test,
                              epochs=variant.epochs, batch_size=variant.batch_size,
                              description=name)
    params = training.count_parameters(model)
    result = VariantResult(
        description=variant.description,
        accuracy=fit.history["val_categorical_accuracy"][-1],
        accuracy_per_epoch=fit.history["val_categorical_accuracy"],
        quantum_parameters=params["quantum"],
        classical_parameters=params["classical"],
        train_seconds=round(time.perf_counter() - start, 1),
        epochs=variant.epochs,
    )
    return result, model


def table(rows: dict[str, VariantResult]) -> pd.DataFrame:
    """The variants as a table: accuracy, parameters, training time."""
    frame = pd.DataFrame({name: r.record() for name, r in rows.items()}).T
    frame = frame[["accuracy", "quantum_parameters", "classical_parameters", "train_seconds"]]
    return frame.rename_axis("variant").astype(
        {"accuracy": float, "quantum_parameters": int, "classical_parameters": int,
         "train_seconds": float})


def load_results(path: str | Path) -> dict[str, VariantResult]:
    """Results written by ``python -m tools.variants`` (e.g. ``results/variants.json``)."""
    rows = json.loads(Path(path).read_text())
    return {name: VariantResult(**row) for name, row in rows.items()}
