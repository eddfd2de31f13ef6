"""QuantumLayer equals a plain PennyLane QNode of the template circuit, values and gradients.

Runs on Keras' backend of the process: TensorFlow, and with ``KERAS_BACKEND=jax`` on JAX
(``make test`` runs this module both ways).
"""

import functools

import keras
import numpy as np
import pennylane as qml
import pytest
from circuit_reference import (
    ALL_READOUTS,
    layer_run,
    layer_runner,
    layer_runs,
    post_circuit,
    reference_runs,
)

from qnn_helpers import lessons, training
from qnn_helpers.engine import circuits
from qnn_helpers.engine.layers import QuantumLayer, qnode_weights
from qnn_helpers.engine.models import build_hybrid_model
from qnn_helpers.lessons import evaluate, fit
from qnn_helpers.training import set_seed


@functools.cache
def _references(circuit):
    """The hand-written loop as a plain default.qubit QNode, one sample at a time:
    the readouts checked on ``circuit`` (an entry of :data:`CIRCUITS`) from one
    simulation per sample (:func:`reference_runs`)."""
    encoding, upload_every, signed, cnot_ranges = circuit
    features, weights = _inputs(encoding, signed)
    qfunc = functools.partial(post_circuit, upload_every=upload_every, encoding=encoding,
                              readout="all", cnot_ranges=cnot_ranges)
    probes = {readout: (ALL_READOUTS[readout], _probe(circuits.readout_size(6, readout)))
              for readout in _readouts(circuit)}
    return reference_runs(qfunc, features, weights, probes)


def _probe(n_outputs):
    return np.linspace(-1, 1, n_outputs)  # gradients of probe . outputs


def _inputs(encoding, signed):
    # 3 samples in chunks of 2 (compiled): two chunks, the second one padded
    features, weights = lessons.random_inputs(6, 4, encoding, batch=3, seed=7)
    if signed:  # e.g. PCA features: the sign part of the encoding matters
        features = features * np.where(np.arange(features.shape[1]) % 3 == 0, -1.0, 1.0)
    return features, weights


def _layer_run(layer, features, compiled):
    return layer_run(layer, features, _probe(layer.n_outputs), compiled)


CIRCUITS = [("amplitude", 2, False, "post"), ("amplitude", 2, True, "post"),
            ("amplitude", 1, True, "post"), ("angle", 2, False, "post"),
            ("angle", 2, True, "post"), ("amplitude", 2, True, "cycling"),
            ("amplitude", 2, True, "none")]


def _readouts(circuit):
    """The readouts checked on a circuit: all three on the first, ⟨Z⟩ on the others.

    The readout is the last step of the layer, the same code whatever the circuit
    before it: the probabilities themselves, or a ±1 matrix times them (⟨Z⟩, ⟨ZZ⟩).
    """
    return ("z", "zz", "probs") if circuit == CIRCUITS[0] else ("z",)


def _cases(circuit):
    """``(readout, compiled)`` pairs checked for a circuit.

    Eagerly: :func:`_readouts`.  Compiled with XLA (seconds per case): the same on the
    first circuit and on an angle-encoded one; the other circuits differ only in which
    gates the same compiled code applies.  (Signed features compiled: the post's
    8-layer circuit in ``test_signed_features.py``.)
    """
    compiled = _readouts(circuit) if circuit in (CIRCUITS[0], CIRCUITS[3]) else ()
    return ([(readout, False) for readout in _readouts(circuit)]
            + [(readout, True) for readout in compiled])


def _layer(circuit, readout):
    encoding, upload_every, signed, cnot_ranges = circuit
    features, weights = _inputs(encoding, signed)
    layer = QuantumLayer(6, 4, upload_every, encoding, chunk_size=2, readout=readout,
                         cnot_ranges=cnot_ranges)
    layer.build((None, features.shape[1]))
    layer.circuit_weights.assign(weights)
    return layer


@functools.cache
def _compiled_runs(circuit):
    """The compiled cases of ``circuit`` (:func:`_cases`), every readout's layer in one
    compiled function: one XLA compilation for the circuit instead of one per readout."""
    encoding, _, signed, _ = circuit
    readouts = [readout for readout, compiled in _cases(circuit) if compiled]
    layers = [_layer(circuit, readout) for readout in readouts]
    runs = layer_runs([(layer, _probe(layer.n_outputs)) for layer in layers],
                      _inputs(encoding, signed)[0], compiled=True)
    return dict(zip(readouts, runs, strict=True))


def _layer_matches_plain_qnode(circuit, readout, compiled):
    """Outputs and gradients (weights and inputs) equal the hand-written template loop's.

    Compiled: on TensorFlow XLA with an unknown batch size (3 samples in chunks of 2:
    padding and several chunks), as Keras traces a partial last batch; on JAX ``jax.jit``.
    The compiled readouts of a circuit run in one compiled function (:func:`_compiled_runs`).
    """
    if compiled:
        out, gw, gx = _compiled_runs(circuit)[readout]
    else:
        encoding, _, signed, _ = circuit
        out, gw, gx = _layer_run(_layer(circuit, readout), _inputs(encoding, signed)[0], False)
    ref_out, ref_gw, ref_gx = _references(circuit)[readout]
    np.testing.assert_allclose(out, ref_out, atol=1e-5)
    np.testing.assert_allclose(gw, ref_gw, atol=1e-5)
    np.testing.assert_allclose(gx, ref_gx, atol=1e-5)
    assert np.abs(gw).max() > 1e-3 and np.abs(gx).max() > 1e-3  # not a comparison of zeros


