"""Chapter 01's judge: any stratified, disjoint, complete, sorted and repeatable split
passes, whatever its seed; the typical mistakes fail with their own message."""

import numpy as np
import pytest
from sklearn.model_selection import train_test_split

from qnn_helpers import checks, lessons
from qnn_helpers.judges import data_reduction as judges


def _refuse(fraction):
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must lie strictly between 0 and 1, got {fraction!r}")


def another_seed(y, fraction=0.1):
    _refuse(fraction)
    train, val = train_test_split(np.arange(len(y)), test_size=fraction, stratify=y,
                                  random_state=7)
    return np.sort(train), np.sort(val)


def by_hand(y, fraction=0.1):
    """Per class: shuffle its positions with a fixed generator, hold back the first share."""
    _refuse(fraction)
    return accepts_any_fraction(y, fraction)


@pytest.mark.parametrize("split", [lessons.validation_split, another_seed, by_hand])
def test_any_stratified_sorted_repeatable_split_passes(split):
    assert "stratified, disjoint" in judges.validation_split(split)


def not_stratified(y, fraction=0.1):
    _refuse(fraction)
    train, val = train_test_split(np.arange(len(y)), test_size=fraction, random_state=0)
    return np.sort(train), np.sort(val)


def swapped(y, fraction=0.1):
    train, val = lessons.validation_split(y, fraction)
    return val, train


def unsorted(y, fraction=0.1):
    _refuse(fraction)
    return tuple(train_test_split(np.arange(len(y)), test_size=fraction, stratify=y,
                                  random_state=0))


def unseeded(y, fraction=0.1):
    _refuse(fraction)
    train, val = train_test_split(np.arange(len(y)), test_size=fraction, stratify=y)
    return np.sort(train), np.sort(val)


def overlapping(y, fraction=0.1):
    train, val = lessons.validation_split(y, fraction)
    return np.arange(len(y)), val  # training keeps every image


def fixed_share(y, fraction=0.1):
    return lessons.validation_split(y, 0.1)


def accepts_any_fraction(y, fraction=0.1):
    rng = np.random.default_rng(123)
    val = np.concatenate([rng.permutation(np.flatnonzero(y == c))[:round(fraction * np.sum(
        y == c))] for c in np.unique(y)])
    return np.setdiff1d(np.arange(len(y)), val), np.sort(val)


def masks(y, fraction=0.1):
    train, val = lessons.validation_split(y, fraction)
    return np.isin(np.arange(len(y)), train), np.isin(np.arange(len(y)), val)


@pytest.mark.parametrize(("split", "message"), [
    (not_stratified, "not stratified: class"),
    (swapped, "swapped"),
    (unsorted, "not sorted"),
    (unseeded, "different splits: fix the random seed"),
    (overlapping, "in both parts"),
    (fixed_share, "the wrong share: .* fraction=0.25"),
    (accepts_any_fraction, r"fraction=0 is accepted: refuse"),
    (masks, "mask of True/False"),
])
def test_a_typical_mistake_fails_with_its_message(split, message):
    with pytest.raises(checks.Mistake, match=message):
        judges.validation_split(split)


def test_the_check_goes_on_with_the_package_split_after_a_mistake(monkeypatch, capsys):
    monkeypatch.setenv("QNN_STRICT", "0")  # a learner's run: the ✗ does not stop it
    used = checks.piece("validation_split", swapped, lessons.validation_split,
                        judges.validation_split)
    assert used is lessons.validation_split
    assert "swapped" in capsys.readouterr().out
