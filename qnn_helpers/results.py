"""Figures that notebooks report, saved for the README's results table.

A notebook calls :func:`record` with the numbers it measured; the series
runner (``python -m qnn_helpers.series``) collects them into
``results/results.md`` and the README.  Nothing in the table is typed by hand.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def results_dir() -> Path:
    """``$QNN_RESULTS_DIR`` (tests point it at ``build/``), else ``results/`` of the repo."""
    path = Path(os.environ.get("QNN_RESULTS_DIR") or REPO / "results")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _clean(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, float):
        return round(value, 6)
    return value


def record(chapter: str, **figures: Any) -> dict[str, Any]:
    """Merge ``figures`` into ``<results dir>/<chapter>.json`` and return the whole record."""
    path = results_dir() / f"{chapter}.json"
    current = json.loads(path.read_text()) if path.exists() else {}
    current.update({k: _clean(v) for k, v in figures.items()})
    path.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    return current


def load(chapter: str) -> dict[str, Any]:
    """The figures a chapter recorded (empty if it has not run)."""
    path = results_dir() / f"{chapter}.json"
    return json.loads(path.read_text()) if path.exists() else {}
