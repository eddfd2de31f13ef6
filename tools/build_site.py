"""Build the tutorial's documentation site: ``python -m tools.build_site [OUT]`` (``make site``).

Stages the Sphinx pages of ``docs/`` together with the executed chapters
(``notebooks/``), the learner notebooks (``exercises/``), ``results/results.md`` and the
README into ``build/site-src/``, then runs ``sphinx-build`` (HTML, fresh environment,
warnings as errors) into OUT, ``site/`` by default. Sphinx + myst-nb + sphinx-book-theme;
no notebook is executed and nothing is fetched from the network.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tools.repo import EXERCISES, NOTEBOOKS, README, REPO, RESULTS, chapters


def stage(src: Path) -> Path:
    """Copy what the site is made of into ``src`` (emptied first); return it."""
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(REPO / "docs", src,
                    ignore=shutil.ignore_patterns("_build", "__pycache__", ".ipynb_checkpoints"))
    for folder in (NOTEBOOKS, EXERCISES):
        (src / folder.name).mkdir()
        for nb in chapters(folder):
            shutil.copy2(nb, src / folder.name / nb.name)
    (src / "results").mkdir()
    shutil.copy2(RESULTS / "results.md", src / "results" / "results.md")
    shutil.copy2(README, src / "README.md")
    return src


def build(out: Path, work: Path | None = None) -> Path:
    """Stage into ``work/site-src`` and build the site into ``out``; return its index page."""
    work = Path(work) if work else REPO / "build"
    out = Path(out)
    src = stage(work / "site-src")
    # Sphinx writes into work/site-html first: myst-nb puts the notebooks' figures in a
    # jupyter_execute/ folder beside its output folder, which must not be the repository.
    html = work / "site-html"
    for folder in (html, out):  # no page of an earlier build survives, e.g. of a removed chapter
        if folder.exists():
            shutil.rmtree(folder)
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-E", "-W", "--keep-going", "-q",
         "-d", str(work / "site-doctrees"), str(src), str(html)],
        check=True)
    shutil.copytree(html, out)
    return out / "index.html"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(REPO / "site"),
                        help="output folder, emptied first (default: site/)")
    parser.add_argument("--work", default=str(REPO / "build"),
                        help="folder for the staged sources and Sphinx's cache (default: build/)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        index = build(Path(args.out), Path(args.work))
    except subprocess.CalledProcessError:
        sys.exit("sphinx-build failed; warnings count as errors (its messages are above)")
    print(f"wrote {index} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
