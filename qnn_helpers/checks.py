"""A check a learner can read: one line, ✓ or ✗.

Chapters check what they promise (an accuracy, an equality) with :func:`check`.
A learner sees one readable line and keeps going, whatever it says.  Where
``QNN_STRICT=1`` (``make test`` and CI set it) a failed check raises, so the
promise is tested on every change.
"""

from __future__ import annotations

import os


class CheckFailed(AssertionError):
    """A chapter's check failed while ``QNN_STRICT`` was set."""


def strict() -> bool:
    """Whether failed checks raise (``QNN_STRICT`` set and not ``0``)."""
    return os.environ.get("QNN_STRICT", "").strip().lower() not in ("", "0", "false", "no")


def check(ok: bool, message: str) -> bool:
    """Print ``✓ message`` or ``✗ message``; raise :class:`CheckFailed` on ✗ when strict."""
    ok = bool(ok)
    print(("✓ " if ok else "✗ ") + message)
    if not ok and strict():
        raise CheckFailed(message)
    return ok
