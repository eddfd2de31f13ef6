"""Exported classifier equals the Keras model; shots and noise behave as physics says;
the batched Pauli-basis noise simulation equals ``default.mixed``."""

import numpy as np
import pennylane as qml
import pytest

from qnn_helpers import lessons
from qnn_helpers.engine import circuits, noise
from qnn_helpers.engine.models import build_hybrid_model
from qnn_helpers.training import set_seed


@pytest.fixture(scope="module")
def small_model():
    set_seed(3)
    return build_hybrid_model(3, n_qubits=3, n_layers=2, upload_every=1)


@pytest.fixture(scope="module")
def features():
    return np.random.default_rng(0).uniform(0.1, 1, (6, 8))


def test_export_reproduces_keras_predictions(small_model, features):
    exported = lessons.export_classifier(small_model)
    probs = exported.probabilities(features, qml.device("default.qubit", wires=3))
    np.testing.assert_allclose(probs, small_model.predict(features, verbose=0), atol=1e-6)
    np.testing.assert_allclose(probs.sum(axis=1), 1)


def test_shots_estimate_converges(small_model, features):
    exported = lessons.export_classifier(small_model)
    exact = exported.probabilities(features, qml.device("default.qubit", wires=3))
    errors = [np.abs(exported.probabilities(features, qml.device("default.qubit", wires=3, seed=0),
                                            shots=n) - exact).max() for n in (20, 20000)]
    assert errors[1] < errors[0]
    assert errors[1] < 0.05


def test_noise_free_mixed_device_is_exact_and_noise_shrinks_expectations(small_model, features):
    exported = lessons.export_classifier(small_model)
    dev = qml.device("default.qubit", wires=3)
    z_exact = np.stack(exported.qnode(dev)(features, exported.circuit_weights), -1)
    z_mixed = np.stack(exported.qnode(lessons.noisy_device(3, 0.0))(
        features, exported.circuit_weights), -1)
    z_noisy = np.stack(exported.qnode(lessons.noisy_device(3, 0.05))(
        features, exported.circuit_weights), -1)
    z_cnot = np.stack(exported.qnode(lessons.noisy_device(3, 0.0, p2=0.05))(
        features, exported.circuit_weights), -1)
    np.testing.assert_allclose(z_mixed, z_exact, atol=1e-10)
    # depolarizing pulls <Z> towards 0, more when every gate is noisy
    assert np.abs(z_noisy).sum() < np.abs(z_cnot).sum() < np.abs(z_exact).sum()


def test_export_rejects_models_without_quantum_layer():
    set_seed(0)
    model = build_hybrid_model(2, n_qubits=2, n_layers=1, readout="probs")
    with pytest.raises(ValueError, match="'z' readout"):
        lessons.export_classifier(model)


def test_parameter_shift_count():
    n_params = int(np.prod(circuits.weight_shape(8, 6)))
    assert n_params == 144
    assert lessons.parameter_shift_executions(24000, n_params) == 24000 * 289


def test_pauli_transfer_matrices_of_known_gates():
    x = noise.pauli_transfer_matrix(qml.matrix(qml.PauliX(0)))
    np.testing.assert_allclose(x, np.diag([1, 1, -1, -1]), atol=1e-15)
    cnot = noise.pauli_transfer_matrix(qml.matrix(qml.CNOT([0, 1])))
    # a Clifford gate maps Paulis to Paulis: a signed permutation; X on the control spreads
    np.testing.assert_allclose(np.abs(cnot).sum(axis=0), 1, atol=1e-15)
    assert cnot[4 * 1 + 1, 4 * 1 + 0] == 1  # X ⊗ I -> X ⊗ X
    batch = noise.pauli_transfer_matrix(qml.matrix(qml.RY(np.array([0.1, 0.2]), 0)))
    assert batch.shape == (2, 4, 4)
    np.testing.assert_allclose(batch @ batch.transpose(0, 2, 1), np.stack([np.eye(4)] * 2),
                               atol=1e-14)


def mixed_reference(features, weights, upload_every, encoding, p1, p2, readout_error):
    """⟨Z⟩ from ``default.mixed`` with the channels inserted, one image at a time."""
    n_qubits = weights.shape[1]
    qnode = circuits.make_qnode(n_qubits, upload_every, encoding, interface="numpy",
                                diff_method=None,
                                device=lessons.noisy_device(n_qubits, p1, p2, readout_error))
    return np.array([np.stack(qnode(f, weights), -1) for f in features])


