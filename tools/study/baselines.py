"""Classical models on the chapters' features, their settings chosen on validation.

Logistic regression is chapter 04's lesson (``lessons.tuned_logistic_regression``: C on
validation, one run); the Keras models here choose Adam's learning rate and the number of
epochs on the mean validation accuracy over the seeds (:func:`tuned_keras`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import keras
import numpy as np

from qnn_helpers import lessons, training
from qnn_helpers.engine import circuits
from qnn_helpers.engine.models import EagerEvaluation
from qnn_helpers.lessons import tuned_logistic_regression
from qnn_helpers.records import TunedBaseline, chosen_on_validation

LEARNING_RATES = (0.001, 0.003, 0.01)  # Adam's; one is chosen on validation,
MAX_EPOCHS = 10  # and so is the number of epochs, 1 to MAX_EPOCHS
SEEDS = (0, 1, 2, 3, 4)


def l2_normalised(x: np.ndarray) -> np.ndarray:
    """Every feature vector divided by its length: what the amplitude encoding keeps."""
    return np.asarray(circuits.normalize(np.asarray(x, dtype=np.float64)), dtype=np.float32)


def pairwise_products(x: np.ndarray) -> np.ndarray:
    """Products zᵢ zⱼ (i ≤ j) of the L2-normalised features z: one upload's inputs."""
    z = l2_normalised(x)
    i, j = np.triu_indices(z.shape[1])
    return z[:, i] * z[:, j]


class PairProducts(keras.layers.Layer):
    """``h`` → ``h`` and the products ``hᵢ hⱼ`` (i < j): six numbers become 21."""

    def call(self, h):
        i, j = np.triu_indices(h.shape[-1], k=1)
        pairs = keras.ops.take(h, i, axis=-1) * keras.ops.take(h, j, axis=-1)
        return keras.ops.concatenate([h, pairs], axis=-1)


HIDDEN: dict[str, Callable[[], list[keras.layers.Layer]]] = {
    "bottleneck": lambda: [keras.layers.Dense(6, "tanh")],  # like 6 ⟨Z⟩
    "bottleneck + products": lambda: [keras.layers.Dense(6, "tanh"), PairProducts()],
    "mlp": lambda: [keras.layers.Dense(32, "relu")],
    "linear": list,
}


def classical_model(kind, n_features: int, n_classes: int, learning_rate: float):
    """``kind``: a name of :data:`HIDDEN`, or a function that returns the hidden layers."""
    hidden = kind if callable(kind) else HIDDEN[kind]
    model = EagerEvaluation([keras.Input((n_features,)), *hidden(),
                             keras.layers.Dense(n_classes, "softmax")])
    model.compile(keras.optimizers.Adam(learning_rate), "categorical_crossentropy",
                  metrics=["categorical_accuracy"], jit_compile=True, steps_per_execution=32)
    return model


def tuned_keras(description, kind, x_train, y_train, x_val, y_val, x_test, y_test,
                seeds: Sequence[int] = SEEDS, batch_size: int = 64) -> TunedBaseline:
    """Standardised features; learning rate and epochs chosen on the mean validation
    accuracy over ``seeds``; then each seed's model at that choice meets the test images."""
    x_train, x_val, x_test = lessons.standardised(x_train, x_val, x_test)
    n_classes, val, kept = int(y_train.max()) + 1, {}, {}
    for lr in LEARNING_RATES:
        for seed in seeds:
            training.set_seed(seed)
            model = classical_model(kind, x_train.shape[1], n_classes, lr)
            kept[lr, seed] = []
            keep = keras.callbacks.LambdaCallback(
                on_epoch_end=lambda _, logs, k=kept[lr, seed], m=model: k.append(
                    m.get_weights()))
            run = lessons.fit(model, x_train, y_train, MAX_EPOCHS, batch_size, (x_val, y_val),
                              f"{getattr(kind, '__name__', kind)}, learning rate {lr}, "
                              f"seed {seed}", callbacks=[keep])
            val[lr, seed] = run.history["val_categorical_accuracy"]
    lr, epoch = chosen_on_validation({(lr, e): [val[lr, s][e] for s in seeds]
                                      for lr in LEARNING_RATES for e in range(MAX_EPOCHS)})
    tests = []
    for seed in seeds:
        model.set_weights(kept[lr, seed][epoch])
        tests.append(lessons.evaluate(model, x_test, y_test).accuracy)
    return TunedBaseline(description, int(model.count_params()),
                         f"Adam {lr}, batch {batch_size}, {epoch + 1} epochs", list(seeds),
                         [float(val[lr, s][epoch]) for s in seeds], tests)


