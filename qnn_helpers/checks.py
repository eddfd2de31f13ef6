"""A check a learner can read: one line, ✓ or ✗.

Chapters check what they promise (an accuracy, an equality) with :func:`check`.
A learner sees one readable line and keeps going, whatever it says.  Where
``QNN_STRICT=1`` (``make test`` and CI set it; read by :func:`qnn_helpers.config.flag`)
a failed check raises, so the promise is tested on every change.
"""

from __future__ import annotations

from qnn_helpers import config


class CheckFailed(AssertionError):
    """A chapter's check failed while ``QNN_STRICT`` was set."""


def check(ok: bool, message: str) -> bool:
    """Print ``✓ message`` or ``✗ message``; raise :class:`CheckFailed` on ✗ when strict."""
    strict = config.flag("QNN_STRICT")  # read on every check: a bad value is an error
    ok = bool(ok)
    print(("✓ " if ok else "✗ ") + message)
    if not ok and strict:
        raise CheckFailed(message)
    return ok
