"""The package is thin: teaching code only, no publishing tooling, no repository paths."""

import ast
import subprocess
import sys
from pathlib import Path

import qnn_helpers

PACKAGE = Path(qnn_helpers.__file__).parent
TOOLING = {"nbformat", "nbconvert", "nbclient", "mistune", "tools"}


def _modules():
    return sorted(PACKAGE.glob("*.py"))


def test_no_module_imports_publishing_tooling():
    for path in _modules():
        tree = ast.parse(path.read_text())
        imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.module}
        assert not imported & TOOLING, (path.name, imported & TOOLING)


def test_no_module_knows_where_the_repository_is():
    for path in _modules():
        names = {node.id for node in ast.walk(ast.parse(path.read_text()))
                 if isinstance(node, ast.Name)}
        assert "__file__" not in names, f"{path.name} locates files relative to itself"


def test_every_module_imports_first():
    """Each module imports on its own in a fresh interpreter (no import cycle breaks it when it
    is the first one a chapter imports)."""
    names = sorted(".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)
                   for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    for loaded in [m for m in sys.modules if m.startswith('qnn_helpers')]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=PACKAGE.parent)
    assert run.returncode == 0, run.stderr[-3000:]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that ``path`` imports (anywhere in it, at any depth)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found & modules


def test_no_two_modules_import_each_other():
    """The package's import graph (``ast`` over qnn_helpers/) has no cycle (each module
    imports on its own: the test above)."""
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {_module_name(path) for path in paths}
    graph = {_module_name(path): _imports(path, modules) - {_module_name(path)}
             for path in paths}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, "import cycle: " + " → ".join((*path[path.index(name):], name))
        if name not in done:
            for imported in sorted(graph[name]):
                visit(imported, (*path, name))
            done.add(name)

    for name in sorted(graph):
        visit(name, ())
