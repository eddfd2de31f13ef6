"""The learner notebooks run as a learner runs them: quick mode, exercises left blank.

Each notebook of ``exercises/`` is executed top to bottom in a fresh kernel
with ``QNN_QUICK=1`` and without ``QNN_RESULTS_DIR`` (as on a learner's laptop);
no cell may fail, no CI assert may be left in it, and the run must not change
the repository's working tree.  The chapters' ``check`` lines stay strict
(``QNN_STRICT``, set by ``make test``), so quick mode's thresholds are tested too.
"""

import re
import shutil
import subprocess

import nbformat
import pytest
from nbclient import NotebookClient

from tools import series
from tools.repo import EXERCISES, REPO, chapters

LEARNER = chapters(EXERCISES)


def _tree_state() -> str:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout: the working tree cannot be compared")
    out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=REPO,
                         capture_output=True, text=True, check=True)
    return out.stdout


@pytest.mark.parametrize("path", LEARNER, ids=[p.stem for p in LEARNER])
def test_learner_notebook_has_no_ci_asserts(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not re.search(r"^\s*assert\b", cell.source, re.M), cell.source


def _runs_in_quick_mode(path, monkeypatch):
    monkeypatch.setenv("QNN_QUICK", "1")
    monkeypatch.delenv("QNN_RESULTS_DIR", raising=False)
    before = _tree_state()
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", config=series.KERNEL_CONFIG,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
              if out.output_type == "error"]
    assert not errors
    assert _tree_state() == before, "running a learner notebook changed the working tree"


# One class per notebook: pytest-xdist (--dist loadscope) gives each class to one worker,
# so the learner notebooks run on both workers instead of one after the other on one.
for _path in LEARNER:
    _name = "TestLearner" + "".join(part.title() for part in _path.stem.split("_"))
    globals()[_name] = type(_name, (), {
        "test_runs_in_quick_mode":
            lambda self, monkeypatch, path=_path: _runs_in_quick_mode(path, monkeypatch)})
