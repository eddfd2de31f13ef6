"""Learner notebooks are generated from the solutions, up to date and valid."""

import shutil
import sys
from pathlib import Path

import IPython
import nbformat
import pytest

from tools import exercises
from tools.repo import REPO, chapters


def test_every_chapter_has_two_to_four_exercises_with_solutions():
    for path in chapters():
        nb = nbformat.read(path, as_version=4)
        solutions = [c for c in nb.cells if exercises.is_solution(c)]
        assert 2 <= len(solutions) <= 4, path.name
        assert all(exercises.hints(c.source) for c in solutions), f"a solution without hint: {path}"


def test_learner_notebooks_are_up_to_date():
    assert exercises.stale() == [], "run: python -m tools.exercises"


def test_learner_notebooks_are_valid_and_blank():
    for path in chapters():
        learner = nbformat.read(exercises.LEARNER / path.name, as_version=4)
        nbformat.validate(learner)
        assert learner.metadata.kernelspec.name == "python3"
        code = [c for c in learner.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code)
        blanks = [c for c in code if "exercise" in c.metadata.get("tags", [])]
        solution = [c for c in nbformat.read(path, as_version=4).cells if exercises.is_solution(c)]
        assert len(blanks) == len(solution)
        for blank in blanks:
            assert blank.source.endswith(exercises.PLACEHOLDER)
            assert all(line.startswith("# ") for line in blank.source.splitlines())


def test_blanking_keeps_hints_and_drops_code():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("# Hint: use np.mean\nprint(1)",
                                          metadata={"tags": ["solution"]}),
                nbformat.v4.new_code_cell("x = 1")]
    nb.cells.append(nbformat.v4.new_code_cell("assert x == 1", metadata={"tags": ["ci-only"]}))
    out = exercises.learner_version(nb)
    assert out.cells[0].source == "# Hint: use np.mean\n" + exercises.PLACEHOLDER
    assert out.cells[1].source == "x = 1"
    assert len(out.cells) == 2  # the CI-only check is not handed out
    assert nb.cells[0].source.endswith("print(1)")  # the solution notebook is untouched


SAMPLE_URL = "https://github.com/example-org/qnn-series"


def _copy_with_url(tmp_path: Path, url: str) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    text = (REPO / "pyproject.toml").read_text()
    text = text.replace("\n[project.optional-dependencies]",
                        f'\n[project.urls]\nRepository = "{url}"\n\n'
                        "[project.optional-dependencies]", 1)
    (root / "pyproject.toml").write_text(text)
    shutil.copy(REPO / "README.md", root / "README.md")
    return root


def test_no_launch_cells_while_the_url_is_not_set():
    assert exercises.repository_url() is None
    for folder in ("notebooks", "exercises"):
        for path in chapters(REPO / folder):
            tags = [t for c in nbformat.read(path, as_version=4).cells
                    for t in c.metadata.get("tags", [])]
            assert exercises.LAUNCH not in tags, path


def test_a_sample_url_gives_every_chapter_colab_and_binder_links(tmp_path):
    root = _copy_with_url(tmp_path, SAMPLE_URL)
    written = exercises.write_all(root)
    names = [p.name for p in chapters()]
    assert len(written) == 2 * len(names) + 1
    readme = (root / "README.md").read_text()
    assert ("https://colab.research.google.com/github/example-org/qnn-series/blob/main/"
            f"exercises/{names[0]}") in readme
    for folder in ("notebooks", "exercises"):
        for name in names:
            nb = nbformat.read(root / folder / name, as_version=4)
            badge, install = nb.cells[:2]
            assert badge.cell_type == "markdown" and install.cell_type == "code"
            assert (f"https://colab.research.google.com/github/example-org/qnn-series/blob/"
                    f"main/{folder}/{name}") in badge.source
            assert (f"https://mybinder.org/v2/gh/example-org/qnn-series/main?urlpath=lab/tree/"
                    f"{folder}/{name}") in badge.source
            assert 'if "google.colab" in sys.modules:' in install.source
            assert "git+https://github.com/example-org/qnn-series@main" in install.source
            extra = exercises.EXTRAS.get(name.removesuffix(".ipynb"))
            assert (f'"qnn-helpers[{extra}] @' if extra else '"qnn-helpers @') in install.source
            # the rest is the chapter as committed (launch cells only added)
            source = nbformat.read(REPO / folder / name, as_version=4)
            assert [c.source for c in nb.cells[2:]] == [c.source for c in source.cells]
    assert exercises.stale(root) == []
    assert exercises.write_all(root) == []  # the same setting gives the same files


def test_the_install_cell_does_nothing_outside_colab(tmp_path):
    source = exercises.install_cell("example-org/qnn-series")
    shell = IPython.core.interactiveshell.InteractiveShell.instance()
    result = shell.run_cell(source)
    assert result.success and "google.colab" not in sys.modules


def test_a_url_that_is_not_github_is_refused(tmp_path):
    root = _copy_with_url(tmp_path, "https://gitlab.com/example-org/qnn-series")
    with pytest.raises(ValueError, match=r"must be a https://github.com/<owner>/<name>"):
        exercises.repository_url(root / "pyproject.toml")


SAMPLE = '''#@save
import numpy as np

SCALE = 2


def f(x):
    """Twice x."""
    # Hint: multiply by SCALE.
    # a note for readers of the solution only
    y = SCALE * x
    return y


class Layer:
    """A layer."""

    size = 3

    def __init__(self):
        self.w = np.ones(self.size)

    def call(self, x):
        """Apply."""
        # Hint: multiply by self.w.
        return x * self.w
'''


def test_a_cell_the_learner_writes_keeps_signatures_docstrings_and_hints_only():
    blank = exercises.blank_bodies(SAMPLE)
    assert blank.splitlines()[0] == exercises.YOUR_TURN
    assert "SCALE * x" not in blank and "x * self.w" not in blank and "np.ones" not in blank
    assert "a note for readers" not in blank
    for kept in ('"""Twice x."""', "# Hint: multiply by SCALE.", "# Hint: multiply by self.w.",
                 "SCALE = 2", "size = 3", "def __init__(self):", "def call(self, x):"):
        assert kept in blank
    space = {}
    exec(compile(blank, "<learner>", "exec"), space)  # it runs: definitions only
    with pytest.raises(NotImplementedError, match="write f"):
        space["f"](1)
    with pytest.raises(NotImplementedError, match="write __init__"):
        space["Layer"]()


def _function_bodies(source):
    import ast

    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            body = node.body[1:] if isinstance(node.body[0], ast.Expr) else node.body
            yield node.name, body


def test_the_learner_writes_a_piece_of_chapters_01_to_04_and_it_is_checked():
    for path in chapters()[:4]:
        solution = nbformat.read(path, as_version=4).cells
        learner = {c.id: c for c in nbformat.read(exercises.LEARNER / path.name,
                                                  as_version=4).cells}
        written = [i for i, c in enumerate(solution)
                   if exercises.LEARNER_WRITES in c.metadata.get("tags", [])]
        assert written, f"{path.name}: no cell tagged {exercises.LEARNER_WRITES}"
        for i in written:
            bodies = list(_function_bodies(learner[solution[i].id].source))
            assert bodies, path.name
            for name, body in bodies:
                assert [type(s).__name__ for s in body] == ["Raise"], (path.name, name)
            following = next(c for c in solution[i + 1:] if c.cell_type == "code")
            assert "checks.piece(" in following.source or "compare(" in following.source, (
                f"{path.name}: no check after the blank")
