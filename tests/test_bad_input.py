"""Bad input to the engine is refused with an error that names what to fix."""

import numpy as np
import pytest

from qnn_helpers import lessons, training
from qnn_helpers.engine.layers import QuantumLayer
from qnn_helpers.engine.models import build_hybrid_model


@pytest.mark.parametrize("n_qubits", [0, -1, 2.5, "6"])
def test_quantum_layer_needs_at_least_one_qubit(n_qubits):
    with pytest.raises(ValueError, match="n_qubits must be a whole number from 1 to"):
        QuantumLayer(n_qubits=n_qubits)


@pytest.fixture(scope="module")
def model():
    training.set_seed(0)
    return build_hybrid_model(4, n_qubits=2, n_layers=2, steps_per_execution=1)


def _features(bad):
    x = np.random.default_rng(0).uniform(0.1, 1, (8, 4))
    x[3, 1] = bad
    return x


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_predict_refuses_nan_and_inf(model, bad):
    with pytest.raises(ValueError, match="NaN or infinite"):
        model.predict(_features(bad))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_fit_refuses_nan_and_inf(model, bad):
    with pytest.raises(ValueError, match="x holds NaN or infinite"):
        lessons.fit(model, _features(bad), np.arange(8) % 4)


def test_fit_stops_on_a_nan_loss(model):
    callback = training.StopOnNaN()
    callback.set_model(model)
    callback.on_train_batch_end(2, {"loss": 1.3})  # a finite loss: training goes on
    with pytest.raises(FloatingPointError, match="training loss is nan after batch 3"):
        callback.on_train_batch_end(3, {"loss": float("nan")})
    assert model.stop_training


def test_whole_image_features_refuse_scaled_images_and_unknown_scalings():
    images = np.zeros((2, 28, 28), dtype=np.uint8)
    with pytest.raises(ValueError, match="scaling must be one of"):
        lessons.whole_image_features(images, "log")
    with pytest.raises(ValueError, match="already scaled"):
        lessons.whole_image_features(images / 255.0)


def test_whole_fashion_mnist_refuses_a_training_size_it_cannot_give():
    with pytest.raises(ValueError, match="n_train must be a number of training images"):
        lessons.whole_fashion_mnist(n_train=3)
