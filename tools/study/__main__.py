"""``python -m tools.study`` (``make variants``): every table of the study, tuned alike.

Each table of :mod:`tools.study.tables` follows :mod:`tools.study.protocol`: tune the
learning rate and the epoch on validation, widen a grid whose choice sits on an edge,
then train every seed at the choice and meet the test images once.  Runs go to worker
processes of one thread each (``--jobs``); each run is cached per epoch
(:mod:`tools.study.runner`), so an interrupted sweep resumes where it stopped and a finished
run is never trained twice.  The bar shows the estimated training time done and left.

Each table is written whole, with its provenance, when its last row is done: into
``qnn_helpers/recorded/`` (``--out`` elsewhere).  ``--tables`` runs some tables only.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from tools.study import hardware, runner, store, whole_device
from tools.study import protocol as P
from tools.study.tables import TABLES, Table, upstream_parameters

#: rough seconds per training image and epoch on one thread, for the bar's estimate only
COST = {"hybrid6": 1e-4, "hybrid10": 1e-3, "classical": 2e-5, "cnn": 2e-4, "logistic": 0}
N_TRAIN = {"four": 21600, "post": 54000, "improved": 54000, "linear": 54000, "sqrt": 54000}


def _cost(spec: runner.Spec, epochs: int) -> float:
    if spec.kind == "logistic":
        return 30.0
    kind = "cnn" if spec.keywords.get("hidden") == "cnn" else spec.kind
    if kind == "hybrid":
        kw = spec.keywords
        kind = "hybrid10" if kw.get("n_qubits", 6) == 10 else "hybrid6"
        layers = kw.get("n_layers", 8) / 8
    else:
        layers = 1
    return COST[kind] * layers * N_TRAIN.get(spec.features, 1000) * epochs


class _InProcess:
    """``jobs=0``: every run in this process, at once (the tests)."""

    def submit(self, fn, *args) -> cf.Future:
        future: cf.Future = cf.Future()
        future.set_result(fn(*args))
        return future

    def shutdown(self) -> None:
        pass


@dataclass
class Row:
    """One row's way through the protocol."""

    spec: runner.Spec
    protocol: P.Protocol
    grid: list[float] = field(default_factory=list)
    cap: int = 0
    widened: list[dict[str, Any]] = field(default_factory=list)
    choice: P.Choice | None = None
    curves: dict[float, dict[int, list[float]]] = field(default_factory=dict)
    results: dict[int, dict[str, Any]] = field(default_factory=dict)
    pending: int = 0

    def __post_init__(self) -> None:
        if self.spec.kind == "logistic":
            self.grid = [0.01, 0.1, 1.0, 10.0]
            self.cap = 1
        elif self.spec.fixed:
            self.grid, self.cap = [self.spec.fixed[0]], self.spec.fixed[1]
        else:
            self.grid, self.cap = list(self.protocol.learning_rates), self.protocol.max_epochs

    @property
    def batch_size(self) -> int:
        return self.spec.fixed[2] if self.spec.fixed else self.protocol.batch_size


