"""Learner notebooks generated from the solution notebooks: ``python -m tools.exercises``.

The notebooks in ``notebooks/`` are the single source: each exercise is a
markdown cell with the question followed by a code cell tagged ``solution``
whose first lines may be ``# Hint: ...`` comments.  CI executes the solutions.
The learner version in ``exercises/`` keeps everything else, replaces each
solution by its hints and ``# Your code here``, drops the cells tagged
``ci-only`` (checks written for CI; learners see ``check`` lines instead) and
all outputs, so that learners see their own.  ``--check`` fails if
``exercises/`` is out of date.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import nbformat

from tools.repo import EXERCISES as LEARNER
from tools.repo import REPO, chapters

PLACEHOLDER = "# Your code here"


def is_solution(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell is an exercise solution (tagged ``solution``)."""
    return cell.cell_type == "code" and "solution" in cell.metadata.get("tags", [])


def hints(source: str) -> list[str]:
    """The leading ``# Hint:`` comment lines of a solution."""
    out = []
    for line in source.splitlines():
        if not line.startswith("# Hint"):
            break
        out.append(line)
    return out


def is_ci_only(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell holds checks for CI only (tagged ``ci-only``): learners do not get it."""
    return "ci-only" in cell.metadata.get("tags", [])


def learner_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` with solutions blanked, CI-only cells dropped and no outputs."""
    nb = copy.deepcopy(nb)
    nb.cells = [cell for cell in nb.cells if not is_ci_only(cell)]
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        if is_solution(cell):
            cell.source = "\n".join([*hints(cell.source), PLACEHOLDER])
            cell.metadata = {"tags": ["exercise"]}
    return nb


def render(path: Path) -> str:
    """The learner notebook for solution notebook ``path``, as nbformat JSON text."""
    nb = learner_version(nbformat.read(path, as_version=4))
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def write_all() -> list[Path]:
    """(Re)write every learner notebook; return the paths."""
    LEARNER.mkdir(exist_ok=True)
    written = []
    for path in chapters():
        target = LEARNER / path.name
        target.write_text(render(path))
        written.append(target)
    return written


def stale() -> list[str]:
    """Learner notebooks that are missing or differ from what the solutions give."""
    out = []
    for path in chapters():
        target = LEARNER / path.name
        if not target.exists() or target.read_text() != render(path):
            out.append(target.name)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args(argv)
    if args.check:
        bad = stale()
        if bad:
            print("out of date (run python -m tools.exercises):", ", ".join(bad))
            return 1
        print("learner notebooks are up to date")
        return 0
    for path in write_all():
        print("wrote", path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
