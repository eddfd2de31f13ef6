"""Judges of chapter 05's piece (notebooks/05_ten_label_gallery.ipynb): ``per_class_accuracy``.

The judge gives the candidate confusion matrices whose classes have different sizes and
whose mistakes are lopsided, so that the accuracy of a class (its diagonal entry over its
row), the precision (over its column) and the share of all images (over the total) all
differ; as counts of any integer or float type, and normalised (each row, or the whole
matrix, summing to one), which must give the same accuracies.
"""

from collections.abc import Callable

import numpy as np

from qnn_helpers.checks import Mistake

#: accuracies agree to this (a float32 computation passes)
ATOL = 1e-6


def _confusions() -> list[np.ndarray]:
    """Confusion matrices (rows: true classes, columns: predictions) of 4 and 10 classes,
    classes of different sizes, mistakes not symmetric."""
    rng = np.random.default_rng(5)
    found = []
    for n in (4, 10):
        sizes = rng.integers(40, 400, size=n)
        hits = np.round(sizes * rng.uniform(0.3, 0.95, size=n)).astype(int)
        cm = np.zeros((n, n), dtype=np.int64)
        for c in range(n):
            wrong = np.bincount(rng.integers(0, n - 1, size=sizes[c] - hits[c]), minlength=n - 1)
            cm[c] = np.insert(wrong, c, hits[c])  # the mistakes land on the other classes
        found.append(cm)
    return found


def _variants(cm: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """The same matrix as the candidate may meet it: counts of several types, normalised."""
    return [("counts (int64)", cm), ("counts (int32)", cm.astype(np.int32)),
            ("counts (float32)", cm.astype(np.float32)),
            ("a matrix normalised by its rows", cm / cm.sum(axis=1, keepdims=True)),
            ("a matrix normalised by its total", cm / cm.sum())]


def _as_accuracies(result: object, n: int, given: str) -> np.ndarray:
    """``result`` as a float array of ``n`` accuracies, or the mistake about its form."""
    try:
        values = np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise Mistake(f"for {given} it returns {type(result).__name__}, not numbers: return "
                      "an array of one accuracy per class") from exc
    if values.ndim == 0:
        raise Mistake(f"for {given} it returns one number ({float(values):.3g}): return one "
                      f"accuracy per class, an array of {n}")
    if values.shape != (n,):
        if values.shape == (n - 1,):
            raise Mistake(f"for {given} of {n} classes it returns {n - 1} values: off by one, "
                          f"a class is missing (the classes are 0 … {n - 1})")
        raise Mistake(f"for {given} of {n} classes it returns shape {values.shape}: expected "
                      f"({n},), one accuracy per class")
    return values


def _diagnose(got: np.ndarray, cm: np.ndarray, given: str) -> Mistake:
    """Name what the wrong accuracies ``got`` equal, recomputing the typical mistakes."""
    counts = cm.astype(np.float64)
    diag, rows, cols = np.diag(counts), counts.sum(axis=1), counts.sum(axis=0)
    want = diag / rows

    def same(candidate):
        return np.allclose(got, candidate, atol=ATOL)

    if same(100 * want):
        return Mistake("it returns percentages: return fractions between 0 and 1")
    if same(diag / cols):
        return Mistake("rows and columns are swapped: it divides the diagonal by the column "
                       "sums, the share right among the images *predicted* as a class (its "
                       "precision); a class's accuracy divides by its row, the images that "
                       "*are* of that class (rows are true classes)")
    if same(diag / counts.sum()):
        return Mistake("it divides by the total number of images: divide each class's "
                       "correct predictions by that class's number of images, its row sum")
    if same(diag):
        return Mistake(f"for {given} it returns the diagonal itself: divide each entry by "
                       "the number of images of its class (its row sum)")
    if same(np.floor(want)):
        return Mistake("every accuracy comes out 0 (or 1): integer division (//) rounds "
                       "down; divide with /")
    for shift in (1, -1):
        if same(np.roll(want, shift)):
            return Mistake("off by one: each class's accuracy sits at the position of the "
                           "next class; entry i of the result belongs to class i, entry "
                           "[i, i] of the matrix")
    worst = int(np.argmax(np.abs(got - want)))
    return Mistake(f"for {given} class {worst}'s accuracy comes out {got[worst]:.4f}, "
                   f"expected {want[worst]:.4f}: its diagonal entry over its row sum "
                   "(rows are true classes)")


def per_class_accuracy(candidate: Callable[[np.ndarray], np.ndarray]) -> str:
    """Judge a function: confusion matrix (rows true, columns predicted) → accuracy of
    every class (the share of its images predicted right)."""
    for cm in _confusions():
        want = np.diag(cm) / cm.sum(axis=1)
        for given, matrix in _variants(cm):
            before = matrix.copy()
            got = _as_accuracies(candidate(matrix), len(cm), given)
            if not np.array_equal(matrix, before):
                raise Mistake("it changes the confusion matrix it is given: later cells "
                              "still need it; compute on a copy (or without assigning into "
                              "it)")
            if not np.allclose(got, want, atol=ATOL):
                raise _diagnose(got, cm, given)
    return ("gives each class's share of right predictions, from counts of any type and "
            "from normalised matrices, for 4 and 10 classes")
