"""Record the figures a chapter measured, for the README's results tables (only where
``$QNN_RESULTS_DIR`` names a folder: ``make series`` sets it, a learner does not)."""

import json
import os
from pathlib import Path
from typing import Any

#: what produced the figures (JSON, set by the tool that runs the chapter; optional)
PROVENANCE_ENV = "QNN_PROVENANCE"
_started: set[Path] = set()  # the record files this process has begun


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
    """Write ``figures`` to ``$QNN_RESULTS_DIR/<chapter>.json`` and return its path; do
    nothing (``None``) when ``$QNN_RESULTS_DIR`` is unset.

    A process's first call for ``chapter`` starts the file anew (no figure of an earlier
    run survives); later calls add to it.  ``$QNN_PROVENANCE`` is kept as ``provenance``.
    """
    if not (root := os.environ.get("QNN_RESULTS_DIR")):
        return None
    Path(root).mkdir(parents=True, exist_ok=True)
    path = (Path(root) / f"{chapter}.json").resolve()
    current = json.loads(path.read_text()) if path in _started and path.exists() else {}
    _started.add(path)
    if provenance := os.environ.get(PROVENANCE_ENV):
        current["provenance"] = json.loads(provenance)
    current.update({k: _plain(v) for k, v in figures.items()})
    path.write_text(json.dumps(current, indent=2, ensure_ascii=False) + "\n")
    return path
