"""What limits the 6-qubit model on 10 labels? ``python -m qnn_helpers.variants``.

Trains every variant in :data:`VARIANTS` on the 10-label features (same data,
seed 0) and records test accuracy, quantum and classical parameter counts and
training time in ``results/variants.json``; chapter 05 shows the table and
trains the best one.  Takes about 10 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from typing import Any

import keras

from qnn_helpers import pipeline, results, training
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


def run(name: str, data: pipeline.ReducedData, seed: int = 0) -> dict[str, Any]:
    """Train one variant; return accuracy, parameter counts, time and per-epoch accuracy."""
    variant = VARIANTS[name]
    training.set_seed(seed)
    model = build(variant, data.n_classes, len(data.y_train))
    start = time.perf_counter()
    fit = training.fit_epochs(model, data.x_train, data.y_train, data.x_test, data.y_test,
                              epochs=variant.epochs, batch_size=variant.batch_size,
                              description=name)
    params = training.count_parameters(model)
    return {
        "description": variant.description,
        "accuracy": fit.history["val_categorical_accuracy"][-1],
        "accuracy_per_epoch": fit.history["val_categorical_accuracy"],
        "quantum_parameters": params["quantum"],
        "classical_parameters": params["classical"],
        "train_seconds": round(time.perf_counter() - start, 1),
        "epochs": variant.epochs,
        "model": model,
    }


def table(rows: dict[str, dict[str, Any]]) -> str:
    """Printable table of recorded variants."""
    head = f"{'variant':24s} {'accuracy':>8s} {'quantum':>7s} {'classical':>9s} {'time':>7s}"
    lines = [head] + [
        f"{name:24s} {r['accuracy']:8.4f} {r['quantum_parameters']:7d} "
        f"{r['classical_parameters']:9d} {r['train_seconds']:6.0f}s" for name, r in rows.items()
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these variants")
    args = parser.parse_args(argv)
    data = pipeline.reduced_fashion_mnist(labels=range(10), progress=False)
    rows = {}
    for name in args.names or list(VARIANTS):
        row = run(name, data)
        row.pop("model")
        rows[name] = row
        results.record("variants", **{name: row})
    print(table(rows))
    results.refresh_readme()


if __name__ == "__main__":
    main()
