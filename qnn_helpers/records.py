"""The study's records, as the chapters read them: multi-seed runs and tuned baselines.

``make variants`` (``python -m tools.study``) trains them and writes each record whole,
with its ``provenance``, into this package (``qnn_helpers/recorded/<name>.json``, package
data), so that a chapter reads them in any folder.  This module reads them, and holds the
study's three summaries, each written once: :func:`mean_sd`, :func:`chosen_on_validation`
and (chapter 05's lesson) ``lessons.paired_difference``.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from scipy import stats

K = TypeVar("K", bound=Hashable)
#: the key that says what produced a record (every other key is a row)
PROVENANCE = "provenance"


def mean_sd(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (``nan`` for one value) over seeds."""
    values = np.asarray(values, dtype=float)
    return float(values.mean()), float(values.std(ddof=1)) if len(values) > 1 else np.nan


def chosen_on_validation(candidates: dict[K, Sequence[float]]) -> K:
    """The key whose validation accuracies (one per seed) have the highest mean; the
    first such key on a tie."""
    return max(candidates, key=lambda key: np.mean(candidates[key]))


def holm(differences: dict[str, Sequence[float]], level: float = 0.95) -> pd.DataFrame:
    """Holm's correction over a family of paired comparisons (one table's).

    ``differences``: comparison → its differences, one per seed (a paired t-test each).
    Holm's step-down: sorted by p-value, the comparison of rank r (1 = smallest p) is a
    finding at family level ``level`` if it and every smaller p pass
    ``p <= (1 - level) / (m - r + 1)``.  Its interval is Student's t interval of the mean
    difference at confidence ``1 - (1 - level) / (m - r + 1)``; from the first comparison
    that is not a finding on, every later one keeps that comparison's level.  So an
    interval excludes zero exactly where Holm's test finds a difference.

    Returns one row per comparison (in the given order): ``mean``, ``low``, ``high``,
    ``p``, ``p_holm`` (adjusted), ``level`` (the interval's confidence) and ``finding``.
    """
    if not differences:
        raise ValueError("differences is empty: name at least one comparison")
    tests = {}
    for name, d in differences.items():
        d = np.asarray(d, dtype=float)
        if d.ndim != 1 or len(d) < 2 or not np.all(np.isfinite(d)):
            raise ValueError(f"{name!r}: give two or more finite differences (one per seed)")
        tests[name] = (d, stats.ttest_1samp(d, 0.0))
    m, alpha = len(tests), 1 - level
    order = sorted(tests, key=lambda name: tests[name][1].pvalue)
    rows, adjusted, stopped = {}, 0.0, None
    for rank, name in enumerate(order, start=1):
        d, test = tests[name]
        p = float(test.pvalue) if np.isfinite(test.pvalue) else 1.0
        adjusted = max(adjusted, min(1.0, (m - rank + 1) * p))
        if stopped is None and p > alpha / (m - rank + 1):
            stopped = rank
        confidence = 1 - alpha / (m - (stopped or rank) + 1)
        interval = test.confidence_interval(confidence)
        rows[name] = {"mean": float(d.mean()), "low": float(interval.low),
                      "high": float(interval.high), "p": p, "p_holm": adjusted,
                      "level": confidence, "finding": stopped is None}
    return pd.DataFrame.from_dict({name: rows[name] for name in differences}, orient="index")


