"""Keep XLA's compiled programs on disk, so that a rerun does not compile them again.

Every ``QuantumLayer`` model is compiled by XLA before its first training step
(several seconds on 2 cores, see the README's benchmark).  TensorFlow can save each
compiled program in a folder and load it when it is about to compile exactly the
same program again (its ``--tf_xla_persistent_cache_directory`` flag).  That happens
when a notebook runs again in the same mode (restart and run all, the next session of
a workshop): the same cells build the same models in the same order.  A *different*
model built later in the same kernel is compiled anew: the program carries the names
TensorFlow numbered while tracing it.  ``make benchmark`` measures a compile both ways.

* The folder is ``$QNN_CACHE_DIR/xla-tf<version>``, else
  ``~/.cache/qnn_helpers/xla-tf<version>``: one folder per TensorFlow version,
  so a program compiled by another version is never loaded.  Delete the folder at any
  time.
* The numbers do not change: TensorFlow loads a saved program only after checking that
  the program it was about to compile is the saved one, and it saves a program under
  a temporary name and then renames it, so parallel processes can share the folder.
* ``QNN_XLA_CACHE=0`` turns it off; a cache folder you put in ``TF_XLA_FLAGS``
  yourself wins.  Where the folder cannot be written there is no cache (TensorFlow
  would fail every compilation).  TensorFlow reads the flag at its first XLA compilation, so this
  must run before it: the package's ``__init__`` runs it on import.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from qnn_helpers.config import cache_root

FLAG = "--tf_xla_persistent_cache_directory"


def _tensorflow_version() -> str | None:
    for name in ("tensorflow", "tensorflow-cpu"):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def folder() -> Path | None:
    """The cache folder this process uses (``None``: no TensorFlow, or turned off)."""
    for flag in os.environ.get("TF_XLA_FLAGS", "").split():
        if flag.startswith(FLAG + "="):
            return Path(flag.split("=", 1)[1])
    return None


def use(path: str | os.PathLike[str]) -> None:
    """Make this process (before its first XLA compilation) and its children use ``path``."""
    flags = [f for f in os.environ.get("TF_XLA_FLAGS", "").split() if not f.startswith(FLAG + "=")]
    os.environ["TF_XLA_FLAGS"] = " ".join([*flags, f"{FLAG}={path}"])


@contextlib.contextmanager
def temporary() -> Iterator[Path]:
    """An empty cache folder while the block runs (for timings that must not depend on
    earlier runs), then the previous setting again."""
    before = os.environ.get("TF_XLA_FLAGS")
    with tempfile.TemporaryDirectory(prefix="qnn-xla-") as path:
        use(path)
        try:
            yield Path(path)
        finally:
            if before is None:
                os.environ.pop("TF_XLA_FLAGS", None)
            else:
                os.environ["TF_XLA_FLAGS"] = before


def saved_programs(path: str | os.PathLike[str]) -> dict[str, int]:
    """The programs saved in ``path``: file name → time stamp in ns.  A program compiled
    again is written again (a new time stamp); one loaded from the cache is not."""
    return {p.name: p.stat().st_mtime_ns for p in Path(path).glob("*.pb")}


def enable() -> Path | None:
    """Add the cache folder to ``TF_XLA_FLAGS`` unless turned off or already set."""
    if os.environ.get("QNN_XLA_CACHE", "").strip().lower() in ("0", "false", "no", "off"):
        return None
    if (chosen := folder()) is not None:
        return chosen
    version = _tensorflow_version()
    if version is None:
        return None
    path = cache_root() / f"xla-tf{version}"
    try:  # TensorFlow fails every XLA compile if it cannot write there: then no cache
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(path, os.W_OK):
        return None
    use(path)
    return path


enable()
