"""HybridModel: eager predict/evaluate equal Keras' compiled ones; ModelPool equals rebuilding."""

import keras
import numpy as np
import pytest

from qnn_helpers import baselines, models
from qnn_helpers.layers import QuantumLayer
from qnn_helpers.models import HybridModel, ModelPool, build_hybrid_model
from qnn_helpers.training import fit_epochs, set_seed


def _data(n, n_features=16, n_classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(0.05, 1, (n, n_features)).astype(np.float32),
            rng.integers(0, n_classes, n))


def test_eager_predict_and_evaluate_equal_keras_compiled(monkeypatch):
    """Chunks included (37 rows in chunks of 16): the same probabilities, loss and accuracy."""
    monkeypatch.setattr(models, "EAGER_CHUNK", 16)
    x, y = _data(37)
    set_seed(2)
    model = build_hybrid_model(3, n_qubits=4, n_layers=2, upload_every=1)
    compiled = keras.Sequential.predict(model, x, batch_size=8, verbose=0)  # XLA, as Keras does
    np.testing.assert_allclose(model.predict(x), compiled, atol=1e-6)
    targets = keras.utils.to_categorical(y, 3)
    eager = model.evaluate(x, targets, return_dict=True)
    keras_logs = keras.Sequential.evaluate(model, x, targets, batch_size=8, verbose=0,
                                           return_dict=True)
    assert set(eager) == set(keras_logs) == {"loss", "categorical_accuracy"}
    for name in eager:
        np.testing.assert_allclose(eager[name], keras_logs[name], rtol=1e-6)
    loss, accuracy = model.evaluate(x, targets)  # list form, as Keras returns it
    assert (loss, accuracy) == (eager["loss"], eager["categorical_accuracy"])


def test_baselines_predict_eagerly_with_keras_numbers():
    x, y = _data(20, n_features=8)
    set_seed(0)
    model = baselines.dense_classifier(8, 3, 4, "tanh")
    np.testing.assert_allclose(model.predict(x), keras.Sequential.predict(model, x, verbose=0),
                               atol=1e-6)


def test_pool_trains_like_a_fresh_model_without_compiling_again():
    """Seeds 0, 1, 0 from the pool: the histories of models built anew with those seeds.

    The pool builds its first model (seed 0) anew; the next two are reinitialized.
    """
    x, y = _data(45)
    shape = {"n_qubits": 4, "n_layers": 2, "upload_every": 1, "readout": "zz",
             "learning_rate": 0.05}

    def train(model):
        return fit_epochs(model, x, y, x[:20], y[:20], epochs=2, batch_size=8).history

    set_seed(1)
    fresh_1 = train(build_hybrid_model(3, **shape))
    pool = ModelPool()
    runs, steps = [], []
    for seed in (0, 1, 0):
        model = pool.get(3, seed=seed, **shape)
        runs.append(train(model))
        steps.append(model.train_function)
    assert runs[1] == fresh_1  # reinitialize(1) trains as a model built with seed 1
    assert runs[2] == runs[0]  # and reinitialize(0) as the pool's first, built with seed 0
    assert runs[0] != runs[1]  # the seed matters
    assert steps[0] is steps[1] is steps[2]  # one compiled training step
    assert len(pool.models) == 1


def test_the_first_fit_traces_the_training_step_once(monkeypatch):
    """build_training_state (after compile) creates the optimizer's, loss's and metrics'
    variables, so TensorFlow does not trace the step (circuit and gradient) a second time;
    the metrics start from zero."""
    traces = []
    simulate = QuantumLayer._simulate
    monkeypatch.setattr(QuantumLayer, "_simulate",
                        lambda self, *args: traces.append(1) or simulate(self, *args))
    x, y = _data(16)
    set_seed(0)
    model = build_hybrid_model(3, n_qubits=4, n_layers=2, upload_every=1)
    assert all(np.all(v.numpy() == 0) for m in model.metrics for v in m.variables)
    model.fit(x, keras.utils.to_categorical(y, 3), batch_size=8, verbose=0)
    assert len(traces) == 1


def test_pool_knows_a_setting_however_it_is_spelled():
    pool = ModelPool()
    first = pool.get(2, n_qubits=2, n_layers=1)
    assert pool.get(2, n_qubits=2, n_layers=1, upload_every=2, readout="z") is first
    assert pool.get(2, n_qubits=2, n_layers=1, upload_every=1) is not first


def test_reinitialize_needs_the_settings_of_build_hybrid_model(tmp_path):
    model = build_hybrid_model(2, n_qubits=2, n_layers=1)
    model.save(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    assert isinstance(reloaded, HybridModel)
    with pytest.raises(ValueError, match="build_hybrid_model"):
        reloaded.reinitialize(0)
