"""The compact Mottonen encoding is the template's unitary; the circuit is the post's."""

import copy
import pickle

import numpy as np
import pennylane as qml
import pytest
from pennylane.devices.qubit import apply_operation

from qnn_helpers import lessons
from qnn_helpers.engine import circuits


def _template_unitary(x, n):
    return qml.matrix(
        lambda: qml.MottonenStatePreparation(circuits.normalize(x), wires=range(n)),
        wire_order=range(n),
    )()


def _compact_unitary(x, n):
    return qml.matrix(lambda: circuits.compact_mottonen(x, wires=range(n)), wire_order=range(n))()


def _equal_up_to_global_phase(a, b):
    assert lessons.equal_up_to_global_phase(a, b)


def test_global_phase_comparison_can_fail():
    u = np.diag([1.0, 1j])
    assert lessons.equal_up_to_global_phase(np.exp(0.3j) * u, u)
    assert not lessons.equal_up_to_global_phase(np.diag([1.0, -1j]), u)
    assert not lessons.equal_up_to_global_phase(2 * u, u)


@pytest.mark.parametrize("n", [1, 2, 3, 6])
@pytest.mark.parametrize("signed", [False, True])
def test_compact_mottonen_is_the_template_unitary(n, signed):
    """The whole 2**n x 2**n unitary, not only its first column: that is what a
    re-upload applies to the state the earlier layers left behind."""
    rng = np.random.default_rng(n)
    x = rng.uniform(0.01, 1, 2**n)
    if signed:
        x = x * rng.choice([-1, 1], size=x.shape)
    _equal_up_to_global_phase(_template_unitary(x, n), _compact_unitary(x, n))


def test_compact_mottonen_handles_zero_amplitudes():
    x = np.zeros(16)
    x[[0, 5, 6]] = [0.3, -0.5, 0.8]
    _equal_up_to_global_phase(_template_unitary(x, 4), _compact_unitary(x, 4))


def test_encoding_prepares_the_normalised_features():
    x = np.random.default_rng(1).uniform(0.1, 1, 64)
    state = _compact_unitary(x, 6)[:, 0]
    np.testing.assert_allclose(np.abs(state), x / np.linalg.norm(x), atol=1e-12)


@pytest.mark.parametrize("cnot_ranges", ["post", "cycling", "none"])
@pytest.mark.parametrize("fuse_layers", [False, True])
@pytest.mark.parametrize("upload_every", [1, 2, 4, 8])
def test_compact_circuit_equals_template_circuit(upload_every, fuse_layers, cnot_ranges):
    features, weights = lessons.random_inputs(6, 8, batch=3, seed=upload_every)
    features[:, ::3] *= -1  # signed features (e.g. PCA) use the phase part too
    reference = circuits.make_qnode(6, upload_every, cnot_ranges=cnot_ranges)
    compact = circuits.make_qnode(6, upload_every, compact=True, fuse_layers=fuse_layers,
                                  cnot_ranges=cnot_ranges)
    for f in features:  # plain, one sample at a time
        np.testing.assert_allclose(compact(f, weights), reference(f, weights), atol=1e-10)
    # broadcast over the batch, as the Keras layer runs it
    np.testing.assert_allclose(np.stack(compact(features, weights), axis=-1),
                               [reference(f, weights) for f in features], atol=1e-10)


def _simulate(ops, n, state=None):
    """Final state of ``ops`` on default.qubit (its apply functions, not ``qml.matrix``)."""
    dev = qml.device("default.qubit", wires=n)

    @qml.qnode(dev)
    def run():
        if state is not None:
            qml.StatePrep(state, wires=range(n))
        for op in ops():
            qml.apply(op)
        return qml.state()

    return run()


@pytest.mark.parametrize("wires", [[0, 1, 2], [0, 1, 2, 3], [2, 0, 3], [3]])
@pytest.mark.parametrize("op_batched,state_batched", [(False, False), (True, False),
                                                      (False, True), (True, True)])
