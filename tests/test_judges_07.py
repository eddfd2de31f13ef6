"""Chapter 07's judges: valid alternatives pass, typical mistakes fail with their message."""

import numpy as np
import pytest

from qnn_helpers import checks, lessons
from qnn_helpers.judges import ten_qubits_whole_images as judge

# --- whole_image_features -------------------------------------------------------------


def features_by_hand(images, scaling="linear"):
    """A valid alternative: a zero canvas of 32 × 32, the image pasted in its middle,
    in float64."""
    x = np.asarray(images, dtype=np.float64).reshape(-1, 28, 28) / 255
    if scaling == "sqrt":
        x = np.sqrt(x)
    canvas = np.zeros((len(x), 32, 32))
    canvas[:, 2:30, 2:30] = x
    return canvas.reshape(len(x), -1) + 1e-3


def make_features(*, pad=((0, 0), (2, 2), (2, 2)), order="C", offset=1e-3, scale=255.0,
                  sqrt_first=True):
    """``whole_image_features`` with one of its steps changed."""

    def whole_image_features(images, scaling="linear"):
        x = np.asarray(images, dtype=np.float64).reshape(-1, 28, 28) / scale
        if scaling == "sqrt" and sqrt_first:
            x = np.sqrt(x)
        x = np.pad(x, pad)
        out = x.reshape(len(x), -1, order=order) + offset
        return np.sqrt(out) if scaling == "sqrt" and not sqrt_first else out

    return whole_image_features


@pytest.mark.parametrize("valid", [lessons.whole_image_features, features_by_hand,
                                   make_features()])
def test_whole_image_features_accepts_any_faithful_construction(valid):
    assert "32 × 32" in judge.whole_image_features(valid)


def column_major(images, scaling="linear"):
    x = make_features()(images, scaling).reshape(-1, 32, 32)
    return x.transpose(0, 2, 1).reshape(len(x), 1024)


@pytest.mark.parametrize("wrong, message", [
    (make_features(pad=((0, 0), (0, 0), (0, 0))), "without the border"),
    (make_features(pad=((0, 0), (0, 4), (0, 4))), "one side only"),
    (column_major, "column by column"),
    (make_features(offset=0.0), "no offset"),
    (make_features(scale=1.0), "does not scale the pixels"),
    (make_features(sqrt_first=False), "square root after adding the offset"),
])
def test_whole_image_features_names_the_mistake(wrong, message):
    with pytest.raises(checks.Mistake, match=message):
        judge.whole_image_features(wrong)


# --- image_state ----------------------------------------------------------------------


def normalised(features):
    """A valid alternative: positive amplitudes need no circuit to write down."""
    x = np.asarray(features, dtype=np.float64)
    return x / np.linalg.norm(x)


def test_image_state_accepts_the_circuit_and_the_formula():
    assert "normalised" in judge.image_state(lessons.image_state)
    assert "normalised" in judge.image_state(normalised)
    assert "normalised" in judge.image_state(lambda f: -1j * normalised(f))  # a global phase


def reversed_wires(features):
    state = normalised(features).reshape((2,) * 10)
    return state.transpose(range(9, -1, -1)).reshape(1024)


def in_float32(features):
    x = np.asarray(features, dtype=np.float32)
    return x / np.linalg.norm(x)


@pytest.mark.parametrize("wrong, message", [
    (lambda f: np.asarray(f, dtype=np.float64), "not normalised"),
    (lambda f: np.asarray(f) / np.sum(f), "sum"),
    (in_float32, "float32"),
    (reversed_wires, "reverse order"),
    (lambda f: normalised(f).reshape(32, 32), "shape"),
])
def test_image_state_names_the_mistake(wrong, message):
    with pytest.raises(checks.Mistake, match=message):
        judge.image_state(wrong)


# --- image_from_state -----------------------------------------------------------------


def by_index(state):
    """A valid alternative: pixel (r, c) of the image is amplitude 32 (r + 2) + c + 2."""
    state = np.asarray(state)
    return np.array([[abs(state[32 * (r + 2) + c + 2]) for c in range(28)]
                     for r in range(28)])


@pytest.mark.parametrize("valid", [lessons.image_from_state, by_index])
def test_image_from_state_accepts_any_faithful_read_out(valid):
    assert "border cut" in judge.image_from_state(valid)


@pytest.mark.parametrize("wrong, message", [
    (lambda s: np.abs(np.asarray(s)).reshape(32, 32), "border is not cut"),
    (lambda s: np.asarray(s).real.reshape(32, 32)[2:30, 2:30], "signed amplitudes"),
    (lambda s: np.asarray(s).reshape(32, 32)[2:30, 2:30], "magnitudes"),
    (lambda s: (np.abs(np.asarray(s)) ** 2).reshape(32, 32)[2:30, 2:30], "probabilities"),
    (lambda s: np.abs(np.asarray(s)).reshape(32, 32).T[2:30, 2:30], "column by column"),
])
def test_image_from_state_names_the_mistake(wrong, message):
    with pytest.raises(checks.Mistake, match=message):
        judge.image_from_state(wrong)
