"""Exported classifier equals the Keras model; shots and noise behave as physics says."""

import numpy as np
import pennylane as qml
import pytest

from qnn_helpers import circuits, hardware
from qnn_helpers.models import build_hybrid_model
from qnn_helpers.training import set_seed


@pytest.fixture(scope="module")
def small_model():
    set_seed(3)
    return build_hybrid_model(3, n_qubits=3, n_layers=2, upload_every=1)


@pytest.fixture(scope="module")
def features():
    return np.random.default_rng(0).uniform(0.1, 1, (6, 8))


def test_export_reproduces_keras_predictions(small_model, features):
    exported = hardware.export_classifier(small_model)
    probs = exported.probabilities(features, qml.device("default.qubit", wires=3))
    np.testing.assert_allclose(probs, small_model.predict(features, verbose=0), atol=1e-6)
    np.testing.assert_allclose(probs.sum(axis=1), 1)


def test_shots_estimate_converges(small_model, features):
    exported = hardware.export_classifier(small_model)
    exact = exported.probabilities(features, qml.device("default.qubit", wires=3))
    errors = [np.abs(exported.probabilities(features, qml.device("default.qubit", wires=3, seed=0),
                                            shots=n) - exact).max() for n in (20, 20000)]
    assert errors[1] < errors[0]
    assert errors[1] < 0.05


def test_noise_free_mixed_device_is_exact_and_noise_shrinks_expectations(small_model, features):
    exported = hardware.export_classifier(small_model)
    dev = qml.device("default.qubit", wires=3)
    z_exact = np.stack(exported.qnode(dev)(features, exported.circuit_weights), -1)
    z_mixed = np.stack(exported.qnode(hardware.noisy_device(3, 0.0))(
        features, exported.circuit_weights), -1)
    z_noisy = np.stack(exported.qnode(hardware.noisy_device(3, 0.05))(
        features, exported.circuit_weights), -1)
    z_cnot = np.stack(exported.qnode(hardware.noisy_device(3, 0.05, gates={"CNOT"}))(
        features, exported.circuit_weights), -1)
    np.testing.assert_allclose(z_mixed, z_exact, atol=1e-10)
    # depolarizing pulls <Z> towards 0, more when every gate is noisy
    assert np.abs(z_noisy).sum() < np.abs(z_cnot).sum() < np.abs(z_exact).sum()


def test_export_rejects_models_without_quantum_layer():
    set_seed(0)
    model = build_hybrid_model(2, n_qubits=2, n_layers=1, readout="probs")
    with pytest.raises(ValueError, match="'z' readout"):
        hardware.export_classifier(model)


def test_parameter_shift_count():
    n_params = int(np.prod(circuits.weight_shape(8, 6)))
    assert n_params == 144
    assert hardware.parameter_shift_executions(24000, n_params) == 24000 * 289
