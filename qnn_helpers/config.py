"""The series' switches: quick mode (``QNN_QUICK``), strict checks (``QNN_STRICT``), the cache.

Full size (the default) trains with the images and epochs of the text; ``QNN_QUICK=1``
shrinks them (:func:`pick`) so that a chapter runs in a minute or two on a 2-core laptop,
with numbers that differ from the text and looser checks.
"""

import os
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

YES = ("1", "true", "yes", "on")
NO = ("", "0", "false", "no", "off")


def flag(name: str) -> bool:
    """Whether the yes/no environment variable ``name`` is on (:data:`YES`; unset or
    :data:`NO`, any case: off); anything else (a typo) is a ``ValueError``."""
    value = os.environ.get(name, "")
    if (word := value.strip().lower()) in YES + NO:
        return word in YES
    raise ValueError(f"{name}={value!r} is neither yes nor no: set {name}=1 (on) or "
                     f"{name}=0 (off), or unset it (accepted: {', '.join(YES + NO[1:])})")


def is_quick() -> bool:
    """Whether ``QNN_QUICK`` asks for quick mode."""
    return flag("QNN_QUICK")


def pick(full: T, quick: T) -> T:
    """``quick`` in quick mode, else ``full``."""
    return quick if is_quick() else full


def cache_root() -> Path:
    """Where downloads and trained autoencoders are kept: ``$QNN_CACHE_DIR``, else
    ``~/.cache/qnn_helpers`` (never inside the repository)."""
    root = os.environ.get("QNN_CACHE_DIR")
    return Path(root).expanduser() if root else Path.home() / ".cache" / "qnn_helpers"


def announce() -> str:
    """Print (and return) one line saying which mode this run uses."""
    line = ("Quick mode (QNN_QUICK=1): fewer images and epochs, so every number below differs "
            "from the text, and the checks are looser." if is_quick() else
            "Full size, as in the text (set QNN_QUICK=1 before starting Jupyter for a quick run).")
    print(line)
    return line
