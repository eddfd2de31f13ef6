"""Every chapter is a course a room finishes: a core path of at most 900 words, with a piece
the learner writes, then "Going further"; each piece has hints in steps, an answer-key entry
and a judge tested against valid alternatives and typical mistakes."""

import ast
import re

import nbformat
import pytest

from tools.exercises import LEARNER_WRITES
from tools.repo import REPO, chapters

NOTEBOOKS = chapters(REPO / "notebooks")
#: the core path's prose, in words (about 30 minutes with its code and the learner's piece)
CORE_WORDS = 900
GOING_FURTHER = "## Going further"


def _words(cell) -> int:
    return len(cell.source.split())


def _core(nb) -> list:
    """The cells before the "Going further" heading."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith(GOING_FURTHER):
            return nb.cells[:i]
    raise AssertionError(f"no markdown cell starts with {GOING_FURTHER!r}")


def _pieces(cells) -> list[tuple[int, str]]:
    """(index, name) of every function or class the learner writes in ``cells``."""
    found = []
    for i, cell in enumerate(cells):
        if LEARNER_WRITES in cell.metadata.get("tags", []):
            tree = ast.parse(cell.source)
            found += [(i, n.name) for n in tree.body
                      if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    return found


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem[:2] for p in NOTEBOOKS])
def notebook(request):
    return nbformat.read(request.param, as_version=4)


def test_the_core_path_is_at_most_900_words_and_the_learner_writes_in_it(notebook):
    core = _core(notebook)
    words = sum(_words(c) for c in core if c.cell_type == "markdown"
                and "launch" not in c.metadata.get("tags", []))
    assert words <= CORE_WORDS, f"the core path has {words} words of prose (≤ {CORE_WORDS})"
    assert _pieces(core), "the core path has no piece for the learner to write"
    headings = [c.source.split("\n")[0] for c in notebook.cells if c.cell_type == "markdown"]
    assert headings.index(GOING_FURTHER) < max(
        i for i, h in enumerate(headings) if h.startswith("## Exercises")), (
        "Going further comes before the exercises")


def test_every_piece_has_stepped_hints_and_no_hint_in_its_code(notebook):
    """After each piece and its check: a markdown cell tagged ``hints`` whose folded steps
    give the idea first, then the API; the solution is in the answer key, not the hints."""
    cells = notebook.cells
    for index, name in _pieces(cells):
        assert "# Hint" not in cells[index].source, f"{name}: hints go in the hints cell"
        after = next((c for c in cells[index + 1:index + 4]
                      if "hints" in c.metadata.get("tags", [])), None)
        assert after is not None, f"{name}: no cell tagged 'hints' right after its check"
        steps = re.findall(r"<summary>(.*?)</summary>", after.source)
        assert len(steps) >= 2 and "idea" in steps[0].lower(), (name, steps)
        solution = [line.strip() for line in cells[index].source.splitlines()
                    if len(line.strip()) > 25 and not line.strip().startswith(('"""', "#"))]
        first = after.source.split("</details>")[0]
        given = [line for line in solution if line in first]
        assert not given, f"{name}: the first hint gives code lines away: {given[:2]}"


def test_every_piece_has_an_answer_key_entry_and_tested_judge():
    key = (REPO / "docs" / "answer-key.md").read_text()
    tests = "\n".join(p.read_text() for p in (REPO / "tests").glob("test_judges_*.py"))
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for _, name in _pieces(nb.cells):
            assert f"`{name}`" in key, f"docs/answer-key.md has no entry for {name}"
            assert re.search(rf"\b{name}\b", tests), f"no tests/test_judges_*.py judges {name}"


def test_the_agenda_quotes_each_core_paths_words_and_code_lines():
    """docs/facilitator.md's agenda times each core path from its words and code lines: the
    counts it quotes are the committed chapters' (within 5 %), and its minutes add up."""
    agenda = (REPO / "docs" / "facilitator.md").read_text()
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        core = _core(nb)
        words = sum(_words(c) for c in core if c.cell_type == "markdown")
        lines = sum(len([line for line in c.source.splitlines() if line.strip()])
                    for c in core if c.cell_type == "code")
        row = re.search(rf"^\| {path.stem[:2]} [^|]*\| (\d+) \| (\d+) \|", agenda, re.M)
        assert row, f"the agenda has no row for chapter {path.stem[:2]}"
        quoted_words, quoted_lines = int(row[1]), int(row[2])
        assert abs(quoted_words - words) <= 0.05 * words, (path.stem, quoted_words, words)
        assert abs(quoted_lines - lines) <= 0.05 * lines, (path.stem, quoted_lines, lines)
    first = agenda.split("**first session**")[0].split("| block |")[1]
    minutes = [int(m) for m in re.findall(r"\| (\d+) \|\n", first)]
    total = int(re.search(r"\*\*first session\*\* \|[ |]*\*\*(\d+)\*\*", agenda)[1])
    assert sum(minutes) == total <= 180, (minutes, total)
