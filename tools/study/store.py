"""The study's records, written whole (never merged) with their provenance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qnn_helpers.records import PROVENANCE
from tools import provenance
from tools.repo import REPO

#: where the package reads the records (package data in pyproject.toml)
RECORDED = REPO / "qnn_helpers" / "recorded"
#: where runs of only some variants go: they never replace a whole record
SCRATCH = REPO / "build" / "study"


#: how the study's worker processes train (``tools.study.runner.one_thread``)
WORKER_THREADS = 1


def write(name: str, rows: dict[str, Any], folder: Path = RECORDED) -> Path:
    """Write ``rows`` as ``folder/<name>.json``, with this run's provenance (and the
    threads each worker process trains on)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    origin = provenance.provenance()
    origin["threads"] = origin["threads"] | {"per_worker": WORKER_THREADS}
    text = json.dumps({PROVENANCE: origin, **rows}, indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return path