def sample_features(n_qubits, encoding, seed=0):
    """Unsigned, signed and (amplitude) partly zero feature vectors."""
    rng = np.random.default_rng(seed)
    size = 2**n_qubits if encoding == "amplitude" else n_qubits
    f = np.concatenate([rng.uniform(0.05, 1, (2, size)), rng.normal(size=(2, size))])
    if encoding == "amplitude" and n_qubits > 1:
        zeros = rng.uniform(0.05, 1, (2, size))
        zeros[0, : size // 2] = 0  # Möttönen then omits rotations (and their noise)
        zeros[1, 1::2] = 0
        f = np.concatenate([f, zeros, -zeros[:1]])
    return f


NOISE = [(0.0, 0.0, 0.0), (0.03, 0.1, 0.0), (0.05, 0.01, 0.07), (0.02, None, 0.0)]


@pytest.mark.parametrize("n_qubits,n_layers,upload_every,encoding", [
    (1, 3, 1, "amplitude"), (2, 3, 1, "amplitude"), (3, 2, 1, "amplitude"),
    (3, 4, 2, "amplitude"), (3, 2, 1, "angle")])
def test_noisy_simulation_equals_default_mixed(n_qubits, n_layers, upload_every, encoding):
    features = sample_features(n_qubits, encoding)
    weights = np.random.default_rng(1).normal(size=(n_layers, n_qubits, 3))
    sim = noise.NoisySimulation(features, weights, upload_every, encoding)
    for p1, p2, q in NOISE:
        expected = mixed_reference(features, weights, upload_every, encoding, p1, p2, q)
        np.testing.assert_allclose(sim.expvals(p1, p2, q, chunk=3), expected, atol=1e-10,
                                   err_msg=f"p1={p1} p2={p2} readout={q}")


def test_noisy_simulation_equals_default_mixed_on_the_post_circuit():
    rng = np.random.default_rng(2)
    features = np.stack([rng.uniform(0.05, 1, 64), rng.normal(size=64)])  # unsigned, signed
    weights = rng.uniform(0, 2 * np.pi, circuits.weight_shape(8, 6))
    sim = noise.NoisySimulation(features, weights, upload_every=2)
    for p1, p2, q in [(0.002, 0.01, 0.0), (0.004, 0.001, 0.03)]:
        expected = mixed_reference(features, weights, 2, "amplitude", p1, p2, q)
        np.testing.assert_allclose(sim.expvals(p1, p2, q), expected, atol=1e-10)
    # the whole batch in one default.mixed run (PennyLane broadcasting) agrees too
    unsigned = rng.uniform(0.05, 1, (2, 64))
    qnode = circuits.make_qnode(6, 2, interface="numpy", diff_method=None,
                                device=lessons.noisy_device(6, 0.003, 0.02, 0.01))
    np.testing.assert_allclose(
        noise.NoisySimulation(unsigned, weights).expvals(0.003, 0.02, 0.01),
        np.stack(qnode(unsigned, weights), -1), atol=1e-10)


def test_noisy_accuracy_without_noise_is_the_exact_accuracy(small_model, features):
    exported = lessons.export_classifier(small_model)
    exact = exported.probabilities(features, qml.device("default.qubit", wires=3))
    labels = exact.argmax(axis=1)
    assert lessons.noisy_accuracy(exported, features, labels, 0.0) == 1.0
    z = exported.noisy_simulation(features).expvals(0.0)
    np.testing.assert_allclose(exported.classify(z), exact, atol=1e-10)
    noisy = exported.noisy_simulation(features).expvals(0.01, readout_error=0.1)
    np.testing.assert_allclose(noisy, 0.8 * exported.noisy_simulation(features).expvals(0.01))


def test_sampled_expvals_have_the_binomial_mean_and_variance():
    z = np.array([-1.0, -0.6, 0.0, 0.3, 0.95, 1.0])
    shots = 50
    samples = lessons.sample_expvals(np.tile(z, (40000, 1)), shots, np.random.default_rng(0))
    # an estimate from 50 shots is a multiple of 2/50 in [-1, 1]
    np.testing.assert_allclose(np.round(samples * shots / 2) * 2 / shots, samples, atol=1e-12)
    np.testing.assert_allclose(samples.mean(axis=0), z, atol=0.003)
    np.testing.assert_allclose(samples.var(axis=0), (1 - z**2) / shots, rtol=0.03, atol=1e-12)
    again = lessons.sample_expvals(z, shots, np.random.default_rng(0))
    np.testing.assert_array_equal(again, lessons.sample_expvals(z, shots,
                                                                 np.random.default_rng(0)))


def test_rescaling_factors_undo_a_known_shrinking():
    rng = np.random.default_rng(0)
    exact = rng.uniform(-1, 1, (100, 3))
    factors = lessons.rescaling_factors(exact * [0.5, 0.1, 1.0], exact)
    np.testing.assert_allclose(factors, [2.0, 10.0, 1.0])
    noisy = exact * 0.2 + rng.normal(0, 0.01, exact.shape)
    a = lessons.rescaling_factors(noisy, exact)
    # the least-squares factor: no other factor fits better
    loss = ((a * noisy - exact) ** 2).sum(axis=0)
    for other in (a * 0.99, a * 1.01):
        assert np.all(loss < ((other * noisy - exact) ** 2).sum(axis=0))


def relaxation_reference(features, weights, upload_every, p1, p2, q, gamma):
    """``default.mixed`` image by image, the noise written out again: after each elementary
    gate depolarizing, then amplitude damping on each of its wires for the time steps since
    that wire's last gate (ASAP schedule, one step per gate), at the end damping for the
    steps left, then readout bit flips."""
    n = np.shape(weights)[1]
    out = []
    for f in features:
        tape = noise.elementary(noise.circuit_tape(f, weights, upload_every))
        free, ops = [0] * n, []
        for op in tape.operations:
            wires = [int(w) for w in op.wires]
            start = max(free[w] for w in wires)
            ops.append(op)
            for w in wires:
                ops.append(qml.DepolarizingChannel(p2 if len(wires) == 2 else p1, wires=w))
                ops.append(qml.AmplitudeDamping(1 - (1 - gamma) ** (start + 1 - free[w]),
                                                wires=w))
                free[w] = start + 1
        ops += [qml.AmplitudeDamping(1 - (1 - gamma) ** (max(free) - free[w]), wires=w)
                for w in range(n)]
        ops += [qml.BitFlip(q, wires=w) for w in range(n)]
        run = qml.tape.QuantumScript(ops, tape.measurements)
        out.append(qml.execute([run], qml.device("default.mixed", wires=n))[0])
    return np.array(out)


@pytest.mark.parametrize("n_qubits,upload_every", [(2, 1), (3, 2)])
def test_relaxation_equals_amplitude_damping_on_default_mixed(n_qubits, upload_every):
    rng = np.random.default_rng(5)
    features = rng.uniform(0.05, 1, (3, 2**n_qubits))
    weights = rng.normal(size=(4, n_qubits, 3))
    sim = noise.NoisySimulation(features, weights, upload_every)
    for p1, p2, q, gamma in [(0.0, 0.0, 0.0, 0.01), (0.002, 0.02, 0.01, 0.005)]:
        expected = relaxation_reference(features, weights, upload_every, p1, p2, q, gamma)
        np.testing.assert_allclose(sim.expvals(p1, p2, q, relaxation=gamma), expected,
                                   atol=1e-10, err_msg=f"gamma={gamma}")


def test_relaxation_shifts_expectations_towards_plus_one():
    rng = np.random.default_rng(6)
    features, weights = rng.uniform(0.05, 1, (20, 8)), rng.normal(size=(4, 3, 3))
    sim = noise.NoisySimulation(features, weights, 2)
    exact = sim.expvals(0.0)
    damped = sim.expvals(0.0, relaxation=0.02)
    assert (damped - exact).mean() > 0.05  # a shift, not only a shrink
    shrunk = sim.expvals(0.02)
    assert abs((shrunk - exact * np.sum(shrunk * exact) / np.sum(exact**2)).mean()) < 0.01
    # a rescale cannot undo the shift, an affine map (scale and offset) can, nearly
    scale = lessons.rescaling_factors(damped, exact)
    slope, offset = lessons.affine_correction(damped, exact)
    assert np.abs(damped * slope + offset - exact).mean() < np.abs(damped * scale - exact).mean()
    with pytest.raises(ValueError, match="relaxation is a probability"):
        sim.expvals(0.0, relaxation=1.5)


def test_parameter_shift_rule_equals_backprop_on_the_post_circuit():
    features, weights = lessons.random_inputs(6, 8, "amplitude", seed=2)
    qnode = circuits.make_qnode(6, 2, interface="autograd")
    jac = qml.jacobian(lambda w: qml.math.stack(qnode(features, w)))(
        qml.numpy.array(weights, requires_grad=True))
    plain = circuits.make_qnode(6, 2, interface="numpy", diff_method=None)
    for index in [(0, 0, 0), (4, 3, 1), (7, 5, 2)]:
        shifted = lessons.parameter_shift(lambda w: np.stack(plain(features, w)), weights, index)
        np.testing.assert_allclose(shifted, jac[(slice(None), *index)], atol=1e-10)
    # a finite difference of the same step is no gradient at all
    assert not np.allclose(shifted, (np.stack(plain(features, weights)) - np.stack(plain(
        features, weights - np.pi / 2))) / (np.pi / 2), atol=1e-3)


def test_affine_correction_undoes_a_shift_and_rejects_constant_outputs():
    exact = np.random.default_rng(7).uniform(-1, 1, (50, 3))
    slope, offset = lessons.affine_correction(0.4 * exact + 0.3, exact)
    np.testing.assert_allclose(slope, 2.5)
    np.testing.assert_allclose(offset, -0.75)
    with pytest.raises(ValueError, match=r"constant on qubits \[1\]"):
        lessons.affine_correction(np.c_[exact[:, :1], np.ones(50), exact[:, 2:]], exact)