# One test class per circuit: its reference is simulated once, and pytest-xdist
# (--dist loadscope) spreads the classes over the workers.
for _circuit in CIRCUITS:
    _name = "TestLayerMatchesPlainQnode" + "".join(str(p).title() for p in _circuit)

    @pytest.mark.parametrize("readout,compiled", _cases(_circuit))
    def _test(self, readout, compiled, circuit=_circuit):
        _layer_matches_plain_qnode(circuit, readout, compiled)

    _test.__doc__ = _layer_matches_plain_qnode.__doc__
    globals()[_name] = type(_name, (), {"test_layer_matches_plain_qnode": _test})


def test_default_is_the_post_circuit_not_the_cycling_ranges():
    """The ranges matter: the post's range-1 circuit and the cycling ranges differ."""
    features, weights = _inputs("amplitude", False)
    dev = qml.device("default.qubit", wires=6)
    post, cycling = (np.array([np.stack(qml.QNode(post_circuit, dev)(f, weights, cnot_ranges=r))
                               for f in features]) for r in ("post", "cycling"))
    assert np.abs(post - cycling).max() > 0.05
    layer = QuantumLayer(6, 4)
    assert layer.cnot_ranges == "post"
    assert QuantumLayer.from_config(layer.get_config()).cnot_ranges == "post"


def test_layer_rejects_wrong_feature_length():
    layer = QuantumLayer(6, 2)
    with pytest.raises(ValueError, match="needs 64 features"):
        layer(np.ones((2, 63)))
    with pytest.raises(ValueError, match="encoding must be one of"):
        QuantumLayer(6, 2, encoding="basis")
    with pytest.raises(ValueError, match="at least 1"):
        QuantumLayer(6, 2, upload_every=0)
    with pytest.raises(ValueError, match="readout must be one of"):
        QuantumLayer(6, 2, readout="x")


@pytest.mark.parametrize("n_qubits", [0, -1, 21, 2.0, True, "6"])
def test_layer_rejects_a_number_of_qubits_out_of_range(n_qubits):
    with pytest.raises(ValueError, match=r"n_qubits must be a whole number from 1 to 20, got"):
        QuantumLayer(n_qubits, 2)


def test_config_round_trip():
    layer = QuantumLayer(4, 3, 3, "amplitude", chunk_size=16, readout="zz")
    clone = QuantumLayer.from_config(layer.get_config())
    assert (clone.n_qubits, clone.n_layers, clone.upload_every, clone.chunk_size,
            clone.readout) == (4, 3, 3, 16, "zz")
    assert layer.compute_output_shape((None, 16)) == (None, 4 + 6)


