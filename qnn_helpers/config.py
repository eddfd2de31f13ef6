"""Full size or quick mode: the one switch of the series, ``QNN_QUICK``.

Full size (the default) trains on all images with the epochs of the text; it
is what ``make series`` records and CI checks.  ``QNN_QUICK=1`` shrinks the
data and the epochs so that each chapter runs in about a minute or two on a
2-core laptop, for workshops.  The numbers then differ from the text (they are
lower and vary more), and the thresholds a chapter checks are looser.

A chapter reads the mode once, in its first code cell, and picks its sizes with
:func:`pick`::

    from qnn_helpers import config
    config.announce()
    n_train = config.pick(full=None, quick=4000)   # None: all images
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def is_quick() -> bool:
    """Whether ``QNN_QUICK`` asks for quick mode (set and not ``0``/``false``/``no``)."""
    return os.environ.get("QNN_QUICK", "").strip().lower() not in ("", "0", "false", "no")


def pick(full: T, quick: T) -> T:
    """``quick`` in quick mode, else ``full``."""
    return quick if is_quick() else full


def cache_root() -> Path:
    """Where downloads, trained autoencoders and compiled programs are kept.

    ``$QNN_CACHE_DIR``, else ``~/.cache/qnn_helpers`` (never inside the repository).
    """
    root = os.environ.get("QNN_CACHE_DIR")
    return Path(root).expanduser() if root else Path.home() / ".cache" / "qnn_helpers"


def announce() -> str:
    """Print (and return) one line saying which mode this run uses."""
    if is_quick():
        line = ("Quick mode (QNN_QUICK=1): fewer images and epochs, so every number below "
                "differs from the text, and the checks are looser.")
    else:
        line = ("Full size, as in the text (set QNN_QUICK=1 before starting Jupyter "
                "for a quick run).")
    print(line)
    return line