@dataclass
class Run:
    """One seed of a variant: validation accuracy after every epoch, the epoch whose
    weights met the test images (1 = the first), and that test accuracy."""

    description: str
    seed: int
    val_accuracy_per_epoch: list[float]
    epoch: int
    test_accuracy: float
    quantum_parameters: int
    classical_parameters: int
    train_seconds: float
    ablation: bool = False  #: removes a part to measure it: never the chosen variant

    @property
    def val_accuracy(self) -> float:
        return self.val_accuracy_per_epoch[self.epoch - 1]

    def record(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SeedRun:
    seed: int
    val_accuracy: float
    test_accuracy: float


@dataclass
class TunedBaseline:
    """A classical model, its settings chosen on validation; one entry per seed."""

    description: str
    parameters: int
    choice: str
    seed: list[int]
    val_accuracy: list[float]
    test_accuracy: list[float]

    def record(self) -> dict[str, Any]:
        return asdict(self)

    def runs(self) -> list[SeedRun]:
        """One entry per seed (for paired differences)."""
        return [SeedRun(*r) for r in
                zip(self.seed, self.val_accuracy, self.test_accuracy, strict=True)]


def load(name: str, folder: str | Path | None = None) -> dict[str, Any]:
    """The record ``<name>.json``: from ``folder``, else the one in this package."""
    source = (resources.files("qnn_helpers") / "recorded" if folder is None
              else Path(folder)) / f"{name}.json"
    return json.loads(source.read_text(encoding="utf-8"))


def rows(name: str, folder: str | Path | None = None) -> dict[str, Any]:
    """The rows of record ``name`` (its provenance left out)."""
    return {key: value for key, value in load(name, folder).items() if key != PROVENANCE}


def load_runs(name: str = "variants", folder: str | Path | None = None,
              ) -> dict[str, list[Run]]:
    """Multi-seed runs: ``"variants"`` (chapter 05, 6 qubits) or ``"ten_qubits"`` (07)."""
    return {key: [Run(**run) for run in runs] for key, runs in rows(name, folder).items()}


def load_baselines(name: str = "baselines", folder: str | Path | None = None,
                   ) -> dict[str, TunedBaseline]:
    """Tuned baselines: ``"baselines_four"`` (chapter 04), ``"baselines"`` (05) or
    ``"baselines_ten_qubits"`` (07)."""
    return {key: TunedBaseline(**row) for key, row in rows(name, folder).items()}


def chosen_variant(runs: dict[str, list[Run]]) -> str:
    """The variant of the highest mean validation accuracy, ablations excluded."""
    return chosen_on_validation({name: [r.val_accuracy for r in seeds]
                                 for name, seeds in runs.items() if not seeds[0].ablation})


def variant_table(runs: dict[str, list[Run]]) -> pd.DataFrame:
    """Mean and sd over the seeds: validation and test accuracy; size, epoch, time."""
    records = []
    for name, seeds in runs.items():
        val_mean, val_sd = mean_sd([r.val_accuracy for r in seeds])
        test_mean, test_sd = mean_sd([r.test_accuracy for r in seeds])
        records.append({
            "variant": name, "seeds": len(seeds), "val_mean": val_mean, "val_sd": val_sd,
            "test_mean": test_mean, "test_sd": test_sd, "epoch": seeds[0].epoch,
            "quantum_parameters": seeds[0].quantum_parameters,
            "classical_parameters": seeds[0].classical_parameters,
            "train_seconds": float(np.mean([r.train_seconds for r in seeds])),
        })
    return pd.DataFrame.from_records(records).set_index("variant")


def tuned_table(baselines: dict[str, TunedBaseline]) -> pd.DataFrame:
    """Mean (and sd) over the seeds of each tuned baseline, with its size and choice."""
    records = []
    for name, b in baselines.items():
        val_mean, val_sd = mean_sd(b.val_accuracy)
        test_mean, test_sd = mean_sd(b.test_accuracy)
        records.append({
            "model": name, "what": b.description, "parameters": b.parameters,
            "chosen on validation": b.choice, "seeds": len(b.seed), "val_mean": val_mean,
            "val_sd": val_sd, "test_mean": test_mean, "test_sd": test_sd,
        })
    return pd.DataFrame.from_records(records).set_index("model")


# --- the study's tables, tuned alike (``tools.study``: grid, choice, every seed) -------------

@dataclass
class TableRow:
    """One model of a study table: its grid and choice (on validation), every seed's
    validation and test accuracy at that choice, and what it trained."""

    description: str
    kind: str  # "hybrid", "classical" or "logistic"
    features: str
    ablation: bool
    fixed: bool  # trained with fixed settings (the post's), not tuned
    grid: dict[str, list]
    chosen: dict[str, Any]
    edges: list[str]  # hyperparameters chosen at the edge of their grid (none: inside)
    widened: list[dict[str, Any]]
    parameters: dict[str, int]  # quantum, classical, upstream (the encoder or PCA before it)
    seed: list[int]
    val_accuracy: list[float]
    test_accuracy: list[float]
    validation_by_grid: dict[str, Any]
    batch_size: int | None = None
    optimizer_steps: int | None = None
    tuning_seeds: list[int] | None = None
    train_seconds: list[float] | None = None
    test_confusion: list[list[list[int]]] | None = None

    def runs(self) -> list[SeedRun]:
        """One entry per seed (for paired differences)."""
        return [SeedRun(*r) for r in
                zip(self.seed, self.val_accuracy, self.test_accuracy, strict=True)]

    def per_class(self) -> np.ndarray:
        """Each seed's test accuracy per class (seeds × classes), from its confusion."""
        if not self.test_confusion:
            raise ValueError(f"{self.description!r} has no confusion matrices recorded")
        cm = np.asarray(self.test_confusion, dtype=float)
        return np.diagonal(cm, axis1=1, axis2=2) / cm.sum(axis=2)

    @property
    def choice(self) -> str:
        """The chosen settings in words, e.g. "Adam 0.01, 4 epochs (batch 32)"."""
        if "C" in self.chosen:
            return f"C = {self.chosen['C']:g}"
        lr, epochs = self.chosen["learning_rate"], self.chosen["epochs"]
        return f"Adam {lr:g}, {epochs} epoch{'s' * (epochs > 1)} (batch {self.batch_size})"


def load_table(name: str, folder: str | Path | None = None) -> dict[str, TableRow]:
    """A study table (``four_labels``, ``baselines_four``, ``variants``, ``baselines``,
    ``ten_qubits``, ``baselines_ten_qubits``), its protocol left out."""
    return {key: TableRow(**row) for key, row in rows(name, folder).items()
            if key != "protocol"}


def protocol(name: str, folder: str | Path | None = None) -> dict[str, Any]:
    """How a study table tuned its rows (first grid, epoch cap, batch, tuning seeds)."""
    return load(name, folder)["protocol"]


def table_frame(table: dict[str, TableRow]) -> pd.DataFrame:
    """Mean and sd over the seeds of every row, its choice, training budget and size."""
    records = []
    for name, row in table.items():
        val_mean, val_sd = mean_sd(row.val_accuracy)
        test_mean, test_sd = mean_sd(row.test_accuracy)
        records.append({
            "model": name, "chosen on validation": "fixed: " + row.choice if row.fixed
            else row.choice, "inside its grid": not row.edges,
            "Adam steps": row.optimizer_steps, "seeds": len(row.seed),
            "val_mean": val_mean, "val_sd": val_sd, "test_mean": test_mean,
            "test_sd": test_sd, "quantum parameters": row.parameters["quantum"],
            "classical parameters": row.parameters["classical"],
            "upstream parameters": row.parameters["upstream"]})
    return pd.DataFrame.from_records(records).set_index("model")


def chosen_row(table: dict[str, TableRow]) -> str:
    """The row of the highest mean validation accuracy, ablations and fixed rows excluded."""
    return chosen_on_validation({name: row.val_accuracy for name, row in table.items()
                                 if not (row.ablation or row.fixed)})


def paired_differences(a: TableRow, b: TableRow, metric: str = "test_accuracy",
                       ) -> np.ndarray:
    """``metric`` of ``a`` minus that of ``b``, seed by seed (the seeds both ran)."""
    theirs = dict(zip(b.seed, getattr(b, metric), strict=True))
    mine = dict(zip(a.seed, getattr(a, metric), strict=True))
    common = sorted(set(mine) & set(theirs))
    return np.array([mine[s] - theirs[s] for s in common])


def compare(pairs: dict[str, tuple[TableRow, TableRow]], metric: str = "test_accuracy",
            level: float = 0.95) -> pd.DataFrame:
    """A table's family of comparisons (label → (a, b)), Holm-corrected (:func:`holm`)."""
    return holm({label: paired_differences(a, b, metric) for label, (a, b) in pairs.items()},
                level)
