"""Chapter 03's judge: the one-qubit re-uploading circuit written in other valid ways passes;
the typical mistakes fail with their own message."""

import warnings

import numpy as np
import pennylane as qml
import pytest

from qnn_helpers import checks, lessons
from qnn_helpers.judges import data_reuploading as judges


def with_angles(weights, x):
    """Rot(φ, θ, ω) written as its three rotations, and π from pennylane's numpy."""
    for phi, theta, omega in weights:
        qml.RY(qml.numpy.pi * x, wires=0)
        qml.RZ(phi, wires=0)
        qml.RY(theta, wires=0)
        qml.RZ(omega, wires=0)
    return qml.expval(qml.PauliZ(0))


@pytest.mark.parametrize("circuit", [lessons.one_qubit_circuit, with_angles])
def test_the_circuit_written_another_way_passes(circuit):
    assert "RY(π x) then Rot" in judges.one_qubit_circuit(circuit)


def circuit(weights, x, swapped=False, angle=np.pi, measure=None):
    for w in weights:
        if swapped:
            qml.Rot(*w, wires=0)
        qml.RY(angle * x, wires=0)
        if not swapped:
            qml.Rot(*w, wires=0)
    return measure() if measure else qml.expval(qml.PauliZ(0))


def copies_the_weights(weights, x):
    for w in weights:
        qml.RY(np.pi * x, wires=0)
        qml.Rot(*np.asarray(w, dtype=float), wires=0)  # a plain copy: no gradient
    return qml.expval(qml.PauliZ(0))


@pytest.mark.parametrize(("options", "message"), [
    ({"swapped": True}, "rotation comes before the upload"),
    ({"angle": 1.0}, "RY\\(x\\), without π"),
    ({"measure": qml.state}, "returns the state"),
    ({"measure": lambda: qml.probs(wires=0)}, "returns the probabilities"),
])
def test_a_typical_mistake_fails_with_its_message(options, message):
    with pytest.raises(checks.Mistake, match=message):
        judges.one_qubit_circuit(lambda weights, x: circuit(weights, x, **options))


def test_weights_that_lose_their_gradient_are_named():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # autograd warns that nothing is trainable
        with pytest.raises(checks.Mistake, match="no gradient"):
            judges.one_qubit_circuit(copies_the_weights)
