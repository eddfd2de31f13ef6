"""Seeding, fitting with a progress bar, and evaluation."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

import keras
import numpy as np
from sklearn.metrics import confusion_matrix
from tqdm.std import tqdm


def set_seed(seed: int = 0) -> None:
    """Seed Python, NumPy and TensorFlow (``keras.utils.set_random_seed``)."""
    keras.utils.set_random_seed(seed)


class ProgressBar(keras.callbacks.Callback):
    """One text progress bar per training, over every batch of every epoch.

    The bar counts training steps (batches), so it moves inside an epoch, and
    shows the epoch and the last epoch's loss and accuracy.  It writes plain
    text to stdout, so a committed notebook shows one clean line per training.
    It also records the wall time of every epoch in ``epoch_times``.  (tqdm's
    own ``TqdmCallback`` draws two bars, one per epoch and one per batch.)
    """

    def __init__(self, description: str = "training", steps_per_epoch: int | None = None) -> None:
        super().__init__()
        self.description = description
        self.steps_per_epoch = steps_per_epoch
        self.epoch_times: list[float] = []

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._steps = self.steps_per_epoch or self.params.get("steps") or 0
        self._epochs = self.params["epochs"]
        self.bar = tqdm(total=self._steps * self._epochs or None, desc=self.description,
                        unit="batch", file=sys.stdout, ncols=100, mininterval=1.0,
                        smoothing=0)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._start = time.perf_counter()
        self._done = 0

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        # ``batch`` is the last step run (one call per execution with steps_per_execution).
        done = min(batch + 1, self._steps) if self._steps else batch + 1
        self.bar.update(done - self._done)
        self._done = done

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch_times.append(time.perf_counter() - self._start)
        shown = {"epoch": f"{epoch + 1}/{self._epochs}"}
        shown |= {k: f"{float(v):.3f}" for k, v in (logs or {}).items()
                  if "loss" in k or "acc" in k}
        self.bar.set_postfix(shown, refresh=False)
        self.bar.update(max(self._steps - self._done, 0))

    def on_train_end(self, logs: dict | None = None) -> None:
        self.bar.close()


class StopOnNaN(keras.callbacks.Callback):
    """Stop training with an error that says what to check when the loss is NaN or infinite.

    Inside the compiled training step no value is checked: a NaN or infinite feature
    makes its sample's outputs, and so the loss, NaN, and the next update spoils every
    weight.  Keras reports the loss every ``steps_per_execution`` batches.
    """

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(float(loss)):
            self.model.stop_training = True
            raise FloatingPointError(
                f"the training loss is {float(loss)} after batch {batch}: check the features "
                "for NaN or infinite values (np.isfinite(x).all()) and try a smaller learning "
                "rate; the model's weights are spoilt, build it again")


@dataclass
class FitResult:
    """What :func:`fit` returns: the Keras history plus timings."""

    history: dict[str, list[float]]
    epoch_times: list[float]


def one_hot(y: np.ndarray, n_classes: int) -> np.ndarray:
    """Integer labels → one-hot float32 rows (checks the range)."""
    y = np.asarray(y)
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"labels must be in 0..{n_classes - 1}, got {y.min()}..{y.max()}")
    return keras.utils.to_categorical(y, n_classes).astype(np.float32)


def fit(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    epochs: int = 1,
    batch_size: int = 8,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    description: str = "training",
) -> FitResult:
    """Train a classifier on features ``x`` and integer labels ``y`` with a progress bar.

    Labels are one-hot encoded for the categorical loss.  The data are shuffled
    every epoch (seeded by :func:`set_seed`).  With ``validation_data`` (features
    and integer labels) the history also holds ``val_loss`` and
    ``val_categorical_accuracy`` after every epoch.  Returns the history and the
    wall time of every epoch (compilation happens during the first).

    A loss that becomes NaN or infinite stops it with an error (:class:`StopOnNaN`);
    the models of :mod:`qnn_helpers.models` refuse NaN or infinite NumPy features before.
    """
    n_classes = model.output_shape[-1]
    bar = ProgressBar(description, steps_per_epoch=-(-len(x) // batch_size))
    val = None
    if validation_data is not None:
        val = (validation_data[0], one_hot(validation_data[1], n_classes))
    history = model.fit(
        x, one_hot(y, n_classes), epochs=epochs, batch_size=batch_size,
        validation_data=val, verbose=0, callbacks=[bar, StopOnNaN()],
        shuffle=True,
    )
    return FitResult(history=history.history, epoch_times=bar.epoch_times)


def fit_epochs(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    epochs: int,
    batch_size: int = 8,
    description: str = "training",
) -> FitResult:
    """:func:`fit` for ``epochs`` epochs, measuring the validation set after each.

    The history holds the training ``loss`` and ``categorical_accuracy`` and the
    validation set's ``val_loss`` and ``val_categorical_accuracy`` for every epoch.
    Choices (how many epochs, which variant) are made on these; the test set is
    evaluated once, at the end, with :func:`evaluate`.
    """
    return fit(model, x, y, epochs=epochs, batch_size=batch_size,
               validation_data=(x_val, y_val), description=description)


@dataclass
class Evaluation:
    """Test-set results: accuracy, per-class accuracy, confusion matrix, probabilities."""

    accuracy: float
    per_class: np.ndarray
    confusion: np.ndarray
    probabilities: np.ndarray
    predictions: np.ndarray
    labels: np.ndarray
    class_names: list[str] = field(default_factory=list)

    def per_class_table(self) -> dict[str, float]:
        """``{class name: accuracy}``."""
        return {n: float(a) for n, a in zip(self.class_names, self.per_class, strict=True)}


def evaluate(
    model: keras.Model, x: np.ndarray, y: np.ndarray, class_names: list[str] | None = None,
    batch_size: int | None = None,
) -> Evaluation:
    """Predict ``x`` and compare with integer labels ``y``."""
    probs = np.asarray(model.predict(x, batch_size=batch_size, verbose=0))
    return evaluation_from_probabilities(probs, y, class_names)


def evaluation_from_probabilities(
    probs: np.ndarray, y: np.ndarray, class_names: list[str] | None = None
) -> Evaluation:
    """An :class:`Evaluation` from class probabilities (or scores) and true labels."""
    n_classes = probs.shape[1]
    y = np.asarray(y)
    pred = probs.argmax(axis=1)
    cm = confusion_matrix(y, pred, labels=np.arange(n_classes))  # rows: true classes
    with np.errstate(invalid="ignore", divide="ignore"):
        per_class = np.diag(cm) / cm.sum(axis=1)
    names = list(class_names) if class_names is not None else [str(i) for i in range(n_classes)]
    return Evaluation(
        accuracy=float(np.mean(pred == y)), per_class=per_class, confusion=cm,
        probabilities=probs, predictions=pred, labels=y, class_names=names,
    )


def count_parameters(model: keras.Model) -> dict[str, int]:
    """Trainable parameters, split into quantum (circuit weights) and classical."""
    quantum = sum(int(np.prod(w.shape)) for w in model.trainable_weights
                  if "circuit_weights" in w.path)
    total = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    return {"quantum": quantum, "classical": total - quantum, "total": total}