def test_uniformly_controlled_rotation_applies_its_matrix(wires, op_batched, state_batched):
    """The broadcast 2x2 kernel equals the block-diagonal matrix, with and without batches."""
    rng = np.random.default_rng(len(wires))
    k = len(wires) - 1
    blocks = rng.normal(size=(3, 2**k, 2, 2)) + 1j * rng.normal(size=(3, 2**k, 2, 2))
    blocks = blocks if op_batched else blocks[0]
    state = rng.normal(size=(3, 16)) + 1j * rng.normal(size=(3, 16))
    state /= np.linalg.norm(state, axis=-1, keepdims=True)
    state = state if state_batched else state[0]
    op = circuits.UniformlyControlledRotation(blocks, wires=wires)
    got = _simulate(lambda: [op], 4, state)
    full = qml.matrix(op, wire_order=range(4))  # dense, via compute_matrix
    want = np.einsum("...ij,...j->...i", full, state)
    np.testing.assert_allclose(got, want, atol=1e-12)
    by_hand = np.stack([_block_diag(b) for b in np.reshape(blocks, (-1, 2**k, 2, 2))])
    np.testing.assert_allclose(np.reshape(op.matrix(), by_hand.shape), by_hand, atol=1e-12)


def _block_diag(blocks):
    out = np.zeros((2 * len(blocks), 2 * len(blocks)), complex)
    for j, b in enumerate(blocks):
        out[2 * j:2 * j + 2, 2 * j:2 * j + 2] = b
    return out


@pytest.mark.parametrize("n,n_layers", [(1, 2), (2, 3), (4, 2), (6, 3)])
def test_entangling_block_is_strongly_entangling_layers(n, n_layers):
    rng = np.random.default_rng(n)
    weights = rng.uniform(0, 2 * np.pi, (n_layers, n, 3))
    ranges = circuits.layer_ranges(n_layers, n, "cycling")
    state = rng.normal(size=(2, 2**n)) + 1j * rng.normal(size=(2, 2**n))
    state /= np.linalg.norm(state, axis=-1, keepdims=True)
    template = qml.StronglyEntanglingLayers(weights, wires=range(n),
                                            ranges=ranges if n > 1 else None)
    block = circuits.EntanglingBlock(weights, wires=range(n), ranges=ranges)
    want = qml.matrix(template, wire_order=range(n))
    np.testing.assert_allclose(qml.matrix(block, wire_order=range(n)), want, atol=1e-12)
    np.testing.assert_allclose(_simulate(lambda: [block], n, state), state @ want.T, atol=1e-12)
    (decomposed,) = block.decomposition()
    assert isinstance(decomposed, qml.StronglyEntanglingLayers)
    np.testing.assert_allclose(qml.matrix(decomposed, wire_order=range(n)), want, atol=1e-12)
    reversed_wires = circuits.EntanglingBlock(weights, wires=list(range(n))[::-1], ranges=ranges)
    np.testing.assert_allclose(  # not the leading wires in order: the dense fallback
        _simulate(lambda: [reversed_wires], n, state),
        state @ qml.matrix(reversed_wires, wire_order=range(n)).T, atol=1e-12)


def _engine_operations():
    rng = np.random.default_rng(5)
    blocks = rng.normal(size=(3, 4, 2, 2)) + 1j * rng.normal(size=(3, 4, 2, 2))
    weights = rng.uniform(0, 2 * np.pi, (2, 3, 3))
    return [circuits.UniformlyControlledRotation(blocks[0], wires=[0, 1, 2]),
            circuits.UniformlyControlledRotation(blocks, wires=[2, 0, 1]),  # broadcast
            circuits.EntanglingBlock(weights, wires=[0, 1, 2], ranges=[1, 2])]


