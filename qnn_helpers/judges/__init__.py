"""Judges of the pieces a learner writes, one module per chapter (named as its notebook).

A judge takes the learner's piece, runs it and returns what it showed (one short phrase),
or raises :class:`qnn_helpers.checks.Mistake` naming a typical mistake and what to change.
It judges behaviour, not equality with one answer: every valid alternative passes.
:func:`qnn_helpers.checks.piece` then hands the cells below the learner's piece, or the
package's.  ``tests/test_judges_<chapter number>.py`` shows each judge valid alternatives
and typical mistakes.
"""