def feature_split(data, f=lambda x: x) -> tuple:
    """``f`` of the training, validation and test features, each with its labels."""
    return (f(data.x_train), data.y_train, f(data.x_val), data.y_val, f(data.x_test),
            data.y_test)


def four_label_baselines(data, seeds: Sequence[int] = SEEDS) -> dict[str, TunedBaseline]:
    """Chapter 04's classical models on the features as given and L2-normalised."""
    out = {}
    for inputs, f in (("as given", lambda x: x), ("L2-normalised", l2_normalised)):
        split = feature_split(data, f)  # f applied once per input kind
        out[f"logistic regression, {inputs}"] = tuned_logistic_regression("64 → softmax",
                                                                          *split)
        out[f"6-unit bottleneck, {inputs}"] = tuned_keras("twin of 6 ⟨Z⟩", "bottleneck",
                                                          *split, seeds=seeds)
        out[f"MLP (32 hidden), {inputs}"] = tuned_keras("64 → 32 ReLU → softmax", "mlp",
                                                        *split, seeds=seeds)
    out["softmax on pairwise products"] = tuned_keras(
        "2,080 products zᵢzⱼ → softmax", "linear", *feature_split(data, pairwise_products),
        seeds=seeds)
    return out


def ten_label_baselines(post, improved, seeds: Sequence[int] = SEEDS,
                        ) -> dict[str, TunedBaseline]:
    """Chapter 05's classical models on the post's and the improved features."""
    split, lr, keras_ = feature_split, tuned_logistic_regression, tuned_keras
    return {
        "logistic regression, post's features": lr("64 → softmax", *split(post)),
        "logistic regression, L2-normalised": lr("64 → softmax", *split(post, l2_normalised)),
        "logistic regression, improved features": lr("64 → softmax", *split(improved)),
        "softmax on pairwise products": keras_("2,080 products zᵢzⱼ → softmax", "linear",
                                               *split(post, pairwise_products), seeds=seeds),
        "6-unit bottleneck, post's features": keras_("twin of 6 ⟨Z⟩", "bottleneck",
                                                     *split(post), seeds=seeds),
        "6-unit bottleneck, L2-normalised": keras_("twin of 6 ⟨Z⟩", "bottleneck",
                                                   *split(post, l2_normalised), seeds=seeds),
        "MLP (32 hidden), post's features": keras_("64 → 32 ReLU → softmax", "mlp",
                                                   *split(post), seeds=seeds),
        "6-unit bottleneck + products, improved features": keras_(
            "twin of 6 ⟨Z⟩ + 15 ⟨ZZ⟩", "bottleneck + products", *split(improved),
            seeds=seeds),
        "MLP (32 hidden), improved features": keras_("64 → 32 ReLU → softmax", "mlp",
                                                     *split(improved), seeds=seeds),
    }


def small_cnn_layers() -> list[keras.layers.Layer]:
    """A CNN with as many trained parameters as the post's 10-qubit model (350): two
    strided convolutions (104 + 185), global average pooling; the softmax adds 60."""
    return [
        keras.layers.Reshape((32, 32, 1)),
        keras.layers.Conv2D(4, 5, strides=2, activation="relu"),
        keras.layers.Conv2D(5, 3, strides=2, activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
    ]


def whole_image_baselines(whole, seeds: Sequence[int] = SEEDS) -> dict[str, TunedBaseline]:
    """Chapter 07's classical models on the same whole images."""
    split = feature_split(whole)
    return {
        "logistic regression, pixels": tuned_logistic_regression("1,024 pixels → softmax",
                                                                 *split),
        "CNN, 349 parameters": tuned_keras("parameter-matched CNN", small_cnn_layers, *split,
                                           seeds=seeds),
    }
