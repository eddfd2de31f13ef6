"""Learner notebooks generated from the solution notebooks: ``python -m tools.exercises``.

The notebooks in ``notebooks/`` are the single source: each exercise is a
markdown cell with the question followed by a code cell tagged ``solution``
whose first lines may be ``# Hint: ...`` comments.  CI executes the solutions.
The learner version in ``exercises/`` keeps everything else, replaces each
solution by its hints and ``# Your code here``, drops the cells tagged
``ci-only`` (checks written for CI; learners see ``check`` lines instead) and
all outputs, so that learners see their own.  ``--check`` fails if
``exercises/`` (or a chapter's launch cells) is out of date.

Launch cells come from one setting, ``Repository`` under ``[project.urls]`` in
``pyproject.toml`` (a ``https://github.com/<owner>/<name>`` address).  Where it is set,
every chapter, in ``notebooks/`` and ``exercises/``, starts with a markdown cell of
"Open in Colab" and "Binder" badges for that copy and a code cell that installs this
package only under Colab (``google.colab``).  Where it is not set, no chapter has them.
"""

from __future__ import annotations

import argparse
import ast
import copy
import re
import sys
import tomllib
from pathlib import Path

import nbformat

from tools.repo import EXERCISES as LEARNER
from tools.repo import REPO, chapters

PLACEHOLDER = "# Your code here"
#: the switch in each chapter's first code cell: False in notebooks/, True in the copies
QUICK_LINE = re.compile(r"^QUICK = False\b", re.M)
#: Tag of the generated launch cells (badges, Colab install).
LAUNCH = "launch"
BRANCH = "main"
COLAB = "https://colab.research.google.com/github/{repo}/blob/{branch}/{path}"
BINDER = "https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/{path}"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"


def repository_url(pyproject: Path = REPO / "pyproject.toml") -> str | None:
    """``[project.urls] Repository`` of ``pyproject``, or ``None`` where it is not set."""
    urls = tomllib.loads(pyproject.read_text()).get("project", {}).get("urls", {})
    url = urls.get("Repository")
    if url is None:
        return None
    match = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+?)(\.git)?/?", url)
    if not match:
        raise ValueError(f"[project.urls] Repository in {pyproject.name} must be a "
                         f"https://github.com/<owner>/<name> address (Colab and Binder open "
                         f"notebooks from GitHub), got {url!r}")
    return match.group(1)


def badges(repo: str, path: str) -> str:
    """Markdown badges that open ``path`` of GitHub repository ``repo`` in Colab and Binder."""
    where = {"repo": repo, "branch": BRANCH, "path": path}
    return (f"[![Open in Colab]({COLAB_BADGE})]({COLAB.format(**where)}) "
            f"[![Binder]({BINDER_BADGE})]({BINDER.format(**where)})")


#: Chapters that need an extra of pyproject.toml on top of the package (Colab installs it).
EXTRAS = {"06_hardware_reality": "hardware", "07_ten_qubits_whole_images": "hardware"}


def install_cell(repo: str, extra: str | None = None) -> str:
    """Source of the code cell that installs this package (and ``extra``) on Colab only."""
    name = "qnn-helpers" if extra is None else f"qnn-helpers[{extra}]"
    return ("# On Colab only: install this series' package (Colab's TensorFlow is kept).\n"
            "import sys\n\n"
            "if \"google.colab\" in sys.modules:\n"
            f"    %pip install --quiet \"{name} @ git+https://github.com/{repo}@{BRANCH}\"")


def with_launch_cells(nb: nbformat.NotebookNode, repo: str | None,
                      path: str) -> nbformat.NotebookNode:
    """``nb`` without its launch cells, then with new ones for ``repo`` (none if ``None``)."""
    nb = copy.deepcopy(nb)
    nb.cells = [cell for cell in nb.cells if LAUNCH not in cell.metadata.get("tags", [])]
    if repo is not None:
        meta = {"tags": [LAUNCH]}
        extra = EXTRAS.get(path.rsplit("/", 1)[-1].removesuffix(".ipynb"))
        nb.cells[:0] = [nbformat.v4.new_markdown_cell(badges(repo, path), metadata=meta),
                        nbformat.v4.new_code_cell(install_cell(repo, extra), metadata=meta)]
        for cell in nb.cells[:2]:
            cell.pop("id", None)
    for i, cell in enumerate(nb.cells):  # stable ids: the same setting gives the same JSON
        if "id" not in cell:
            cell.id = f"{LAUNCH}-{i}"
    return nb


