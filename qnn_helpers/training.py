"""Seeding and the progress bar and NaN guard of chapter 04's training loop (``lessons.fit``)."""

import sys
import time

import keras
import numpy as np
from tqdm.std import tqdm


def set_seed(seed: int = 0) -> None:
    """Seed Python, NumPy and the backend (``keras.utils.set_random_seed``).

    TensorFlow's op determinism stays off: Keras compiles no model with XLA while it is on,
    and the series' CPU runs give the same bits without it, under load too
    (``tests/test_same_numbers.py``)."""
    keras.utils.set_random_seed(seed)


class ProgressBar(keras.callbacks.Callback):
    """One plain-text bar per training on stdout (the series' only one): batches, the epoch,
    the last epoch's loss and accuracy; each epoch's wall time in ``epoch_times``."""

    def __init__(self, description: str, steps_per_epoch: int) -> None:
        super().__init__()
        self.description = description
        self._steps = steps_per_epoch
        self.epoch_times: list[float] = []

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._epochs = self.params["epochs"]
        self.bar = tqdm(total=self._steps * self._epochs, desc=self.description,
                        unit="batch", file=sys.stdout, ncols=100, mininterval=1.0,
                        smoothing=0)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._start = time.perf_counter()
        self._done = 0

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        # ``batch`` is the last step run (one call per execution with steps_per_execution).
        done = min(batch + 1, self._steps)
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
    """Stop training with an error that says what to check when the loss is NaN or infinite
    (Keras reports it every ``steps_per_execution`` batches)."""

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(float(loss)):
            self.model.stop_training = True
            raise FloatingPointError(
                f"the training loss is {float(loss)} after batch {batch}: check the features "
                "for NaN or infinite values (np.isfinite(x).all()) and try a smaller learning "
                "rate; the model's weights are spoilt, build it again")


def one_hot(y: np.ndarray, n_classes: int) -> np.ndarray:
    """Integer labels → one-hot float32 rows (checks the range)."""
    y = np.asarray(y)
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"labels must be in 0..{n_classes - 1}, got {y.min()}..{y.max()}")
    return keras.utils.to_categorical(y, n_classes).astype(np.float32)