class Study:
    def __init__(self, tables: list[Table], jobs: int, out: Path) -> None:
        self.tables, self.out = tables, out
        self.rows = {t.record: [Row(s, t.protocol) for s in t.rows] for t in tables}
        if jobs:
            context = multiprocessing.get_context("spawn")
            # a fresh process per run: a worker that trained many models held 13 GB
            self.pool = cf.ProcessPoolExecutor(jobs, mp_context=context,
                                               initializer=runner.one_thread,
                                               max_tasks_per_child=1)
        else:
            self.pool = _InProcess()
        self.futures: dict[cf.Future, tuple] = {}
        self.written: set[str] = set()
        self.bar = tqdm(total=0, unit="s", desc="estimated training", dynamic_ncols=True,
                        mininterval=1 if sys.stderr.isatty() else 60,
                        bar_format="{l_bar}{bar}| {n:.0f}/{total:.0f} s estimated "
                                   "[{elapsed} elapsed, {remaining} left]")

    # -- submitting -------------------------------------------------------------------
    def _submit(self, row: Row, what: str, fn, *args, cost: float) -> None:
        cost = max(1, round(cost))  # whole seconds: the bar's sums stay exact
        self.bar.total += cost
        self.bar.refresh()
        row.pending += 1
        self.futures[self.pool.submit(fn, *args)] = (row, what, args, cost)

    def tune(self, row: Row) -> None:
        """Submit the tuning runs the grid and cap still need (none for a fixed row)."""
        spec = row.spec
        if spec.fixed:
            return self.confirm(row)
        if spec.kind == "logistic":
            for c in row.grid:
                if c not in row.curves:
                    self._submit(row, "tune", runner.logistic, spec, c, cost=_cost(spec, 1))
        else:
            for lr in row.grid:
                for seed in row.protocol.tuning_seeds:
                    have = runner.cached_curve(spec, lr, seed, row.batch_size).val_accuracy
                    if len(have) >= row.cap:  # trained before: its curve is all we need
                        row.curves.setdefault(lr, {})[seed] = have[:row.cap]
                        continue
                    left = row.cap - len(have)
                    self._submit(row, "tune", runner.train, spec, lr, seed, row.batch_size,
                                 row.cap, cost=_cost(spec, left))
        if row.pending == 0:
            self.decide(row)

    def decide(self, row: Row) -> None:
        """Every tuning run is in: choose, widen or confirm."""
        if row.spec.kind == "logistic":
            curves = {c: [[row.curves[c][0][0]]] for c in row.grid}
            choice = P.choose(curves, 1)
            choice.edges = [e for e in choice.edges if e != "epochs"]
            wider = P.widen(row.grid, 1, choice, P.C_VALUES)
        else:
            curves = {lr: [row.curves[lr][s] for s in row.protocol.tuning_seeds]
                      for lr in row.grid}
            choice = P.choose(curves, row.cap)
            wider = P.widen(row.grid, row.cap, choice)
        row.choice = choice
        if wider is not None:
            row.widened.append({"grid": list(row.grid), "epochs": row.cap,
                                "chosen at an edge": choice.edges})
            row.grid, row.cap = wider
            return self.tune(row)
        self.confirm(row)

    def confirm(self, row: Row) -> None:
        spec = row.spec
        if spec.kind == "logistic":
            self._submit(row, "test", runner.logistic, spec, row.choice.learning_rate, True,
                         cost=_cost(spec, 1))
            return
        lr, epochs = ((spec.fixed[0], spec.fixed[1]) if spec.fixed
                      else (row.choice.learning_rate, row.choice.epochs))
        for seed in row.protocol.seeds:
            have = len(runner.cached_curve(spec, lr, seed, row.batch_size).val_accuracy)
            self._submit(row, "test", runner.test_accuracy, spec, lr, seed, row.batch_size,
                         epochs, cost=_cost(spec, max(epochs - have, 0)))

    # -- collecting -------------------------------------------------------------------
    def run(self) -> None:
        for rows in self.rows.values():
            for row in rows:
                self.tune(row)
        while self.futures:
            done, _ = cf.wait(list(self.futures), return_when=cf.FIRST_COMPLETED)
            for future in done:
                row, what, args, cost = self.futures.pop(future)
                result = future.result()  # a failed run stops the study with its error
                row.pending -= 1
                self.bar.update(cost)
                if what == "tune":
                    if row.spec.kind == "logistic":
                        row.curves[args[1]] = {0: [result["val_accuracy"]]}
                    else:
                        _, lr, seed, _, _ = args
                        row.curves.setdefault(lr, {})[seed] = result.val_accuracy
                    if row.pending == 0:
                        self.decide(row)
                else:
                    seed = 0 if row.spec.kind == "logistic" else args[2]
                    row.results[seed] = result
                    if row.pending == 0:
                        tqdm.write(f"{row.spec.name}: {_summary(row)}")
                        self._write_finished()
        self.bar.close()
        self.pool.shutdown()

    def _write_finished(self) -> None:
        for table in self.tables:
            rows = self.rows[table.record]
            if table.record not in self.written and all(
                    r.results and r.pending == 0 for r in rows):
                store.write(table.record, {"protocol": table.protocol.describe(),
                                           **{r.spec.name: record(r) for r in rows}}, self.out)
                self.written.add(table.record)


def _summary(row: Row) -> str:
    tests = [r["test_accuracy"] for r in row.results.values()]
    chosen = record(row)["chosen"]
    return f"{chosen}, test {sum(tests) / len(tests):.4f} over {len(tests)} seed(s)"


