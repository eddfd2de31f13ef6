"""The facilitator kit: an agenda that fits 3 hours, and an answer for every exercise."""

import re

import nbformat

from tools.repo import REPO, chapters

DOCS = REPO / "docs"


def test_the_workshop_agenda_has_a_block_for_every_chapter():
    """Its minutes, and the counts they come from: ``test_course.py``."""
    text = (DOCS / "facilitator.md").read_text()
    agenda = text.split("## Two workshops of 3 hours", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^\| ([^|]+?) \|", agenda, re.M)
    assert "break" in blocks
    for path in chapters():  # every chapter has its block
        assert any(block.startswith(path.stem[:2]) for block in blocks), path.stem


def test_the_answer_key_answers_every_exercise():
    key = (DOCS / "answer-key.md").read_text()
    sections = re.split(r"^## ", key, flags=re.M)[1:]
    by_chapter = {s[:2]: s for s in sections}
    for path in chapters():
        nb = nbformat.read(path, as_version=4)
        exercises = [re.match(r"### (Exercise \d+)", c.source)[1] for c in nb.cells
                     if c.cell_type == "markdown" and c.source.startswith("### Exercise")]
        section = by_chapter[path.stem[:2]]
        answered = re.findall(r"^\*\*(Exercise \d+)", section, re.M)
        assert answered == exercises, path.stem
