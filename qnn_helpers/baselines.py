"""Classical baselines on the same 64 features, for an honest comparison.

* logistic regression: a linear classifier on the 64 features;
* a 6-number bottleneck: ``Dense(6, tanh) → Dense(softmax)``, the classical
  twin of the quantum model (6 numbers reach the softmax layer);
* a small MLP: ``Dense(32, relu) → Dense(softmax)``.

Each runs on two inputs: the 64 features as given, and the features the circuit
actually sees — every vector L2-normalised (``x / |x|``), which drops its length.
Logistic regression standardises its input and is trained to convergence; the
Keras baselines train with the hybrid model's settings (Adam 0.01, batch 8, the
same number of epochs).  Each result says what it got (``recipe``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import keras
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from qnn_helpers import circuits, training
from qnn_helpers.models import EagerEvaluation

#: The inputs every baseline is trained on: the features as given, and L2-normalised.
Inputs = Literal["as given", "L2-normalised"]


@dataclass(frozen=True)
class BaselineResult:
    """A model's test accuracy, its number of trainable parameters, how it was trained."""

    accuracy: float
    parameters: int
    recipe: str = ""


def logistic_regression(
    x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, y_test: np.ndarray
) -> BaselineResult:
    """Standardised features → multinomial logistic regression."""
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    # One BLAS thread: on 64 features more threads only wait on each other (ten classes
    # on 2 cores: 12 s → 4 s), and the result does not depend on the number of cores.
    with threadpool_limits(1, user_api="blas"):
        model.fit(x_train, y_train)
    clf = model[-1]
    return BaselineResult(float(model.score(x_test, y_test)),
                          int(clf.coef_.size + clf.intercept_.size),
                          "standardised, L-BFGS to convergence")


def dense_classifier(n_features: int, n_classes: int, hidden: int, activation: str,
                     learning_rate: float = 0.01) -> keras.Model:
    """``Dense(hidden, activation) → Dense(n_classes, softmax)``, compiled like the hybrid model.

    Like the hybrid model it runs 32 training steps per call into the compiled
    graph (the same updates, less time in Keras' per-step overhead) and predicts and
    evaluates eagerly, without compiling (:class:`~qnn_helpers.models.EagerEvaluation`).
    """
    model = EagerEvaluation([
        keras.Input((n_features,)),
        keras.layers.Dense(hidden, activation=activation, name="hidden"),
        keras.layers.Dense(n_classes, activation="softmax", name="classifier"),
    ])
    model.compile(keras.optimizers.Adam(learning_rate), "categorical_crossentropy",
                  metrics=["categorical_accuracy"], jit_compile=True, steps_per_execution=32)
    model.build_training_state()  # the training step is then traced once
    return model


def keras_baseline(
    kind: Literal["bottleneck", "mlp"],
    x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, y_test: np.ndarray,
    epochs: int = 3, batch_size: int = 8, seed: int = 0,
) -> BaselineResult:
    """Train ``kind`` = ``"bottleneck"`` (6 tanh units) or ``"mlp"`` (32 ReLU units)."""
    hidden, activation = {"bottleneck": (6, "tanh"), "mlp": (32, "relu")}[kind]
    n_classes = int(max(y_train.max(), y_test.max()) + 1)
    training.set_seed(seed)
    model = dense_classifier(x_train.shape[1], n_classes, hidden, activation)
    training.fit(model, x_train, y_train, epochs=epochs, batch_size=batch_size, description=kind)
    return BaselineResult(training.evaluate(model, x_test, y_test).accuracy,
                          int(model.count_params()),
                          f"Adam 0.01, batch {batch_size}, epochs: {epochs} (the hybrid model's)")


def baseline_table(results: dict[str, BaselineResult],
                   quantum: BaselineResult | None = None) -> pd.DataFrame:
    """Table of models: test accuracy and trainable parameters (the hybrid model first)."""
    rows = dict(results)
    if quantum is not None:
        rows = {"hybrid (quantum) model": quantum, **rows}
    return pd.DataFrame(
        {"test accuracy": [r.accuracy for r in rows.values()],
         "parameters": [r.parameters for r in rows.values()],
         "training": [r.recipe for r in rows.values()]},
        index=pd.Index(list(rows), name="model"),
    )


def l2_normalised(x: np.ndarray) -> np.ndarray:
    """Every feature vector divided by its length: what the amplitude encoding keeps."""
    return np.asarray(circuits.normalize(np.asarray(x, dtype=np.float64)), dtype=np.float32)


def all_baselines(
    x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, y_test: np.ndarray,
    epochs: int = 3, inputs: Sequence[Inputs] = ("as given", "L2-normalised"),
) -> dict[str, BaselineResult]:
    """The three baselines on each of ``inputs``, by name (``"<model>, <input>"``)."""
    out = {}
    for kind in inputs:
        train, test = ((x_train, x_test) if kind == "as given"
                       else (l2_normalised(x_train), l2_normalised(x_test)))
        out[f"logistic regression, {kind}"] = logistic_regression(train, y_train, test, y_test)
        for model, name in [("bottleneck", "6-unit bottleneck"), ("mlp", "MLP (32 hidden)")]:
            out[f"{name}, {kind}"] = keras_baseline(model, train, y_train, test, y_test,
                                                    epochs=epochs)
    return out
