"""The repository's layout, in one place for every tool and test."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
EXERCISES = REPO / "exercises"
RESULTS = REPO / "results"
README = REPO / "README.md"


def chapters(folder: Path = NOTEBOOKS) -> list[Path]:
    """The chapter notebooks ``NN_name.ipynb`` of ``folder``, in order."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))
