"""``python -m tools.series`` (``make series``): run the whole series.

Executes ``notebooks/NN_*.ipynb`` in order, in place (the committed notebooks
carry the outputs of this run), strict (``QNN_STRICT=1``: a ✗ stops the run), with
``$QNN_RESULTS_DIR`` pointed at ``results/`` so that the chapters record their figures;
times every chapter and stamps it with a digest of what produced its outputs
(:func:`inputs`); then regenerates the learner notebooks, the README's results block and
the site.  The tests fail while a stamp is stale (``tests/test_chapters.py``).

One executor, :func:`run`, serves the series, the tests (:func:`both_paths`) and the
timing of the learner notebooks.

``--quick`` instead times every learner notebook (``exercises/``) in quick mode
(``QNN_QUICK=1``), as a workshop room runs them, without writing any notebook
or recording any figure but the times (``results/series_quick.json``).  Its kernels
get a new, empty cache folder (``$QNN_CACHE_DIR``), so the times are those of a
learner's first run: each chapter trains the autoencoders it needs.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import nbformat
import zmq
from nbclient import NotebookClient
from traitlets.config import Config

from qnn_helpers import data
from tools import build_site, exercises, provenance, readme
from tools import lessons as lesson_tool
from tools.repo import EXERCISES, REPO, RESULTS, chapters

#: The notebook metadata key of the stamp :func:`execute` writes.
STAMP = "qnn_series"
KEEP_METADATA = ("kernelspec", "language_info", STAMP)

#: The kernel manager hands every kernel CurveZMQ keys (ipykernel's kernelspec declares
#: support), so kernel and client talk encrypted, and the kernel does not warn at start
#: that it runs over TCP in plain text.  pyzmq without CurveZMQ: plain TCP, as before.
KERNEL_CONFIG = Config({"KernelManager": {"transport_encryption": "auto"}}
                       if zmq.has("curve") else {})


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop run-specific metadata (timings, widget state); keep kernel and language."""
    nb.metadata = nbformat.NotebookNode({k: nb.metadata[k] for k in KEEP_METADATA
                                         if k in nb.metadata})
    nb.metadata.kernelspec = nbformat.NotebookNode(
        {"display_name": "Python 3", "language": "python", "name": "python3"})
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
    return nb


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:16]


def inputs(nb: nbformat.NotebookNode, mode: str = "full") -> dict[str, str]:
    """What a chapter's outputs depend on, as short digests: its code cells (source and
    tags), the package's sources and data (``qnn_helpers/``), the lock and the mode."""
    cells = [[c.source, c.metadata.get("tags", [])] for c in nb.cells
             if c.cell_type == "code"]
    package = REPO / "qnn_helpers"
    files = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".json")
                   and "__pycache__" not in p.parts)
    return {
        "cells": _digest(json.dumps(cells).encode()),
        "package": _digest(*(str(p.relative_to(package)).encode() + b"\0" + p.read_bytes()
                             for p in files)),
        "lock": _digest((REPO / "requirements.txt").read_bytes()),
        "mode": mode,
    }


def stale_parts(path: Path) -> list[str]:
    """What changed since ``make series`` last executed chapter ``path`` (empty: current)."""
    nb = nbformat.read(path, as_version=4)
    stamp = nb.metadata.get(STAMP, {})
    if not stamp:
        return ["everything (never stamped)"]
    now = inputs(nb)
    return [key for key, value in now.items() if stamp.get(key) != value]


def stamped(key: str) -> dict[str, Any]:
    """Each chapter's ``key`` of its stamp (the run that made its outputs), where set."""
    found = {}
    for path in chapters():
        value = nbformat.read(path, as_version=4).metadata.get(STAMP, {}).get(key)
        if value is not None:
            found[path.stem] = value
    return found


def stamped_seconds() -> dict[str, float]:
    """Each chapter's run time at full size, from its stamp."""
    return stamped("seconds")


