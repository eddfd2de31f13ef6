"""``python -m tools.series`` (``make series``): run the whole series.

Executes ``notebooks/NN_*.ipynb`` in order, in place (the committed notebooks
carry the outputs of this run), with ``$QNN_RESULTS_DIR`` pointed at
``results/`` so that the chapters record their figures; times every chapter;
then regenerates the learner notebooks, the README's results block and the site.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tools import build_site, exercises, readme
from tools.repo import REPO, RESULTS, chapters

KEEP_METADATA = ("kernelspec", "language_info")


def collapse_carriage_returns(text: str) -> str:
    """Each line as a terminal shows it: only what follows its last ``\\r``.

    A progress bar redraws its line with ``\\r``; the committed output keeps the
    final state of each bar, one line per training.
    """
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop run-specific metadata (timings, widget state); keep kernel and language.

    Progress-bar redraws in stream outputs are collapsed to their final state.
    """
    nb.metadata = nbformat.NotebookNode({k: nb.metadata[k] for k in KEEP_METADATA
                                         if k in nb.metadata})
    nb.metadata.kernelspec = nbformat.NotebookNode(
        {"display_name": "Python 3", "language": "python", "name": "python3"})
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                out.text = collapse_carriage_returns(out.text)
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these notebooks (e.g. 01 04)")
    args = parser.parse_args(argv)
    os.environ["QNN_RESULTS_DIR"] = str(RESULTS)  # inherited by the kernels
    from qnn_helpers.results import record

    paths = chapters()
    if args.names:
        paths = [p for p in paths if any(p.name.startswith(n) for n in args.names)]
    for path in paths:
        print(f"running {path.name} ...", flush=True)
        seconds = execute(path)
        record("series", **{path.stem: round(seconds, 1)})
        print(f"  done in {seconds / 60:.1f} min", flush=True)
    exercises.write_all()
    print(readme.refresh_readme())
    print("site:", build_site.build(REPO / "site"))


if __name__ == "__main__":
    main()
