"""Run the whole series: ``python -m qnn_helpers.series`` (``make series``).

Executes ``notebooks/NN_*.ipynb`` in order, in place (the committed notebooks
carry the outputs of this run), times every chapter, then writes the results
table to ``results/results.md`` and into the README between the
``<!-- results:start -->`` and ``<!-- results:end -->`` markers.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from qnn_helpers import results

NOTEBOOKS = results.REPO / "notebooks"
README = results.REPO / "README.md"
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


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def results_table() -> str:
    """Markdown table of the recorded figures (missing ones shown as –)."""
    four = results.load("04_four_label_training")
    ten = results.load("05_ten_label_gallery")
    times = results.load("series")
    rows = [
        "| | original post (2021) | this series |",
        "| --- | --- | --- |",
        f"| 4 labels, test accuracy after 1 epoch | 95 % | {_pct(four.get('accuracy_epoch1'))} |",
        f"| 4 labels, test accuracy after {four.get('epochs_total', '–')} epochs | – "
        f"| {_pct(four.get('accuracy_final'))} |",
        f"| 4 labels, wall time of one epoch (24,000 images, batch 8) | ~3 h "
        f"| {four.get('epoch_seconds', '–')} s |",
        f"| 10 labels, test accuracy | ≈ 70 % | {_pct(ten.get('accuracy'))} |",
    ]
    for key, label in [("logreg", "logistic regression"), ("mlp", "small MLP")]:
        if f"baseline_{key}" in four or f"baseline_{key}" in ten:
            pair = f"{_pct(four.get(f'baseline_{key}'))} / {_pct(ten.get(f'baseline_{key}'))}"
            rows.append(f"| baseline on the same 64 features: {label} (4 / 10 labels) | – "
                        f"| {pair} |")
    table = "\n".join(rows)
    if times:
        lines = ["", "| chapter | run time on this machine |", "| --- | --- |"]
        lines += [f"| {name} | {sec / 60:.1f} min |" for name, sec in sorted(times.items())]
        table += "\n" + "\n".join(lines)
    return table + "\n"


def update_readme(table: str) -> None:
    """Replace the README's results block with ``table``."""
    text = README.read_text()
    pattern = re.compile(r"(<!-- results:start -->\n).*?(<!-- results:end -->)", re.S)
    if pattern.search(text):
        README.write_text(pattern.sub(lambda m: m.group(1) + table + m.group(2), text))


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
    table = results_table()
    (results.results_dir() / "results.md").write_text(table)
    update_readme(table)
    print(table)


if __name__ == "__main__":
    main()