def both_paths(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The chapter as the tests run it: before each cell the learner writes, its blank (as in
    the learner copy) and the check cell after it, so that one run executes the learner's
    path (blank → the package's piece, said once) and the chapter's (solution → checked)."""
    nb = copy.deepcopy(nb)
    cells = []
    for i, cell in enumerate(nb.cells):
        if exercises.LEARNER_WRITES in cell.metadata.get("tags", []):
            check = next(c for c in nb.cells[i + 1:] if c.cell_type == "code")
            blank = copy.deepcopy(cell)
            blank.source = exercises.blank_bodies(cell.source)
            blank.metadata["tags"] = ["learner-blank"]
            cells += [blank, copy.deepcopy(check)]
        cells.append(cell)
    nb.cells = cells
    return nb


def run(path: Path, timeout: int = 3600, nb: nbformat.NotebookNode | None = None
        ) -> tuple[nbformat.NotebookNode, float, float | None]:
    """Execute notebook ``path`` (or ``nb``, run in ``path``'s folder) with the ``python3``
    kernel, in memory.

    Returns the executed notebook, its wall time and the seconds until the first
    cell with a figure had finished (``None`` if it has none).
    """
    nb = nbformat.read(path, as_version=4) if nb is None else nb
    start, first_figure, peak = time.perf_counter(), None, None

    def on_cell_executed(cell, **_):
        nonlocal first_figure, peak
        if first_figure is None and any("image/png" in out.get("data", {})
                                        for out in cell.get("outputs", [])):
            first_figure = time.perf_counter() - start
        peak = _peak_memory_mb(client) or peak

    # coalesce_streams: one stream output per cell, each progress bar at its final state
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", coalesce_streams=True,
                            on_cell_executed=on_cell_executed, config=KERNEL_CONFIG,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    if peak is not None:  # read by execute() into the stamp
        nb.metadata[PEAK] = peak
    return nb, time.perf_counter() - start, first_figure


#: the kernel's peak memory (resident set, MB) where the operating system tells it (Linux)
PEAK = "qnn_peak_memory_mb"


def _peak_memory_mb(client: NotebookClient) -> int | None:
    """The kernel process's peak resident memory so far (``VmHWM``), on Linux; else None."""
    try:
        pid = client.km.provisioner.process.pid
        status = Path(f"/proc/{pid}/status").read_text()
    except (AttributeError, OSError):
        return None
    kb = next((int(line.split()[1]) for line in status.splitlines()
               if line.startswith("VmHWM:")), None)
    return None if kb is None else round(kb / 1024)


def execute(path: Path, timeout: int = 3600) -> float:
    """Execute one notebook in place with the ``python3`` kernel, strict (a ✗ raises), and
    stamp it with :func:`inputs`; return seconds."""
    with mock.patch.dict(os.environ, QNN_STRICT="1"):
        nb, seconds, _ = run(path, timeout)
    nbformat.validate(nb)
    peak = nb.metadata.pop(PEAK, None)
    nb = clean_notebook(nb)
    nb.metadata[STAMP] = inputs(nb) | {"seconds": round(seconds, 1), "peak_memory_mb": peak}
    nbformat.write(nb, path)
    return seconds


@contextlib.contextmanager
def first_run_cache() -> Iterator[Path]:
    """Point ``$QNN_CACHE_DIR`` at a new, empty folder while inside (the kernels inherit it).

    Nothing trained is in it, as on a learner's first run.  The downloaded data sets of
    the current cache are linked in, so nothing is downloaded again.
    """
    downloaded = [data.cache_dir(d) for d in (data.FASHION_MNIST, data.MNIST)]
    with tempfile.TemporaryDirectory(prefix="qnn-first-run-") as folder, \
            mock.patch.dict(os.environ, QNN_CACHE_DIR=folder):
        for source in downloaded:
            if source.is_dir():
                (Path(folder) / source.name).symlink_to(source)
        yield Path(folder)


def time_quick_mode(names: list[str]) -> dict[str, float]:
    """Seconds of every learner notebook run top to bottom in quick mode (nothing written).

    Also ``<chapter>:first_figure``, the seconds until its first figure was drawn.
    """
    times = {}
    with mock.patch.dict(os.environ, QNN_QUICK="1"):  # the environment is restored after
        os.environ.pop("QNN_RESULTS_DIR", None)
        for path in _select(chapters(EXERCISES), names):
            print(f"quick mode: {path.name} ...", flush=True)
            nb, seconds, first_figure = run(path)
            for cell in nb.cells:  # the chapter's checks, for the operator to read
                for out in cell.get("outputs", []):
                    for line in out.get("text", "").splitlines():
                        if line.startswith(("✓", "✗")) or "accuracy" in line:
                            print("   ", line, flush=True)
            times[path.stem] = round(seconds, 1)
            times[f"{path.stem}:first_figure"] = round(first_figure or 0.0, 1)
            print(f"  done in {seconds:.0f} s, first figure after {first_figure or 0:.0f} s",
                  flush=True)
    return times


RUN_TIME = re.compile(r"^\*\*Run time[^\n]*$", re.M)


def run_time_line(full: float | None, quick: float | None) -> str:
    """The first cell's run-time line, from measured seconds."""
    def minutes(seconds: float) -> str:
        return f"{seconds / 60:.1f} min" if seconds >= 90 else f"{seconds:.0f} s"

    parts = [f"about {minutes(full)} at full size" if full else None,
             f"{minutes(quick)} in quick mode (`QUICK = True`)" if quick else None]
    said = ", ".join(p for p in parts if p)
    return f"**Run time:** {said} on a 2-core machine (measured by `make series`)."


def stamp_run_times() -> None:
    """Write the measured run times into the first cell of every chapter."""
    full, quick = readme.load("series"), readme.load("series_quick")
    for path in chapters():
        nb = nbformat.read(path, as_version=4)
        first = nb.cells[0]
        line = run_time_line(full.get(path.stem), quick.get(path.stem))
        if RUN_TIME.search(first.source) and RUN_TIME.search(first.source)[0] != line:
            first.source = RUN_TIME.sub(line, first.source)
            nbformat.write(nb, path)


def classical_floor_epoch() -> float:
    """Seconds of one epoch of ``Dense(6, tanh) → Dense(4)`` on the 4-label data (best of 2).

    The machine's speed varies from day to day; the series' time divided by this
    epoch, measured in the same run, compares runs of different days.
    """
    from qnn_helpers import lessons
    from tools import benchmark

    data = lessons.reduced_fashion_mnist(progress=False)
    model = benchmark.classical_floor(data, batch_size=8, seed=0)
    return min(benchmark.time_epochs({"classical": model}, data, 8, repeats=2)["classical"])


def _select(paths: list[Path], names: list[str]) -> list[Path]:
    return [p for p in paths if not names or any(p.name.startswith(n) for n in names)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these notebooks (e.g. 01 04)")
    parser.add_argument("--quick", action="store_true",
                        help="time the learner notebooks in quick mode instead")
    args = parser.parse_args(argv)
    os.environ["QNN_RESULTS_DIR"] = str(RESULTS)  # inherited by the kernels
    os.environ.update(provenance.environment())  # what produced the records, for every record
    _run(args)


def _run(args: argparse.Namespace) -> None:
    from qnn_helpers.results import record

    lesson_tool.main([])  # the chapters' #@save cells, current before any chapter imports them
    if args.quick:
        with first_run_cache():
            times = time_quick_mode(args.names)
        if not args.names:  # a record is written whole: the times of every chapter
            record("series_quick", **times)
        stamp_run_times()
        exercises.write_all()
        print(readme.refresh_readme())
        return
    for path in _select(chapters(), args.names):
        print(f"running {path.name} ...", flush=True)
        print(f"  done in {execute(path) / 60:.1f} min", flush=True)
    # written whole: every chapter's time from its stamp, and the yardstick of this day, one
    # epoch of a small classical model
    record("series", **stamped_seconds())
    record("series_floor", classical_floor_epoch_seconds=round(classical_floor_epoch(), 2))
    stamp_run_times()
    exercises.write_all()
    print(readme.refresh_readme())
    print("site:", build_site.build(REPO / "site"))


if __name__ == "__main__":
    main()
