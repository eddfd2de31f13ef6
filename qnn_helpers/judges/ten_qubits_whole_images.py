"""Judges of chapter 07's pieces (notebooks/07_ten_qubits_whole_images.ipynb):
``whole_image_features``, ``image_state`` and ``image_from_state``.

Each runs the learner's piece and returns what it showed, or raises
:class:`~qnn_helpers.checks.Mistake` naming a typical mistake and what to change.
"""

from collections.abc import Callable

import numpy as np

from qnn_helpers.checks import Mistake

#: three raw images (0..255) whose pixels all differ: any mix-up of rows, columns or
#: border shows
_IMAGES = np.random.default_rng(0).integers(0, 256, (3, 28, 28), dtype=np.uint8)
_OFFSET = 1e-3


def _padded(pixels: np.ndarray, width: int = 2) -> np.ndarray:
    return np.pad(pixels, ((0, 0), (width, width), (width, width)))


def whole_image_features(candidate: Callable) -> str:
    """Raw images → pixels / 255 (or their square root), a border of 2 zeros to 32 × 32,
    row by row, plus 10⁻³: against a recomputation, typical mistakes recomputed."""
    scaled = _IMAGES.astype(np.float64) / 255
    for scaling, pixels in (("linear", scaled), ("sqrt", np.sqrt(scaled))):
        got = np.asarray(candidate(_IMAGES, scaling) if scaling != "linear"
                         else candidate(_IMAGES), dtype=np.float64)
        n = len(_IMAGES)
        if got.shape != (n, 1024):
            side = {(n, 784): "without the border: pad each 28 × 28 image with 2 zero "
                    "pixels on every side (np.pad), to 32 × 32",
                    (n, 32, 32): "not flattened: reshape each padded image to 1,024 "
                    "values, row by row"}
            hint = side.get(got.shape, "one row of 1,024 = 32 × 32 values per image")
            raise Mistake(f"gives shape {got.shape} for {n} images, expected ({n}, 1024): "
                          f"{hint}")
        want = _padded(pixels).reshape(n, 1024) + _OFFSET
        if np.allclose(got, want, rtol=0, atol=1e-6):
            continue
        mistakes = [
            (_padded(pixels).reshape(n, 1024), "has no offset: add 10⁻³ (PIXEL_OFFSET) to "
             "every value, the border included"),
            (_padded(pixels + _OFFSET).reshape(n, 1024), "adds the offset before padding: "
             "the border stays 0, add PIXEL_OFFSET after np.pad"),
            (_padded(pixels).transpose(0, 2, 1).reshape(n, 1024) + _OFFSET, "flattens "
             "column by column: basis state 32 r + c holds row r, column c (row-major, "
             "NumPy's default reshape)"),
            (np.pad(pixels, ((0, 0), (0, 4), (0, 4))).reshape(n, 1024) + _OFFSET, "pads "
             "on one side only: a border of 2 pixels on every side, "
             "((0, 0), (2, 2), (2, 2))"),
            (np.pad(pixels, ((0, 0), (4, 0), (4, 0))).reshape(n, 1024) + _OFFSET, "pads "
             "on one side only: a border of 2 pixels on every side, "
             "((0, 0), (2, 2), (2, 2))"),
            (_padded(pixels * 255).reshape(n, 1024) + _OFFSET, "does not scale the "
             "pixels: divide them by 255, to [0, 1]"),
            (_padded(np.sqrt(pixels * 255)).reshape(n, 1024) + _OFFSET, "takes the "
             "square root of raw pixels: scale them to [0, 1] first"),
            (_padded(scaled).reshape(n, 1024) + _OFFSET, "ignores scaling='sqrt': take "
             "the square root of the scaled pixels"),
            (np.sqrt(_padded(scaled).reshape(n, 1024) + _OFFSET), "takes the square "
             "root after adding the offset: the offset is added last, to either scaling"),
        ]
        for wrong, message in mistakes:
            if np.allclose(got, wrong, rtol=0, atol=1e-6):
                raise Mistake(f"({scaling!r}) {message}")
        raise Mistake(f"({scaling!r}) differs from pixels / 255 padded to 32 × 32 plus "
                      f"10⁻³ by up to {np.abs(got - want).max():.2g}")
    return ("pads 28 × 28 to 32 × 32, row by row, plus 10⁻³, for linear and square-root "
            "pixels")


#: one image's features (positive, all different, with the offset): a state to prepare
_FEATURES = _padded(_IMAGES[:1] / 255).reshape(1024) + _OFFSET


