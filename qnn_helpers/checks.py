"""A check a learner can read: one line, ✓ or ✗, and the chapter goes on (where
``QNN_STRICT=1``, as in ``make test`` and CI, a ✗ raises).

:func:`piece` judges a piece the learner wrote by what it does (a judge of
:mod:`qnn_helpers.judges`), and hands the cells below the learner's piece when it passes,
the package's when it does not.
"""

from collections.abc import Callable
from typing import Any

import numpy as np

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


class Mistake(Exception):
    """A typical mistake a judge recognises; its message names it and what to change."""


def piece(name: str, yours: Any, package: Any, judge: Callable[[Any], str]) -> Any:
    """The piece the cells below use: ``yours`` where ``judge`` accepts it, else ``package``.

    ``judge(candidate)`` runs the candidate and returns what it showed (one short phrase),
    or raises :class:`Mistake` naming what is wrong.  A piece still blank
    (``NotImplementedError``) gets one ✗ line (never an error, even when strict: the
    learner's copy starts that way); a mistake, or any other error, is a failed
    :func:`check`.  Either way the line says which piece the cells below use.
    """
    fallback = f"the cells below use the package's {name}"
    try:
        shown = judge(yours)
    except NotImplementedError:
        print(f"✗ {name} is still blank: {fallback}")
        return package
    except Mistake as mistake:
        check(False, f"{name}: {mistake}; {fallback}")
        return package
    except Exception as exc:  # noqa: BLE001  (whatever a learner's code raises)
        check(False, f"{name} raised {type(exc).__name__}: {exc}; {fallback}")
        return package
    check(True, f"{name} {shown}: the cells below use yours")
    return yours


def _arrays(value: Any) -> list[np.ndarray]:
    """The arrays of a result: an array, or a (nested) list or tuple of arrays."""
    if isinstance(value, (list, tuple)):
        return [a for item in value for a in _arrays(item)]
    return [np.asarray(value)]


def compare(name: str, yours: Any, package: Any, run: Callable[[Any], Any],
            atol: float = 1e-8) -> Any:
    """Check a piece the learner writes against the package's; return the package's.

    ``run(yours)`` must agree with ``run(package)`` to ``atol``: a difference or an error is a
    failed :func:`check`, a piece not written yet (``NotImplementedError``) only a ✗ line.
    """
    where = f"the cells below use the package's version (qnn_helpers.lessons.{name})"
    try:
        got = _arrays(run(yours))
    except NotImplementedError:
        print(f"✗ {name} is not written yet: {where}")
        return package
    except Exception as exc:  # noqa: BLE001  (whatever a learner's code raises)
        check(False, f"{name} raised {type(exc).__name__}: {exc}; {where}")
        return package
    want = _arrays(run(package))
    shapes = [a.shape for a in got], [b.shape for b in want]
    if shapes[0] != shapes[1]:
        check(False, f"{name} gives results of shapes {shapes[0]}, expected {shapes[1]}; {where}")
        return package
    diff = max(float(np.max(np.abs(a - b), initial=0)) for a, b in zip(got, want, strict=True))
    if diff <= atol:
        check(True, f"{name} gives the package's results (to {atol:g})")
    else:
        check(False, f"{name} differs from the package's: largest difference {diff:.3g}; {where}")
    return package
