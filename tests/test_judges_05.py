"""Chapter 05's judge: any function that gives each class's share of right predictions
passes, from counts or normalised matrices; the typical mistakes fail with their own
message."""

import numpy as np
import pytest

from qnn_helpers import checks, lessons
from qnn_helpers.judges import ten_label_gallery as judges


def by_rows(confusion):
    """Normalise the rows first, then read the diagonal."""
    m = np.asarray(confusion, dtype=float)
    return np.diag(m / m.sum(axis=1, keepdims=True))


def by_loop(confusion):
    """One class at a time, in plain Python, as a list."""
    return [confusion[c][c] / sum(confusion[c]) for c in range(len(confusion))]


@pytest.mark.parametrize("candidate", [lessons.per_class_accuracy, by_rows, by_loop])
def test_any_way_to_each_class_share_of_right_predictions_passes(candidate):
    assert "each class's share" in judges.per_class_accuracy(candidate)


def precision(confusion):
    m = np.asarray(confusion, dtype=float)
    return np.diag(m) / m.sum(axis=0)


def over_the_total(confusion):
    m = np.asarray(confusion, dtype=float)
    return np.diag(m) / m.sum()


def shifted(confusion):
    return np.roll(lessons.per_class_accuracy(confusion), 1)


def one_short(confusion):
    return lessons.per_class_accuracy(confusion)[1:]


def percent(confusion):
    return 100 * lessons.per_class_accuracy(confusion)


def overall(confusion):
    m = np.asarray(confusion, dtype=float)
    return np.trace(m) / m.sum()


def in_place(confusion):
    if np.issubdtype(confusion.dtype, np.integer):  # integer counts: no division in place
        return lessons.per_class_accuracy(confusion)
    confusion /= confusion.sum(axis=1, keepdims=True)
    return np.diag(confusion)


def floor_division(confusion):
    return np.diag(confusion) // np.sum(confusion, axis=1)


@pytest.mark.parametrize("candidate, message", [
    (precision, "rows and columns are swapped"),
    (over_the_total, "divides by the total"),
    (shifted, "off by one: each class's accuracy sits"),
    (one_short, "off by one, a class is missing"),
    (percent, "percentages"),
    (overall, "one number"),
    (floor_division, "integer division"),
    (in_place, "changes the confusion matrix"),
])
def test_typical_mistakes_fail_with_their_message(candidate, message):
    with pytest.raises(checks.Mistake, match=message):
        judges.per_class_accuracy(candidate)
