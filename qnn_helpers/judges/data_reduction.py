"""Judges of chapter 01's piece (notebooks/01_data_reduction.ipynb): ``validation_split``."""

from collections.abc import Callable
from typing import Any

import numpy as np

from qnn_helpers.checks import Mistake

#: the share held back unless a call says otherwise (chapter 01's ``VALIDATION_FRACTION``)
FRACTION = 0.1
#: images per class of the labels the judge splits: four classes, 24,000 images as the
#: post's four, but of unequal sizes, shuffled
CLASS_SIZES = (6000, 5400, 4800, 7800)


def _labels() -> np.ndarray:
    y = np.repeat(np.arange(len(CLASS_SIZES)), CLASS_SIZES)
    return np.random.default_rng(1).permutation(y)


def _indices(result: Any, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The two index arrays of a result, or a :class:`Mistake` saying what it is instead."""
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise Mistake(f"returns {type(result).__name__}, expected two arrays "
                      "(training indices, validation indices)")
    arrays = [np.asarray(part) for part in result]
    for name, part in zip(("training", "validation"), arrays, strict=True):
        if part.dtype == bool:
            raise Mistake(f"the {name} part is a mask of True/False: return the positions "
                          "of the images instead (0 … len(y) - 1)")
        if part.ndim != 1 or not np.issubdtype(part.dtype, np.integer):
            raise Mistake(f"the {name} part has shape {part.shape} and dtype {part.dtype}: "
                          "expected a 1-D array of integer indices")
        if part.size and (part.min() < 0 or part.max() >= n):
            raise Mistake(f"the {name} part holds {part.max()}, not a position among the "
                          f"{n:,} labels: return positions, not labels or values")
    return arrays[0], arrays[1]


def _check_split(split: Callable, y: np.ndarray, fraction: float) -> tuple:
    """The split of ``y`` at ``fraction`` if it is disjoint, complete, of the right share,
    stratified and sorted; else the :class:`Mistake` that names what it is not."""
    n, classes = len(y), len(CLASS_SIZES)
    train, val = _indices(split(y, fraction), n)
    both = np.intersect1d(train, val)
    if both.size:
        raise Mistake(f"{both.size:,} indices are in both parts (e.g. {both[0]}): an image "
                      "is either for training or for validation, never both")
    if len(np.unique(train)) < len(train) or len(np.unique(val)) < len(val):
        raise Mistake("an index appears twice within one part: draw without replacement")
    missing = n - len(train) - len(val)
    if missing:
        raise Mistake(f"{missing:,} of the {n:,} indices are in neither part: every image "
                      "goes to training or to validation")
    share = len(val) / n
    if abs(len(val) - fraction * n) > classes:  # each class may round by one image
        if abs(share - (1 - fraction)) < abs(share - fraction):
            raise Mistake(f"the validation part holds {share:.0%} of the images and the "
                          f"training part {1 - share:.0%}, for fraction={fraction}: training "
                          "and validation are swapped (return the training indices first)")
        raise Mistake(f"the wrong share: the validation part holds {share:.1%} of the "
                      f"images, for fraction={fraction}: hold back that share (the argument "
                      "fraction, not a fixed number)")
    counts = np.bincount(y, minlength=classes)
    held = np.bincount(y[val], minlength=classes)
    off = np.abs(held - fraction * counts)
    if off.max() > 1:
        c = int(np.argmax(off))
        raise Mistake(f"not stratified: class {c} has {held[c]:,} of its {counts[c]:,} images "
                      f"in validation, {fraction * counts[c]:,.0f} expected (fraction="
                      f"{fraction}); hold back the same share of every class (stratify by "
                      "the labels)")
    for name, part in (("training", train), ("validation", val)):
        if np.any(np.diff(part) < 0):
            raise Mistake(f"the {name} indices are not sorted (they start {part[:4]}): "
                          "return them in increasing order")
    return train, val


def validation_split(split: Callable) -> str:
    """``split(y, fraction)`` → (training, validation) indices: any split that is stratified
    (every class's validation count within one image of ``fraction`` of it), disjoint,
    complete, sorted and the same on every call passes; a fraction outside (0, 1) must be a
    ``ValueError``."""
    y = _labels()
    train, val = _check_split(split, y, FRACTION)
    again = _indices(split(y, FRACTION), len(y))
    if not (np.array_equal(train, again[0]) and np.array_equal(val, again[1])):
        raise Mistake("two calls on the same labels give different splits: fix the random "
                      "seed, so that every chapter holds back the same images")
    _check_split(split, y, 0.25)
    for bad in (0, 1, 1.5, -0.1):
        try:
            split(y, bad)
        except ValueError:
            continue
        except Exception as exc:  # noqa: BLE001  (whatever the learner's code raises)
            raise Mistake(f"fraction={bad} raises {type(exc).__name__}, expected a "
                          "ValueError that names the fraction") from exc
        raise Mistake(f"fraction={bad} is accepted: refuse a fraction outside (0, 1) with a "
                      "ValueError that names it")
    return (f"splits {len(y):,} labels of {len(CLASS_SIZES)} classes stratified, disjoint, "
            "complete, sorted and alike on every call, and refuses fractions outside (0, 1)")
