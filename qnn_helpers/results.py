"""Record the figures a chapter measured, for the README's results tables.

``record`` writes only where ``$QNN_RESULTS_DIR`` names a folder (``make series``
sets it to the repository's ``results/``; the tests point it elsewhere).  A
learner running a chapter has it unset, so nothing is written anywhere.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def results_dir() -> Path | None:
    """The folder named by ``$QNN_RESULTS_DIR``, or ``None`` when unset."""
    root = os.environ.get("QNN_RESULTS_DIR")
    return Path(root) if root else None


def _plain(value: Any) -> Any:
    """NumPy scalars and arrays as plain Python numbers and lists; floats rounded."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def record(chapter: str, **figures: Any) -> Path | None:
    """Merge ``figures`` into ``$QNN_RESULTS_DIR/<chapter>.json``; return the path.

    Does nothing (returns ``None``) when ``$QNN_RESULTS_DIR`` is unset.
    """
    folder = results_dir()
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{chapter}.json"
    current = json.loads(path.read_text()) if path.exists() else {}
    current.update({k: _plain(v) for k, v in figures.items()})
    path.write_text(json.dumps(current, indent=2, ensure_ascii=False) + "\n")
    return path
