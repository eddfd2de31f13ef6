"""The package is thin: teaching code only, no publishing tooling, no repository paths."""

import ast
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
