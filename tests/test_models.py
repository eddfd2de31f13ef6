"""HybridModel: predict/evaluate equal Keras' other way to run them; ModelPool equals rebuilding."""

import keras
import numpy as np
import pytest

from qnn_helpers.engine import models
from qnn_helpers.engine.layers import QuantumLayer
from qnn_helpers.engine.models import HybridModel, ModelPool, build_hybrid_model
from qnn_helpers.lessons import fit
from qnn_helpers.training import set_seed
from tools.study import baselines


def _data(n, n_features=16, n_classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(0.05, 1, (n, n_features)).astype(np.float32),
            rng.integers(0, n_classes, n))


def _the_other_way(model):
    """Keras' own predict and evaluate steps, built the other way: compiled where the model
    runs them eagerly (TensorFlow), eager where it compiles them (JAX)."""
    model.run_eagerly = not models.EAGER_EVALUATION
    keras.Sequential.make_predict_function(model, force=True)
    keras.Sequential.make_test_function(model, force=True)
    model.run_eagerly = False
    return model


class BatchSizes(keras.callbacks.Callback):
    """The batch sizes Keras hands to the model (one entry per step call)."""

    def __init__(self):
        super().__init__()
        self.ends = []

    def on_predict_batch_end(self, batch, logs=None):
        self.ends.append(batch)

    on_test_batch_end = on_predict_batch_end


def test_predict_and_evaluate_equal_the_other_way_and_honour_keras_arguments(monkeypatch):
    """37 rows in batches of 8 (the last one partial): the same probabilities, loss and
    accuracy as Keras' step built the other way; batch_size and callbacks count, and
    without a batch size the model's EVALUATION_BATCH_SIZE does."""
    simulated = []
    simulate = QuantumLayer._simulate
    monkeypatch.setattr(QuantumLayer, "_simulate",
                        lambda self, x, w: simulated.append(x.shape[0]) or simulate(self, x, w))
    x, y = _data(37)
    targets = keras.utils.to_categorical(y, 3)
    set_seed(2)
    model = build_hybrid_model(3, n_qubits=4, n_layers=2, upload_every=1, steps_per_execution=2)
    calls = BatchSizes()
    probs = model.predict(x, batch_size=8, verbose=0, callbacks=[calls])
    logs = model.evaluate(x, targets, batch_size=8, verbose=0, return_dict=True,
                          callbacks=[calls])
    assert len(calls.ends) == 3 * 2  # 5 batches, 2 per step call: 3 calls, twice
    if models.EAGER_EVALUATION:  # every batch simulated, nothing traced
        assert simulated == [8, 8, 8, 8, 5] * 2, (
            "predict and evaluate no longer run eagerly: EagerEvaluation overrides Keras' "
            "make_predict_function and make_test_function (public on every backend's "
            "trainer), which this Keras no longer calls or builds differently")
    else:  # traced once per batch shape
        assert sorted(set(simulated)) == [5, 8]
    assert (model.evaluate(x, targets, batch_size=8, verbose=0)
            == [logs["loss"], logs["categorical_accuracy"]])  # list form, as Keras returns it
    monkeypatch.setattr(models, "EVALUATION_BATCH_SIZE", 16)
    simulated.clear()
    np.testing.assert_allclose(model.predict(x, verbose=0), probs, atol=1e-6)
    assert set(simulated) - {5} == {16}  # no batch size given: the model's default
    _the_other_way(model)
    np.testing.assert_allclose(probs, model.predict(x, batch_size=8, verbose=0), atol=1e-6)
    other = model.evaluate(x, targets, batch_size=8, verbose=0, return_dict=True)
    assert set(logs) == set(other) == {"loss", "categorical_accuracy"}
    for name in logs:
        np.testing.assert_allclose(logs[name], other[name], rtol=1e-6)


def test_compiled_evaluation_equals_the_default_in_the_models_batches(monkeypatch):
    """``compiled_evaluation`` (chapter 07's 10-qubit models): the probabilities and loss of
    the default, in batches of ``evaluation_batch_size``, the circuit traced, not run eagerly
    batch by batch."""
    simulated = []
    simulate = QuantumLayer._simulate
    monkeypatch.setattr(QuantumLayer, "_simulate",
                        lambda self, x, w: simulated.append(x.shape[0]) or simulate(self, x, w))
    x, y = _data(37)
    targets = keras.utils.to_categorical(y, 3)
    settings = dict(n_qubits=4, n_layers=2, upload_every=1, steps_per_execution=1)
    set_seed(2)
    default = build_hybrid_model(3, **settings)
    set_seed(2)
    compiled = build_hybrid_model(3, **settings, compiled_evaluation=True,
                                  evaluation_batch_size=10)
    probs = default.predict(x, verbose=0)
    logs = default.evaluate(x, targets, verbose=0, return_dict=True)
    simulated.clear()
    calls = BatchSizes()
    np.testing.assert_allclose(compiled.predict(x, verbose=0, callbacks=[calls]), probs,
                               atol=1e-6)
    other = compiled.evaluate(x, targets, verbose=0, return_dict=True, callbacks=[calls])
    assert len(calls.ends) == 2 * 4  # 37 rows: four batches of at most 10, twice
    assert len(simulated) <= 4  # traces (one per batch shape and step), not 8 eager runs
    for name in logs:
        np.testing.assert_allclose(other[name], logs[name], rtol=1e-5)


def test_baselines_predict_with_keras_numbers():
    x, y = _data(20, n_features=8)
    set_seed(0)
    model = baselines.classical_model("bottleneck", 8, 3, 0.01)
    probs = model.predict(x, verbose=0)
    np.testing.assert_allclose(probs, _the_other_way(model).predict(x, verbose=0), atol=1e-6)


def test_pool_trains_like_a_fresh_model_without_compiling_again():
    """Seeds 0, 1, 0 from the pool: the histories of models built anew with those seeds.

    The pool builds its first model (seed 0) anew; the next two are reinitialized.
    """
    # 48 rows: whole batches of 8, so each model compiles its step for one batch shape (a
    # partial last batch would compile a second one; the pool's reuse does not depend on it)
    x, y = _data(48)
    shape = {"n_qubits": 4, "n_layers": 2, "upload_every": 1, "readout": "zz",
             "learning_rate": 0.05}

    def train(model):
        return fit(model, x, y, validation_data=(x[:20], y[:20]), epochs=2, batch_size=8).history

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
