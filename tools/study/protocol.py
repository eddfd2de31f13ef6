"""One tuning protocol for every compared model, quantum and classical.

Every tuned row of a table is chosen the same way (:class:`Protocol`):

1. **Tune.** With each learning rate of the grid and each tuning seed, Adam trains up to
   ``max_epochs`` epochs, and the validation accuracy is read after every epoch.
2. **Choose.** The (learning rate, epoch) of the highest mean validation accuracy over the
   tuning seeds (:func:`choose`).
3. **Widen.** If the choice sits on an edge, the grid grows along :data:`LEARNING_RATES` or
   the epoch cap by half (:func:`widen`), the new runs are trained (the cached ones continue
   from their last epoch) and step 2 repeats, until the choice is inside its grid or the
   ladder ends (then the record says so).
4. **Confirm.** Every seed trains at the chosen learning rate to the chosen epoch, and only
   then meets the test images, once.

A fixed row (the post's own settings, a reproduction) skips 1-3: its grid is its setting.
Logistic regression is tuned the same way over ``C`` (it is deterministic: one run).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

#: Adam's learning rates a grid may widen along (the first grid is a window of it)
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3)
#: logistic regression's inverse regularisation strengths a grid may widen along
C_VALUES = (1e-4, 1e-3, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0)
#: the largest epoch cap widening may reach (a choice at it is reported as an edge)
EPOCH_LIMIT = 40


@dataclass(frozen=True)
class Protocol:
    """The tuning protocol of one table: every tuned row in it follows these settings."""

    learning_rates: tuple[float, ...] = (0.003, 0.01, 0.03)  # the first grid
    max_epochs: int = 6  # the first epoch cap
    batch_size: int = 32
    tuning_seeds: tuple[int, ...] = (0, 1)
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4)

    def __post_init__(self) -> None:
        if not set(self.learning_rates) <= set(LEARNING_RATES):
            raise ValueError(f"learning_rates must come from {LEARNING_RATES}")
        if not set(self.tuning_seeds) <= set(self.seeds):
            raise ValueError("tuning_seeds must be among the seeds")

    def describe(self) -> dict:
        return {"first learning rates": list(self.learning_rates),
                "first epoch cap": self.max_epochs, "batch size": self.batch_size,
                "tuning seeds": list(self.tuning_seeds), "seeds": list(self.seeds)}


@dataclass
class Choice:
    """Where the mean validation accuracy over the tuning seeds is highest."""

    learning_rate: float
    epochs: int  # 1 = after the first epoch
    val_mean: float
    edges: list[str] = field(default_factory=list)  # the hyperparameters chosen at an edge


def choose(curves: dict[float, Sequence[Sequence[float]]], max_epochs: int) -> Choice:
    """``curves``: learning rate → one validation curve per tuning seed (accuracy after
    each epoch, at least ``max_epochs`` long).  The first maximum wins a tie (the smaller
    learning rate, then the earlier epoch)."""
    best = None
    for lr in sorted(curves):
        mean = np.mean([c[:max_epochs] for c in curves[lr]], axis=0)
        epoch = int(np.argmax(mean))
        if best is None or mean[epoch] > best.val_mean:
            best = Choice(lr, epoch + 1, float(mean[epoch]))
    grid = sorted(curves)
    if len(grid) > 1 and best.learning_rate in (grid[0], grid[-1]):
        best.edges.append("learning_rate")
    if best.epochs == max_epochs:
        best.edges.append("epochs")
    return best


def widen(grid: Sequence[float], max_epochs: int, choice: Choice,
          ladder: Sequence[float] = LEARNING_RATES) -> tuple[list[float], int] | None:
    """The next grid and epoch cap when ``choice`` sits on an edge: one more value along
    ``ladder`` beyond the chosen edge, and the cap half as long again.  ``None`` when the
    choice is inside, or when the ladder and :data:`EPOCH_LIMIT` leave nowhere to widen."""
    new_grid, cap = sorted(grid), max_epochs
    if "learning_rate" in choice.edges:
        i = ladder.index(choice.learning_rate)
        step = i - 1 if choice.learning_rate == new_grid[0] else i + 1
        if 0 <= step < len(ladder):
            new_grid = sorted({*new_grid, ladder[step]})
    if "epochs" in choice.edges and cap < EPOCH_LIMIT:
        cap = min(EPOCH_LIMIT, cap + math.ceil(cap / 2))
    if new_grid == sorted(grid) and cap == max_epochs:
        return None
    return new_grid, cap


def steps(n_train: int, batch_size: int, epochs: int) -> int:
    """Adam's steps: ``epochs`` passes over ``n_train`` images in batches (the last may be
    partial)."""
    return epochs * math.ceil(n_train / batch_size)