def _reversed_wires(state: np.ndarray) -> np.ndarray:
    """The state with its 10 qubits in reverse order (bit-reversed basis states)."""
    return state.reshape((2,) * 10).transpose(range(9, -1, -1)).reshape(1024)


def image_state(candidate: Callable) -> str:
    """The 10-qubit state of one image's features: the features divided by their length
    (to 1e-10, up to a global phase), typical mistakes recomputed."""
    got = np.asarray(candidate(_FEATURES))
    if got.shape != (1024,):
        raise Mistake(f"gives shape {got.shape}: a state of 10 qubits is 1,024 amplitudes, "
                      "one vector (qml.state())")
    want = _FEATURES / np.linalg.norm(_FEATURES)
    phase = np.vdot(want, got)  # a global phase is no difference
    phase = phase / abs(phase) if abs(phase) > 0 else 1
    aligned = got / phase
    if np.allclose(aligned, want, rtol=0, atol=1e-10):
        return "gives the normalised state of 1,024 amplitudes (to 1e-10)"
    mistakes = [
        (_FEATURES, "is not normalised: divide the features by their length, "
         "√(Σ x²) (circuits.normalize)"),
        (_FEATURES / _FEATURES.sum(), "divides by the sum of the features: normalise by "
         "their length, √(Σ x²)"),
        (want**2, "gives probabilities |amplitude|², not the amplitudes"),
        (_reversed_wires(want), "has the qubits in reverse order: the first wire is the "
         "most significant bit (the row's first bit), wires=range(10)"),
    ]
    for wrong, message in mistakes:
        if np.allclose(np.abs(got), wrong, rtol=0, atol=1e-8):
            raise Mistake(message)
    float32 = _FEATURES.astype(np.float32) / np.linalg.norm(_FEATURES.astype(np.float32))
    error = np.abs(aligned - want).max()
    if np.allclose(aligned, float32, rtol=0, atol=1e-6) or error < 1e-5:
        raise Mistake(f"differs from the state by up to {error:.1g}, float32's rounding: "
                      "compute in float64 (np.asarray(features, dtype=np.float64))")
    raise Mistake(f"differs from the features divided by their length by up to {error:.2g}")


#: a state with complex amplitudes of every sign, and distinct magnitudes
_STATE = np.array([1, 1j]) @ np.random.default_rng(1).normal(size=(2, 1024))
_STATE = _STATE / np.linalg.norm(_STATE)


def image_from_state(candidate: Callable) -> str:
    """A state's 1,024 amplitudes → their magnitudes as 32 × 32, the border of 2 cut:
    against a recomputation, typical mistakes recomputed."""
    got = np.asarray(candidate(_STATE))
    grid = np.abs(_STATE).reshape(32, 32)
    if got.shape != (28, 28):
        hint = ("the border is not cut: keep rows and columns 2 to 29, [2:30, 2:30]"
                if got.shape in {(32, 32), (1024,)} else "28 rows of 28 pixels")
        raise Mistake(f"gives shape {got.shape}, expected (28, 28): {hint}")
    want = grid[2:30, 2:30]
    if np.iscomplexobj(got) and not np.allclose(got.imag, 0):
        raise Mistake("gives complex amplitudes: an image's pixels are their magnitudes "
                      "(np.abs)")
    got = got.real.astype(np.float64)
    if np.allclose(got, want, rtol=0, atol=1e-12):
        return "gives the 28 × 28 magnitudes, border cut"
    mistakes = [
        (_STATE.real.reshape(32, 32)[2:30, 2:30], "gives the signed amplitudes: the "
         "pixels are their magnitudes (np.abs)"),
        (grid[2:30, 2:30] ** 2, "gives probabilities |amplitude|²: the pixels are the "
         "magnitudes"),
        (grid.T[2:30, 2:30], "reads column by column: basis state 32 r + c is row r, "
         "column c (row-major)"),
        (grid[:28, :28], "cuts the border on one side only: rows and columns 2 to 29"),
        (grid[4:, 4:], "cuts the border on one side only: rows and columns 2 to 29"),
        (grid[1:29, 1:29], "cuts one pixel too few on the top and left: rows and "
         "columns 2 to 29, [2:30, 2:30]"),
    ]
    for wrong, message in mistakes:
        if np.allclose(got, wrong, rtol=0, atol=1e-12):
            raise Mistake(message)
    raise Mistake(f"differs from the magnitudes, 32 × 32 with the border cut, by up to "
                  f"{np.abs(got - want).max():.2g}")
