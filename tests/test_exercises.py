"""Learner notebooks are generated from the solutions, up to date and valid."""

import nbformat

from tools import exercises
from tools.repo import chapters


def test_every_chapter_has_two_or_three_exercises_with_solutions():
    for path in chapters():
        nb = nbformat.read(path, as_version=4)
        solutions = [c for c in nb.cells if exercises.is_solution(c)]
        assert 2 <= len(solutions) <= 3, path.name
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
