"""Run the whole series: ``python -m qnn_helpers.series`` (``make series``).

Executes ``notebooks/NN_*.ipynb`` in order, in place (the committed notebooks
carry the outputs of this run), times every chapter, regenerates the learner
notebooks in ``exercises/``, refreshes the results table
(:func:`qnn_helpers.results.refresh_readme`) and renders the site into ``site/``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from qnn_helpers import exercises, results, site

NOTEBOOKS = results.REPO / "notebooks"
KEEP_METADATA = ("kernelspec", "language_info")


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


def execute(path: Path, timeout: int = 3600) -> float:
    """Execute one notebook in place with the ``python3`` kernel; return seconds."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    nbformat.validate(nb)
    nbformat.write(clean_notebook(nb), path)
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Execute the notebook series in order.")
    parser.add_argument("names", nargs="*", help="only these notebooks (e.g. 01 04)")
    args = parser.parse_args(argv)
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if args.names:
        paths = [p for p in paths if any(p.name.startswith(n) for n in args.names)]
    for path in paths:
        print(f"running {path.name} ...", flush=True)
        seconds = execute(path)
        results.record("series", **{path.stem: round(seconds, 1)})
        print(f"  done in {seconds / 60:.1f} min", flush=True)
    exercises.write_all()
    print(results.refresh_readme())
    print("site:", site.build(results.REPO / "site"))


if __name__ == "__main__":
    main()