@pytest.mark.parametrize("op", _engine_operations(), ids=lambda op: f"{op.name}-{op.batch_size}")
def test_engine_operations_rebuild_from_their_parts(op):
    """What PennyLane does with an operator besides applying it (pytrees, copies, wire maps,
    new parameters, pickling) rebuilds it equal: its constructor takes ``wires`` and its
    hyperparameters as keywords, and no ``id`` (PennyLane 0.46 removes it from Operator)."""
    data, metadata = op._flatten()
    rebuilt = [type(op)._unflatten(data, metadata), copy.copy(op), copy.deepcopy(op),
               pickle.loads(pickle.dumps(op)),
               qml.ops.functions.bind_new_parameters(op, op.data)]
    for other in rebuilt:
        assert qml.equal(other, op), other
        assert other.hyperparameters == op.hyperparameters
        np.testing.assert_allclose(other.matrix(), op.matrix(), atol=1e-12)
    hash(metadata)  # PennyLane requires hashable metadata (the hyperparameters)
    moved = qml.map_wires(op, {0: 3, 1: 4, 2: 5})
    assert list(moved.wires) == [{0: 3, 1: 4, 2: 5}[w] for w in op.wires]
    np.testing.assert_allclose(moved.matrix(), op.matrix(), atol=1e-12)
    with pytest.raises(TypeError):
        type(op)(*op.data, wires=op.wires, id="a label", **op.hyperparameters)


def test_default_qubit_applies_the_engine_operations_with_their_kernels():
    """The engine's speed rests on one internal PennyLane function: default.qubit applies
    every operation with ``pennylane.devices.qubit.apply_operation``, a singledispatch on which
    circuits.py registers its kernels.  Were that no longer so, the outputs would stay right
    (the dense matrix) but the layer would be slow, silently: this fails instead, saying
    what to fix."""
    where = ("pennylane.devices.qubit.apply_operation (internal to PennyLane; the engine "
             "registers its kernels on it in qnn_helpers/engine/circuits.py)")
    kernels = {circuits.UniformlyControlledRotation: circuits._apply_uniformly_controlled,
               circuits.EntanglingBlock: circuits._apply_entangling_block}
    for op_type, kernel in kernels.items():
        assert apply_operation.dispatch(op_type) is kernel, (
            f"{op_type.__name__} is no longer dispatched to its kernel by {where}")
    calls = []

    def spy(kernel):
        return lambda op, *args, **kwargs: calls.append(type(op)) or kernel(op, *args, **kwargs)

    features, weights = lessons.random_inputs(3, 4, batch=5, seed=1)
    qnode = circuits.make_qnode(3, 2, compact=True, fuse_layers=True, readout="probs")
    try:
        for op_type, kernel in kernels.items():
            apply_operation.register(op_type, spy(kernel))
        probs = qnode(features, weights)  # as the layer runs it: broadcast over a batch
    finally:
        for op_type, kernel in kernels.items():
            apply_operation.register(op_type, kernel)
    for op_type in kernels:
        assert op_type in calls, (
            f"default.qubit no longer applies {op_type.__name__} through {where}: the engine "
            "runs on the dense matrix, slowly. Find where default.qubit now applies "
            "operations and register the kernels there.")
    reference = circuits.make_qnode(3, 2, readout="probs")
    np.testing.assert_allclose(probs, [reference(f, weights) for f in features], atol=1e-10)


def test_single_upload_is_plain_strongly_entangling_layers():
    features, weights = lessons.random_inputs(6, 8, seed=3)
    dev = qml.device("default.qubit", wires=6)

    @qml.qnode(dev)
    def plain(f, w):
        qml.MottonenStatePreparation(circuits.normalize(f), wires=range(6))
        qml.StronglyEntanglingLayers(w, wires=range(6))
        return [qml.expval(qml.PauliZ(i)) for i in range(6)]

    @qml.qnode(dev)
    def per_layer(f, w):  # the post: one template call per layer
        qml.MottonenStatePreparation(circuits.normalize(f), wires=range(6))
        for i in range(len(w)):
            qml.StronglyEntanglingLayers(w[i:i + 1], wires=range(6))
        return [qml.expval(qml.PauliZ(i)) for i in range(6)]

    cycling = circuits.make_qnode(6, upload_every=8, cnot_ranges="cycling")
    np.testing.assert_allclose(cycling(features, weights), plain(features, weights), atol=1e-12)
    post = circuits.make_qnode(6, upload_every=8)
    np.testing.assert_allclose(post(features, weights), per_layer(features, weights), atol=1e-12)


