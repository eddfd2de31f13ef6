"""The learner notebooks carry no CI assert (they run, blanks and all, in
``tests/test_chapters.py``: each chapter's run takes the learner's path through every blank)."""

import re

import nbformat
import pytest

from tools.repo import EXERCISES, chapters

LEARNER = chapters(EXERCISES)


@pytest.mark.parametrize("path", LEARNER, ids=[p.stem for p in LEARNER])
def test_learner_notebook_has_no_ci_asserts(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not re.search(r"^\s*assert\b", cell.source, re.M), cell.source
