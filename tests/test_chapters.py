"""Every chapter executed once per test run, and its committed outputs proven current.

Each chapter runs once, top to bottom, in quick mode and strict (``QNN_STRICT``: a ✗
fails), alone in an empty folder as a notebook downloaded from the site would, with
:func:`tools.series.both_paths`: every piece the learner writes runs first as the learner
copy hands it out (blank: the chapter goes on with the package's piece and says so) and
then as the chapter's solution.  The learner copies in ``exercises/`` are generated from
the chapters (``tests/test_exercises.py`` checks they are current), so this run covers
them too; what the generator drops (CI-only cells, exercise solutions) is checked here not
to be needed by a later cell.

The full-size outputs committed in ``notebooks/`` come from ``make series``, which runs
strict and stamps each chapter with a digest of its code cells, the package, the lock and
the mode (:func:`tools.series.inputs`); a stale stamp fails here.
"""

import ast
import shutil
import subprocess

import nbformat
import pytest

from qnn_helpers import data
from tools import exercises, series
from tools.repo import REPO, chapters

CHAPTERS = chapters()


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_committed_outputs_come_from_make_series_at_these_sources(path):
    changed = series.stale_parts(path)
    assert not changed, (f"{path.name}: its committed outputs predate a change of "
                         f"{', '.join(changed)}: run `make series` (or "
                         f"`python -m tools.series {path.name[:2]}`)")


def _names(source: str, kind: type) -> set[str]:
    """Names a cell stores (``ast.Store``, definitions) or loads (``ast.Load``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics
        return set()
    found = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, kind)}
    if kind is ast.Store:
        found |= {n.name for n in ast.walk(tree)
                  if isinstance(n, ast.FunctionDef | ast.ClassDef)}
        found |= {(a.asname or a.name).split(".")[0] for n in ast.walk(tree)
                  if isinstance(n, ast.Import | ast.ImportFrom) for a in n.names}
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_the_learner_copy_needs_nothing_it_does_not_get(path):
    """A name only a CI-only cell or an exercise's solution defines is used by no later cell
    the learner gets (the learner copy drops the one and blanks the other)."""
    cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    for i, cell in enumerate(cells):
        if not (exercises.is_ci_only(cell) or exercises.is_solution(cell)):
            continue
        defined_elsewhere = set().union(*(_names(c.source, ast.Store) for j, c in
                                          enumerate(cells) if j != i
                                          and not exercises.is_ci_only(c)
                                          and not exercises.is_solution(c)))
        only_here = _names(cell.source, ast.Store) - defined_elsewhere
        for later in cells[i + 1:]:
            if exercises.is_ci_only(later) or exercises.is_solution(later):
                continue
            used = only_here & _names(later.source, ast.Load)
            assert not used, (f"{path.name}: {sorted(used)} defined only in a cell the learner "
                              f"copy does not run, used later in:\n{later.source[:200]}")


def _tree_state() -> str | None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        return None
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                          cwd=REPO, capture_output=True, text=True, check=True).stdout


def _run_quick(path, tmp_path, monkeypatch):
    try:
        monkeypatch.setenv("QNN_DATA_DIR", str(data.locate(data.FASHION_MNIST, download=False)))
    except data.DataNotFoundError as exc:
        pytest.skip(f"Fashion-MNIST is not on this machine:\n{exc}")
    monkeypatch.setenv("QNN_QUICK", "1")
    monkeypatch.setenv("QNN_STRICT", "1")
    monkeypatch.delenv("QNN_RESULTS_DIR", raising=False)
    before = _tree_state()
    alone = tmp_path / path.name
    shutil.copy(path, alone)
    nb = series.both_paths(nbformat.read(alone, as_version=4))
    try:
        nb, _, _ = series.run(alone, timeout=900, nb=nb)
    except Exception as exc:  # nbclient's CellExecutionError names the cell and the error
        pytest.fail(f"{path.name} in quick mode: {exc}", pytrace=False)
    blanks = [i for i, c in enumerate(nb.cells) if "learner-blank" in c.metadata.get("tags", [])]
    for i in blanks:  # the check right after each blank went on with the package's piece
        said = "".join(out.get("text", "") for out in nb.cells[i + 1].outputs)
        assert "not written yet" in said or "still blank" in said, (
            f"{path.name}: the check after the blank cell {i} did not say so:\n{said[:500]}")
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name], (
        "the chapter wrote into its folder")
    assert _tree_state() == before, "running a chapter changed the working tree"


# One class per chapter: pytest-xdist (--dist loadscope) hands each class to one worker,
# so the chapters run on both workers.
for _path in CHAPTERS:
    _name = "TestRuns" + "".join(part.title() for part in _path.stem.split("_"))
    globals()[_name] = pytest.mark.notebook(pytest.mark.slow(type(_name, (), {
        "test_in_quick_mode_both_paths":
            lambda self, tmp_path, monkeypatch, path=_path: _run_quick(path, tmp_path,
                                                                         monkeypatch)})))