def record(row: Row) -> dict[str, Any]:
    """The row as the record holds it: what it is, its grid and choice, every seed."""
    spec, seeds = row.spec, sorted(row.results)
    results = [row.results[s] for s in seeds]
    out: dict[str, Any] = {"description": spec.description, "kind": spec.kind,
                           "features": spec.features, "ablation": spec.ablation,
                           "fixed": spec.fixed is not None}
    if spec.kind == "logistic":
        out |= {"grid": {"C": row.grid}, "chosen": {"C": row.choice.learning_rate},
                "edges": row.choice.edges, "widened": row.widened,
                "validation_by_grid": {str(c): row.curves[c][0] for c in row.grid},
                "parameters": {"classical": results[0]["parameters"], "quantum": 0}}
    else:
        lr, epochs = ((spec.fixed[0], spec.fixed[1]) if spec.fixed
                      else (row.choice.learning_rate, row.choice.epochs))
        n = results[0]["n_train"]
        out |= {"grid": {"learning_rate": row.grid, "epochs": list(range(1, row.cap + 1))},
                "chosen": {"learning_rate": lr, "epochs": epochs},
                "batch_size": row.batch_size,
                "optimizer_steps": P.steps(n, row.batch_size, epochs),
                "edges": [] if spec.fixed else row.choice.edges, "widened": row.widened,
                "tuning_seeds": [] if spec.fixed else list(row.protocol.tuning_seeds),
                "validation_by_grid": {str(lr_): row.curves[lr_] for lr_ in row.curves},
                "parameters": {"quantum": results[0]["quantum"],
                               "classical": results[0]["classical"]},
                "train_seconds": [r["train_seconds"] for r in results]}
    out["parameters"]["upstream"] = upstream_parameters(spec)
    out |= {"seed": seeds, "val_accuracy": [r["val_accuracy"] for r in results],
            "test_accuracy": [r["test_accuracy"] for r in results]}
    if spec.kind != "logistic":  # each seed's test confusion matrix (rows: true class)
        out["test_confusion"] = [r["confusion"] for r in results]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="+",
                        choices=[t.record for t in TABLES] + [HARDWARE, WHOLE_DEVICE],
                        help="only these tables (default: every one, then chapter 06's "
                             f"findings over the seeds, {HARDWARE!r})")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes, one thread each (default: one per core; "
                             "0: every run in this process)")
    parser.add_argument("--out", type=Path, default=store.RECORDED,
                        help="where the records go (default: the package's recorded/)")
    args = parser.parse_args(argv)
    tables = [t for t in TABLES if not args.tables or t.record in args.tables]
    start = time.perf_counter()
    for features in sorted({row.features for t in tables for row in t.rows}):
        runner.data(features)  # the autoencoders trained and cached before the workers start
    runner.data.cache_clear()
    Study(tables, args.jobs, args.out).run()
    if not args.tables or HARDWARE in args.tables:
        run_hardware(args.jobs, args.out)
    if not args.tables or WHOLE_DEVICE in args.tables:
        run_whole_device(args.out)
    print(f"took {(time.perf_counter() - start) / 60:.0f} min in all")


#: chapter 06's measurements repeated for every seed (:mod:`tools.study.hardware`)
HARDWARE = "hardware"
#: the 10-qubit model on the simulated device (:mod:`tools.study.whole_device`)
WHOLE_DEVICE = "ten_qubit_device"


def run_whole_device(out: Path) -> None:
    """The ``ten_qubits`` table's ⟨Z⟩ model at its choice, on FakeFez (after that table)."""
    from qnn_helpers import records
    try:
        row = records.load_table("ten_qubits", out)[whole_device.ROW]
    except FileNotFoundError:
        print("no ten_qubits record yet: the 10-qubit device estimate waits for it")
        return
    print("the 10-qubit model on the simulated device ...", flush=True)
    store.write(WHOLE_DEVICE, whole_device.estimate(row.chosen["learning_rate"],
                                                    row.chosen["epochs"]), out)


def run_hardware(jobs: int, out: Path, seeds=(0, 1, 2, 3, 4)) -> None:
    """One job per seed; the record when every seed is done."""
    print("chapter 06's measurements, one job per seed ...", flush=True)
    if jobs:
        context = multiprocessing.get_context("spawn")
        with cf.ProcessPoolExecutor(jobs, mp_context=context, initializer=runner.one_thread,
                                    max_tasks_per_child=1) as pool:
            runs = list(tqdm(pool.map(hardware.one_seed, seeds), total=len(seeds),
                             desc="seeds"))
    else:
        runs = [hardware.one_seed(seed) for seed in seeds]
    store.write(HARDWARE, {"protocol": hardware.describe(), "runs": runs}, out)


if __name__ == "__main__":
    main()