def is_solution(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell is an exercise solution (tagged ``solution``)."""
    return cell.cell_type == "code" and "solution" in cell.metadata.get("tags", [])


def hints(source: str) -> list[str]:
    """The leading ``# Hint:`` comment lines of a solution."""
    out = []
    for line in source.splitlines():
        if not line.startswith("# Hint"):
            break
        out.append(line)
    return out


def is_ci_only(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell holds checks for CI only (tagged ``ci-only``): learners do not get it."""
    return "ci-only" in cell.metadata.get("tags", [])


#: Tag of a code cell the learner writes: in the learner copy its functions and methods keep
#: their signature, docstring and leading ``# Hint:`` comments, and their bodies raise
#: ``NotImplementedError``; the chapter's next cell checks the learner's version
#: (:func:`qnn_helpers.checks.compare`) and goes on with the package's.
LEARNER_WRITES = "learner-writes"
YOUR_TURN = "# Your turn: write the bodies below (the next cell checks them)."


def _blank(lines: list[str], node: ast.FunctionDef) -> None:
    """Replace the body of ``node`` in ``lines`` (in place) by its hints and a ``raise``."""
    body = node.body
    first = body[1] if (isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                        and isinstance(body[0].value.value, str) and len(body) > 1) else body[0]
    if first is body[0] and isinstance(body[0], ast.Expr) and isinstance(
            body[0].value, ast.Constant):  # a docstring alone: nothing to blank
        return
    start = first.lineno - 1
    while start > 0 and lines[start - 1].strip().startswith("#"):  # comments above the code
        start -= 1
    indent = " " * first.col_offset
    kept = [line for line in lines[start:first.lineno - 1] if line.strip().startswith("# Hint")]
    lines[start:node.end_lineno] = [*kept, f"{indent}raise NotImplementedError"
                                           f"(\"write {node.name}\")"]


def blank_bodies(source: str) -> str:
    """``source`` with the bodies of its top-level functions and its classes' methods blanked
    (see :data:`LEARNER_WRITES`); a leading ``#@save`` line becomes :data:`YOUR_TURN`."""
    tree = ast.parse(source)
    nodes = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    nodes += [m for n in tree.body if isinstance(n, ast.ClassDef)
              for m in n.body if isinstance(m, ast.FunctionDef)]
    lines = source.splitlines()
    for node in sorted(nodes, key=lambda n: n.lineno, reverse=True):
        _blank(lines, node)
    if lines and lines[0].strip() == "#@save":
        lines[0] = YOUR_TURN
    return "\n".join(lines)


def learner_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` with solutions and learner-writes cells blanked, CI-only cells dropped
    and no outputs."""
    nb = copy.deepcopy(nb)
    nb.metadata = nbformat.NotebookNode({k: v for k, v in nb.metadata.items()
                                         if k in ("kernelspec", "language_info")})
    nb.cells = [cell for cell in nb.cells if not is_ci_only(cell)]
    first = True
    for cell in nb.cells:
        if cell.cell_type != "code" or LAUNCH in cell.metadata.get("tags", []):
            continue
        if first:  # the learner's copy starts in quick mode
            cell.source = QUICK_LINE.sub("QUICK = True", cell.source, count=1)
            first = False
        cell.outputs = []
        cell.execution_count = None
        if is_solution(cell):
            cell.source = "\n".join([*hints(cell.source), PLACEHOLDER])
            cell.metadata = {"tags": ["exercise"]}
        elif LEARNER_WRITES in cell.metadata.get("tags", []):
            cell.source = blank_bodies(cell.source)
    return nb


def _text(nb: nbformat.NotebookNode) -> str:
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def rendered(path: Path, repo: str | None) -> dict[Path, str]:
    """Solution notebook ``path`` (its launch cells for ``repo``) and its learner notebook,
    as nbformat JSON text by target path."""
    nb = nbformat.read(path, as_version=4)
    root = path.parents[1]
    learner = root / LEARNER.name / path.name
    return {path: _text(with_launch_cells(nb, repo, f"{path.parent.name}/{path.name}")),
            learner: _text(with_launch_cells(learner_version(nb), repo,
                                             f"{LEARNER.name}/{path.name}"))}


def render(path: Path) -> str:
    """The learner notebook for solution notebook ``path``, as nbformat JSON text."""
    return rendered(path, repository_url(path.parents[1] / "pyproject.toml"))[
        path.parents[1] / LEARNER.name / path.name]


README_BADGES = re.compile(r"(<!-- badges:start -->\n).*?(<!-- badges:end -->)", re.S)


def readme_text(text: str, repo: str | None) -> str:
    """README ``text`` with the badges of chapter 01's learner copy between its markers."""
    first = chapters()[0].name
    inner = "" if repo is None else badges(repo, f"{LEARNER.name}/{first}") + "\n"
    return README_BADGES.sub(lambda m: m.group(1) + inner + m.group(2), text, count=1)


def _targets(root: Path) -> dict[Path, str]:
    repo = repository_url(root / "pyproject.toml")
    out: dict[Path, str] = {}
    readme = root / "README.md"
    if readme.exists():
        out[readme] = readme_text(readme.read_text(), repo)
    for path in chapters(root / "notebooks"):
        out |= rendered(path, repo)
    return out


def write_all(root: Path = REPO) -> list[Path]:
    """(Re)write every learner notebook and the chapters' launch cells; return the paths
    that changed."""
    (root / LEARNER.name).mkdir(exist_ok=True)
    written = []
    for target, text in _targets(root).items():
        if not target.exists() or target.read_text() != text:
            target.write_text(text)
            written.append(target)
    return written


def stale(root: Path = REPO) -> list[str]:
    """Notebooks that are missing or differ from what the solutions and the setting give."""
    return [f"{target.parent.name}/{target.name}" for target, text in _targets(root).items()
            if not target.exists() or target.read_text() != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args(argv)
    if args.check:
        bad = stale()
        if bad:
            print("out of date (run python -m tools.exercises):", ", ".join(bad))
            return 1
        print("learner notebooks are up to date")
        return 0
    for path in write_all():
        print("wrote", path.relative_to(REPO))
    if repository_url() is None:
        print("no launch cells: set Repository under [project.urls] in pyproject.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
