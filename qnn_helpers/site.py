"""The executed series as a static HTML site: ``python -m qnn_helpers.site [OUT]``.

One page per chapter (nbconvert's HTML export of the committed, executed
notebook, figures embedded) and an index with the learning path, the run time
of every chapter and the results table.  ``make series`` writes it to ``site/``.
"""

from __future__ import annotations

import argparse
import html
from pathlib import Path

import mistune
import nbformat
from nbconvert import HTMLExporter

from qnn_helpers import results

NOTEBOOKS = results.REPO / "notebooks"


def chapter_title(nb: nbformat.NotebookNode) -> str:
    """The first heading of a notebook (``# 01 · ...``) without the ``#``."""
    first = nb.cells[0].source.splitlines()[0]
    return first.lstrip("#").strip()


def chapter_goals(nb: nbformat.NotebookNode) -> list[str]:
    """The bullet points under 'What you will learn' in the first cells."""
    for cell in nb.cells[:2]:
        lines = cell.source.splitlines()
        for i, line in enumerate(lines):
            if "What you will learn" in line:
                return [ln[2:].strip() for ln in lines[i + 1:] if ln.startswith("- ")]
    return []


def render_chapter(path: Path, out_dir: Path) -> dict[str, str]:
    """Write ``<stem>.html``; return its title, file name and goals."""
    nb = nbformat.read(path, as_version=4)
    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
    (out_dir / f"{path.stem}.html").write_text(body)
    return {"stem": path.stem, "file": f"{path.stem}.html", "title": chapter_title(nb),
            "goals": chapter_goals(nb)}


def index_page(chapters: list[dict], times: dict[str, float], table_md: str) -> str:
    """The index: learning path with time per chapter, then the results table."""
    items = []
    for ch in chapters:
        minutes = times.get(ch["stem"])
        when = f" — about {max(1, round(minutes / 60))} min to run" if minutes else ""
        goals = "".join(f"<li>{mistune.html(g).strip()[3:-4]}</li>" for g in ch["goals"])
        items.append(
            f'<li id="{ch["stem"]}"><a href="{ch["file"]}">{html.escape(ch["title"])}</a>'
            f"{when}<ul>{goals}</ul></li>"
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Hybrid quantum neural networks on Fashion-MNIST</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;line-height:1.5}}
table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:.2rem .5rem}}</style>
</head><body>
<h1>Hybrid quantum neural networks on Fashion-MNIST</h1>
<p>A PennyLane circuit inside a Keras model, step by step. Read the chapters in order; each one
runs on its own on a laptop. Contents: <a href="#path">learning path</a> ·
<a href="#results">results</a>.</p>
<h2 id="path">Learning path</h2>
<ol>{''.join(items)}</ol>
<h2 id="results">Results</h2>
{mistune.html(table_md)}
</body></html>
"""


def build(out_dir: Path) -> Path:
    """Render every chapter and the index into ``out_dir``; return the index path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    chapters = [render_chapter(p, out_dir) for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))]
    times = results.load_committed("series")
    table = (results.REPO / "results" / "results.md")
    table_md = table.read_text() if table.exists() else "No results recorded yet."
    index = out_dir / "index.html"
    index.write_text(index_page(chapters, times, table_md))
    return index


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(results.REPO / "site"))
    print("wrote", build(Path(parser.parse_args(argv).out)))


if __name__ == "__main__":
    main()