def _toy_problem(n, seed=0):
    """Two classes of 16 positive features: bump on the first or the second half."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    x = rng.uniform(0.05, 0.3, (n, 16)).astype(np.float32)
    x[y == 0, :8] += 0.6
    x[y == 1, 8:] += 0.6
    return x, y


def test_model_save_and_reload_gives_identical_predictions(tmp_path):
    set_seed(1)
    model = build_hybrid_model(3, n_qubits=4, n_layers=2, upload_every=1)
    x = np.random.default_rng(0).uniform(0.1, 1, (7, 16)).astype(np.float32)
    before = model.predict(x, verbose=0)
    path = tmp_path / "hybrid.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)
    np.testing.assert_allclose(reloaded.predict(x, verbose=0), before, atol=1e-12)
    np.testing.assert_allclose(qnode_weights(reloaded.get_layer("quantum")),
                               qnode_weights(model.get_layer("quantum")))


def test_tiny_fit_learns_above_chance():
    x, y = _toy_problem(203)  # not a multiple of the batch size: partial last batch
    x_test, y_test = _toy_problem(101, seed=1)
    set_seed(0)
    model = build_hybrid_model(2, n_qubits=4, n_layers=2, upload_every=1, learning_rate=0.05)
    before = evaluate(model, x_test, y_test).accuracy
    result = fit(model, x, y, epochs=3, batch_size=8)
    after = evaluate(model, x_test, y_test)
    assert after.accuracy >= 0.85, (before, after.accuracy)
    assert result.history["loss"][-1] < result.history["loss"][0]
    assert after.confusion.sum() == len(y_test)


def test_steps_per_execution_does_not_change_training():
    """Several batches per compiled call (the default) train exactly as one per call,
    including the last partial batch and a batch count that is not a multiple."""
    x, y = _toy_problem(75)  # 10 batches of 8, the last one of 3
    weights = []
    for steps in (1, 4):
        set_seed(3)
        model = build_hybrid_model(2, n_qubits=4, n_layers=2, upload_every=1,
                                   steps_per_execution=steps)
        result = fit(model, x, y, epochs=2, batch_size=8)
        weights.append([w.numpy() for w in model.weights])
        assert len(result.epoch_times) == 2
    for a, b in zip(*weights, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_fit_records_validation_figures_per_epoch():
    x, y = _toy_problem(64)
    x_test, y_test = _toy_problem(32, seed=1)
    set_seed(0)
    model = build_hybrid_model(2, n_qubits=4, n_layers=1, upload_every=1, learning_rate=0.05)
    result = fit(model, x, y, validation_data=(x_test, y_test), epochs=2, batch_size=16)
    assert set(result.history) == {"loss", "categorical_accuracy", "val_loss",
                                   "val_categorical_accuracy"}
    assert all(len(v) == 2 for v in result.history.values())
    assert len(result.epoch_times) == 2
    final = evaluate(model, x_test, y_test).accuracy
    assert result.history["val_categorical_accuracy"][-1] == final


def test_features_that_cannot_be_encoded_are_refused_where_they_are_known():
    features, weights = lessons.random_inputs(6, 2, batch=3, seed=1)
    zero_row = features.copy()
    zero_row[1] = 0.0
    for compact in (False, True):
        qnode = circuits.make_qnode(6, 2, compact=compact)
        with pytest.raises(ValueError, match="all-zero feature vector"):
            qnode(zero_row, weights)
        with pytest.raises(ValueError, match="real numbers"):
            qnode(features * (1 + 1j), weights)
    layer = QuantumLayer(6, 2, 2)
    with pytest.raises(ValueError, match="all-zero feature vector"):
        layer(keras.ops.convert_to_tensor(zero_row))  # eager: the values are checked


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_and_inf_features_are_refused_where_they_are_known(bad):
    features, _ = lessons.random_inputs(4, 2, batch=5, seed=3)
    features[3, 7] = bad
    with pytest.raises(ValueError, match=r"NaN or infinite values \(rows \[3\]\)"):
        QuantumLayer(4, 2)(keras.ops.convert_to_tensor(features))  # an eager call
    set_seed(0)
    model = build_hybrid_model(2, n_qubits=4, n_layers=2)
    with pytest.raises(ValueError, match="NaN or infinite"):
        model.predict(features, batch_size=2, verbose=0)
    with pytest.raises(ValueError, match=r"x holds NaN or infinite values in 1 rows \(first: \[3"):
        fit(model, features, np.arange(5) % 2)  # NumPy features: refused before training


@functools.cache
def _small_compiled_layer():
    """A 4-qubit layer (uploads every layer, 3 samples in chunks of 2) and its compiled run,
    shared by the NaN and the all-zero row tests: they assign their own weights, and the same
    batch size reuses the one XLA compilation. The handling of an odd row is per sample and
    the same code at any size, so 4 qubits show it as well as the post's 6."""
    layer = QuantumLayer(4, 2, upload_every=1, chunk_size=2)
    layer.build((None, 16))
    return layer, layer_runner([(layer, _probe(layer.n_outputs))], compiled=True)


def test_a_nan_feature_inside_a_compiled_graph_gives_nan_and_stops_fit():
    """Inside a compiled graph values are not checked: the sample's outputs are NaN (not
    ordinary-looking numbers), the others are untouched, and a fit stops on the NaN loss."""
    features, weights = lessons.random_inputs(4, 2, batch=3, seed=4)
    features[1, 5] = np.nan
    layer, run = _small_compiled_layer()
    layer.circuit_weights.assign(weights)
    [(out, _, _)] = run(features)
    assert np.isnan(out[1]).all() and np.isfinite(out[[0, 2]]).all()
    x, y = _toy_problem(40)
    x[17, 3] = np.inf
    set_seed(0)
    model = build_hybrid_model(2, n_qubits=4, n_layers=2, upload_every=1)
    with pytest.raises(FloatingPointError, match="check the features for NaN or infinite"):
        keras.Sequential.fit(  # past the model's check of NumPy features, as a dataset is
            model, x, training.one_hot(y, 2), batch_size=8, verbose=0,
            callbacks=[training.StopOnNaN()])


def test_an_all_zero_row_inside_a_compiled_graph_follows_the_post_rule():
    """x / sqrt(max(sum(x**2), 0.001)): a zero vector uploads nothing (no NaN, no error)."""
    features, weights = lessons.random_inputs(4, 2, batch=3, seed=2)
    features[1] = 0.0
    layer, run = _small_compiled_layer()
    layer.circuit_weights.assign(weights)
    [(out, grad_w, grad_x)] = run(features)
    assert np.isfinite(out).all() and np.isfinite(grad_w).all() and np.isfinite(grad_x).all()
    # the same as a circuit that starts from |0000> and uploads nothing
    dev = qml.device("default.qubit", wires=4)

    @qml.qnode(dev)
    def no_upload(w):
        for i in range(len(w)):
            qml.StronglyEntanglingLayers(w[i:i + 1], wires=range(4))
        return [qml.expval(qml.PauliZ(i)) for i in range(4)]

    expected = np.stack(no_upload(qnode_weights(layer)))
    np.testing.assert_allclose(out[1], expected, atol=1e-10)
