"""The series' switches: quick mode (``QNN_QUICK``), strict checks (``QNN_STRICT``), the cache.

Full size trains with the images and epochs of the text; quick mode shrinks them
(:func:`pick`) so that a chapter runs in a minute or two on a 2-core laptop, with numbers
that differ from the text and looser checks.  Each chapter switches it in its first code
cell (``QUICK = True`` in the learner copies); ``QNN_QUICK=1`` in the environment wins.
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


#: what the chapter's first cell chose (``QUICK = True/False``, :func:`use_quick`)
_chosen: bool | None = None


def use_quick(quick: bool) -> None:
    """The chapter's own switch, ``QUICK`` in its first code cell.  ``QNN_QUICK``, where it is
    set in the environment, wins (the tests and ``make series`` set it)."""
    global _chosen
    if not isinstance(quick, bool):
        raise TypeError(f"QUICK must be True or False, got {quick!r}")
    _chosen = quick


def is_quick() -> bool:
    """Quick mode: ``QNN_QUICK`` where it is set, else the chapter's ``QUICK`` (else off)."""
    if os.environ.get("QNN_QUICK", "").strip():
        return flag("QNN_QUICK")
    return bool(_chosen)


def pick(full: T, quick: T) -> T:
    """``quick`` in quick mode, else ``full``."""
    return quick if is_quick() else full


def cache_root() -> Path:
    """Where downloads and trained autoencoders are kept: ``$QNN_CACHE_DIR``, else
    ``~/.cache/qnn_helpers`` (never inside the repository)."""
    root = os.environ.get("QNN_CACHE_DIR")
    return Path(root).expanduser() if root else Path.home() / ".cache" / "qnn_helpers"


def announce(quick: bool | None = None) -> str:
    """Take the chapter's ``QUICK`` (:func:`use_quick`), then print (and return) one line
    saying which mode this run uses."""
    if quick is not None:
        use_quick(quick)
    line = ("Quick mode: fewer images and epochs, so every number below differs from the "
            "text, and the checks are looser (QUICK = False runs the full size)."
            if is_quick() else
            "Full size, as in the text (QUICK = True runs a quick version in minutes).")
    if os.environ.get("QNN_QUICK", "").strip() and quick is not None and quick != is_quick():
        line += f" QNN_QUICK={os.environ['QNN_QUICK']} is set, and wins over QUICK."
    print(line)
    return line
