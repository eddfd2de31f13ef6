"""Notebook hygiene: valid nbformat, python3 kernel, clean metadata, full clean outputs."""

import nbformat
import pytest

from tools import series
from tools.repo import chapters

NOTEBOOKS = chapters()


def test_the_series_is_there():
    names = [p.stem for p in NOTEBOOKS]
    assert names[:6] == ["01_data_reduction", "02_circuit_design", "03_data_reuploading",
                         "04_four_label_training", "05_ten_label_gallery", "06_hardware_reality"]


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def notebook(request):
    return nbformat.read(request.param, as_version=4)


def test_valid_nbformat_and_kernel(notebook):
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    assert set(notebook.metadata) <= {"kernelspec", "language_info", series.STAMP}


def test_committed_with_outputs_of_a_full_clean_run(notebook):
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    for cell in code:
        for out in cell.outputs:
            assert out.output_type != "error", cell.source
            assert not (out.output_type == "stream" and out.name == "stderr"), (
                f"stderr output (warnings or log noise) in cell:\n{cell.source}\n{out.text}")


def test_every_chapter_opens_with_goals_and_ends_with_exercises(notebook):
    first, text = notebook.cells[0].source, "\n".join(
        c.source for c in notebook.cells if c.cell_type == "markdown")
    assert first.startswith("# ") and "What you will learn" in text and "Run time" in text
    assert "## Summary" in text and "## Exercises" in text


#: What the site shows without a horizontal scroll bar.
CODE_WIDTH = 88


def test_code_fits_the_page(notebook):
    long = [line for cell in notebook.cells if cell.cell_type == "code"
            for line in cell.source.splitlines() if len(line) > CODE_WIDTH]
    assert not long, f"{len(long)} code lines over {CODE_WIDTH} characters: {long[:3]}"


def _words(cell) -> int:
    return len(cell.source.split())


def test_prose_comes_in_short_cells():
    """No markdown cell over 300 words (the core path's length: ``test_course.py``)."""
    books = [nbformat.read(p, as_version=4) for p in NOTEBOOKS]
    prose = [[c for c in nb.cells if c.cell_type == "markdown"] for nb in books]
    longest = max((_words(c), c.id) for cells in prose for c in cells)
    assert longest[0] <= 300, longest
