"""The circuit exported to Qiskit and transpiled for a fake device computes the PennyLane
circuit's ⟨Z⟩; the device's noise shrinks and shifts it; bad input gets a clear error."""

import numpy as np
import pytest

from qnn_helpers.engine import circuits

pytest.importorskip("qiskit_aer", reason="the hardware extra is not installed")
from qiskit.quantum_info import SparsePauliOp, Statevector  # noqa: E402

from qnn_helpers.engine import device  # noqa: E402


@pytest.fixture(scope="module")
def inputs():
    rng = np.random.default_rng(0)
    return rng.uniform(0.05, 1, (3, 16)), rng.uniform(0, 2 * np.pi, (4, 4, 3))


@pytest.fixture(scope="module")
def backend():
    return device.fake_backend("FakeFez")


def exact(features, weights):
    qnode = circuits.make_qnode(4, 2, interface="numpy", diff_method=None)
    return np.stack(qnode(features, weights), -1)


def test_exported_circuit_equals_the_pennylane_circuit(inputs):
    features, weights = inputs
    qc, values = device.to_qiskit(features, weights)
    bound = [qc.remove_final_measurements(inplace=False).assign_parameters(v) for v in values]
    z = [[Statevector(b).expectation_value(SparsePauliOp.from_sparse_list([("Z", [w], 1)], 4))
          .real for w in range(4)] for b in bound]
    np.testing.assert_allclose(z, exact(features, weights), atol=1e-10)


def test_transpiled_circuit_keeps_the_results_and_uses_native_gates(inputs, backend):
    features, weights = inputs
    qc, values = device.to_qiskit(features, weights)
    for idle_errors in (False, True):
        run = device.transpile_for(backend, qc, idle_errors=idle_errors)
        assert len(run.qubits) == run.circuit.num_qubits >= 4
        gates = set(run.circuit.count_ops()) - {"barrier", "save_expval", "quantum_channel"}
        assert gates <= set(backend.operation_names), gates
        # without noise (idle channels dropped too) the exact <Z> of the PennyLane circuit
        np.testing.assert_allclose(run.expvals(values, noise=False), exact(features, weights),
                                   atol=1e-8)
    assert 0 < run.error_free < 1 and run.duration > 0 and run.two_qubit_gates > 0
    assert np.all(run.readout[1] < 1) and np.all(np.abs(run.readout[0]) < 0.1)


def test_device_noise_loses_signal_and_idling_costs_more(inputs, backend):
    features, weights = inputs
    qc, values = device.to_qiskit(features, weights)
    z = exact(features, weights)
    busy = device.transpile_for(backend, qc, idle_errors=False).expvals(values)
    idle = device.transpile_for(backend, qc).expvals(values)
    assert np.abs(busy - z).mean() > 0.002
    assert np.abs(idle).mean() < np.abs(busy).mean() < np.abs(z).mean()


def test_bad_input_gets_a_clear_error(inputs):
    features, weights = inputs
    with pytest.raises(ValueError, match="choose one of"):
        device.fake_backend("FakeNowhere")
    with pytest.raises(ValueError, match="unsigned amplitude features"):
        device.to_qiskit(-features, weights)
