"""The circuit exported to Qiskit and transpiled for a fake device computes the PennyLane
circuit's ⟨Z⟩, to double precision, whatever the trained angles; the device's noise shrinks
and shifts it, the same every run; bad input gets a clear error.

Tolerance of "exact": Aer's density matrix is double precision; each of the hundreds to
thousands of gates of these circuits rounds it by ~1e-16, so ⟨Z⟩ is off by ~1e-13 at most
(measured up to 1.5e-13 on chapter 06's 6-qubit circuit), and Qiskit's one-qubit synthesis
drops angles below 1e-12 rad.  1e-10 leaves a margin of 100 and is far below what a rounded
gate costs (7.5e-7 and 1.3e-5 for the near-identity weights below).
"""

import numpy as np
import pytest

from qnn_helpers.engine import circuits

pytest.importorskip("qiskit_aer", reason="the hardware extra is not installed")
from qiskit.quantum_info import SparsePauliOp, Statevector  # noqa: E402
from qiskit.transpiler import generate_preset_pass_manager  # noqa: E402

from qnn_helpers.engine import device  # noqa: E402


@pytest.fixture(scope="module")
def inputs():
    rng = np.random.default_rng(0)
    return rng.uniform(0.05, 1, (3, 16)), rng.uniform(0, 2 * np.pi, (4, 4, 3))


@pytest.fixture(scope="module")
def backend():
    return device.fake_backend("FakeFez")


EXACT = {"rtol": 0, "atol": 1e-10}  # double precision (see above)


def exact(features, weights):
    qnode = circuits.make_qnode(4, 2, interface="numpy", diff_method=None)
    return np.stack(qnode(features, weights), -1)


def preset_pass_manager(backend, seed=0, scheduling_method=None):
    """What ``transpile(optimization_level=3)`` runs, rounding included."""
    return generate_preset_pass_manager(3, backend=backend, seed_transpiler=seed,
                                        scheduling_method=scheduling_method)


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
                                   **EXACT)
    assert 0 < run.error_free < 1 and run.duration > 0 and run.two_qubit_gates > 0
    assert np.all(run.readout[1] < 1) and np.all(np.abs(run.readout[0]) < 0.1)


# A trained angle near the identity, which Qiskit's preset pass manager rounds away even at
# approximation_degree=1.0: a rotation by 1e-6 rad (the RY of a Rot), dropped by
# RemoveIdentityEquivalent (average gate infidelity below 1e-12), and one by 2π + 3e-5 rad
# (the first RZ of a Rot), dropped by CommutativeCancellation (within 1e-5 × 2π of 2π).
NEAR_IDENTITY = {"1e-6 rad": ((3, 3, 1), 1e-6), "2π + 3e-5 rad": ((2, 0, 0), 2 * np.pi + 3e-5)}


@pytest.mark.parametrize("angle", NEAR_IDENTITY)
def test_a_trained_angle_near_the_identity_is_not_rounded_away(inputs, backend, angle,
                                                                monkeypatch):
    features, weights = inputs
    index, value = NEAR_IDENTITY[angle]
    weights = weights.copy()
    weights[index] = value
    qc, values = device.to_qiskit(features, weights)
    z = exact(features, weights)
    np.testing.assert_allclose(device.transpile_for(backend, qc).expvals(values, noise=False),
                               z, **EXACT)
    # Qiskit's preset rounds that gate away: these weights do test the rounding
    monkeypatch.setattr(device, "exact_pass_manager", preset_pass_manager)
    rounded = device.transpile_for(backend, qc).expvals(values, noise=False)
    assert np.abs(rounded - z).max() > 1e-7


def test_where_nothing_is_rounded_the_compiled_circuit_is_the_presets(inputs, backend):
    # so the gate counts, depth and duration of the chapters are the preset's
    features, weights = inputs
    qc, _ = device.to_qiskit(features, weights)
    assert (device.exact_pass_manager(backend, 0, "alap").run(qc)
            == preset_pass_manager(backend, 0, "alap").run(qc))


def test_noisy_expvals_are_the_same_bits_every_run(inputs, backend):
    # Aer's density matrix has no randomness, and on these few qubits its sums do not depend
    # on the number of threads (measured on chapter 06's circuit: 1 or 2 threads, with or
    # without a busy core, the same bits; at 8 qubits 1 and 2 threads differ by ~2e-16)
    features, weights = inputs
    qc, values = device.to_qiskit(features, weights)
    run = device.transpile_for(backend, qc)
    assert np.array_equal(run.expvals(values), run.expvals(values))
    assert np.array_equal(run.expvals(values[:1]), run.expvals(values)[:1])


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