def test_uploads_and_ranges():
    assert circuits.upload_layers(8, 2) == [0, 2, 4, 6]
    assert circuits.upload_layers(8, 3) == [0, 3, 6]
    assert circuits.layer_ranges(8, 6) == [1] * 8  # the post: one layer per template call
    assert circuits.layer_ranges(8, 6, "cycling") == [1, 2, 3, 4, 5, 1, 2, 3]
    assert circuits.layer_ranges(8, 6, "none") == [0] * 8
    with pytest.raises(ValueError, match="cnot_ranges"):
        circuits.layer_ranges(8, 6, "long")
    with pytest.raises(ValueError):
        circuits.upload_layers(8, 0)


def test_wrong_feature_length_is_a_clear_error():
    _, weights = lessons.random_inputs(6, 2)
    with pytest.raises(ValueError, match="needs 64 features"):
        circuits.make_qnode(6)(np.ones(63), weights)
    with pytest.raises(ValueError, match="needs 6 features"):
        circuits.check_features(np.ones(64), 6, "angle")
    with pytest.raises(ValueError, match="encoding must be one of"):
        circuits.check_features(np.ones(64), 6, "basis")


def test_nan_and_inf_features_are_a_clear_error():
    features = np.ones((4, 8))
    features[2, 1], features[3, 0] = np.nan, -np.inf
    with pytest.raises(ValueError, match=r"NaN or infinite values \(rows \[2, 3\]\)"):
        circuits.check_features(features, 3)
    with pytest.raises(ValueError, match="NaN or infinite"):
        circuits.check_features(np.array([0.5, np.inf, 0.1]), 3, "angle")
    _, weights = lessons.random_inputs(3, 1)
    with pytest.raises(ValueError, match="NaN or infinite"):
        circuits.make_qnode(3, compact=True)(features, weights)


def test_gate_counts_of_the_original_circuit():
    counts = lessons.gate_counts(6, 8, 2)
    # Mottonen on 6 qubits with positive amplitudes: 63 RY + 62 CNOT per upload;
    # StronglyEntanglingLayers: 6 Rot + 6 CNOT per layer.
    assert counts.num_uploads == 4
    assert counts.gate_types == {"CNOT": 4 * 62 + 8 * 6, "RY": 4 * 63, "Rot": 8 * 6}
    assert counts.num_gates == sum(counts.gate_types.values())
    assert 0 < counts.depth <= counts.num_gates


def test_angle_circuit_runs_and_draws():
    features, weights = lessons.random_inputs(6, 4, encoding="angle")
    out = circuits.make_qnode(6, 2, encoding="angle")(features, weights)
    assert len(out) == 6
    drawing = qml.draw(circuits.make_qnode(6, 2, encoding="angle"), level="top")(features, weights)
    assert drawing.count("AngleEmbedding") >= 2


def test_parity_matrix_turns_probabilities_into_correlators():
    features, weights = lessons.random_inputs(4, 2, seed=2)
    probs = circuits.make_qnode(4, readout="probs")(features, weights)
    zz = circuits.make_qnode(4, readout="zz")(features, weights)
    np.testing.assert_allclose(probs @ circuits.parity_matrix(4, "zz"), zz, atol=1e-12)
    assert circuits.readout_size(4, "zz") == 10 and circuits.readout_size(4, "probs") == 16
