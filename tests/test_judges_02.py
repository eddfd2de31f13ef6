"""Chapter 02's judges: the post's normalisation and circuit, written in other valid ways,
pass; the typical mistakes fail with their own message."""

import numpy as np
import pennylane as qml
import pytest

from qnn_helpers import checks, lessons
from qnn_helpers.judges import circuit_design as judges

post_normalize = lessons.post_normalize  # what the circuits below upload


def normalize_numpy(x):
    return x / np.sqrt(np.maximum(np.sum(np.square(x)), 0.001))


def normalize_in_two_steps(x):
    squared = qml.math.sum(x * x)
    return x / qml.math.sqrt(qml.math.maximum(squared, 0.001))


@pytest.mark.parametrize("normalize", [lessons.post_normalize, normalize_numpy,
                                       normalize_in_two_steps])
def test_the_post_normalisation_written_any_way_passes(normalize):
    assert "sqrt(max(Σx², 0.001))" in judges.post_normalize(normalize)


@pytest.mark.parametrize(("normalize", "message"), [
    (lambda x: x, "unchanged"),
    (lambda x: x / np.sum(x**2), "squared length Σx²: take its square root"),
    (lambda x: x / np.linalg.norm(x), "floors the squared length at 0.001"),
    (lambda x: x / max(np.linalg.norm(x), 0.001), "applied to the length"),
    (lambda x: x / np.sum(x), "sum of the features"),
])
def test_a_typical_normalisation_mistake_fails_with_its_message(normalize, message):
    with pytest.raises(checks.Mistake, match=message):
        judges.post_normalize(normalize)


def circuit_in_blocks(x, weights):
    """Another valid form: one block of two layers after each upload."""
    for start in range(0, 8, 2):
        qml.MottonenStatePreparation(post_normalize(x), wires=[0, 1, 2, 3, 4, 5])
        for layer in (start, start + 1):
            qml.StronglyEntanglingLayers(weights[layer:layer + 1], wires=range(6))
    return [qml.expval(qml.PauliZ(w)) for w in range(6)]


@pytest.mark.parametrize("circuit", [lessons.post_circuit, circuit_in_blocks])
def test_the_post_circuit_written_another_way_passes(circuit):
    assert "template's six ⟨Z⟩" in judges.post_circuit(circuit)


def circuit(x, weights, uploads=(0, 2, 4, 6), wires=range(6), n_layers=8, encode=True,
            one_layer=True):
    for i in range(n_layers):
        if i in uploads:
            qml.MottonenStatePreparation(post_normalize(x) if encode else x, wires=wires)
        qml.StronglyEntanglingLayers(weights[i:i + 1] if one_layer else weights[i],
                                     wires=range(6))
    return [qml.expval(qml.PauliZ(w)) for w in range(6)]


@pytest.mark.parametrize(("options", "message"), [
    ({"wires": range(5, -1, -1)}, "uploads run on the wires reversed"),
    ({"uploads": range(8)}, "uploaded before every layer"),
    ({"encode": False}, "does not have length 1.*post_normalize"),
    ({"n_layers": 7}, "7 entangling layers instead of 8"),
    ({"one_layer": False}, r"weights\[i:i \+ 1\]"),
])
def test_a_typical_circuit_mistake_fails_with_its_message(options, message):
    def wrong(x, weights):
        return circuit(x, weights, **options)

    with pytest.raises(checks.Mistake, match=message):
        judges.post_circuit(wrong)


def returns_the_state(x, weights):
    qml.MottonenStatePreparation(post_normalize(x), wires=range(6))
    qml.StronglyEntanglingLayers(weights[:1], wires=range(6))
    return qml.state()


def reversed_outputs(x, weights):
    """The whole circuit on wires 5 … 0 (its ⟨Z⟩ come in reverse order)."""
    for i in range(8):
        if i % 2 == 0:
            qml.MottonenStatePreparation(post_normalize(x), wires=range(5, -1, -1))
        qml.StronglyEntanglingLayers(weights[i:i + 1], wires=range(5, -1, -1))
    return [qml.expval(qml.PauliZ(w)) for w in range(6)]


def test_the_outputs_of_the_wires_in_reverse_order_are_named():
    with pytest.raises(checks.Mistake, match="the wires are reversed"):
        judges.post_circuit(reversed_outputs)


def test_a_circuit_returning_the_state_is_told_to_return_six_expectation_values():
    with pytest.raises(checks.Mistake, match="return a list of 6 expectation values"):
        judges.post_circuit(returns_the_state)
