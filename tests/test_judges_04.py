"""Chapter 04's judge: a layer that runs the post's circuit passes whatever its initializer,
wherever it makes its weights and however it batches; the typical mistakes fail with their
own message.  The layers here run the engine's QNode (proven equal to the post's circuit by
tests/test_lessons.py), so that each test takes seconds; the chapter's run judges its own."""

import keras
import numpy as np
import pytest
from keras import ops

from qnn_helpers import checks, lessons
from qnn_helpers.engine import circuits
from qnn_helpers.judges import four_label_training as judges


class Batched(keras.layers.Layer):
    """Valid: the post's circuit on the whole batch at once, its angles made in ``build``
    with Keras' default initializer (not the chapter's)."""

    upload_every = 2

    def __init__(self, **kwargs):
        super().__init__(dtype="float64", **kwargs)
        self.circuit = circuits.make_qnode(6, self.upload_every, compact=True,
                                           fuse_layers=True)

    def build(self, input_shape):
        self.circuit_weights = self.add_weight(name="circuit_weights", shape=(8, 6, 3))

    def weights_tensor(self):
        return ops.convert_to_tensor(self.circuit_weights)

    def call(self, inputs):
        return ops.stack(self.circuit(inputs, self.weights_tensor()), axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 6)


class Float32(Batched):
    """Valid: the same in Keras' default dtype, float32."""

    def __init__(self, **kwargs):
        keras.layers.Layer.__init__(self, **kwargs)
        self.circuit = circuits.make_qnode(6, 2, compact=True, fuse_layers=True)


class PerImage(Batched):
    """Valid: as the chapter's layer, one image at a time (ops.unstack), its angles made in
    __init__ with Keras' default initializer; each image runs the engine's QNode."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.circuit_weights = self.add_weight(name="circuit_weights", shape=(8, 6, 3))

    def build(self, input_shape):
        pass

    def call(self, inputs):
        w = self.weights_tensor()
        return ops.stack([ops.stack(self.circuit(x, w)) for x in ops.unstack(inputs)])


@pytest.mark.parametrize("layer", [Batched, Float32, PerImage])
def test_a_layer_running_the_post_circuit_passes_whatever_its_initializer(layer):
    assert "inside keras.Sequential" in judges.PostLayer(layer)


class NoOutputShape(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(dtype="float64", **kwargs)
        self.circuit_weights = self.add_weight(name="circuit_weights", shape=(8, 6, 3))

    def call(self, inputs):
        return ops.stack([ops.sum(x[:6]) for x in ops.unstack(inputs)])


class NoKeywords(Batched):
    def __init__(self):
        super().__init__()


class WrongOutputShape(Batched):
    def compute_output_shape(self, input_shape):
        return (6,)


class Frozen(Batched):
    def build(self, input_shape):
        self.circuit_weights = self.add_weight(name="circuit_weights", shape=(8, 6, 3),
                                               trainable=False)


class FlatWeights(Batched):
    def build(self, input_shape):
        self.circuit_weights = self.add_weight(name="circuit_weights", shape=(8, 6))


class Transposed(Batched):
    def call(self, inputs):
        return ops.stack(self.circuit(inputs, self.weights_tensor()), axis=0)


class Reversed(Batched):
    def call(self, inputs):
        return super().call(inputs)[:, ::-1]


class OneUpload(Batched):
    upload_every = 8


class FirstImageOnly(Batched):
    def call(self, inputs):
        first = super().call(inputs[:1])
        return ops.repeat(first, ops.shape(inputs)[0], axis=0)


class NumpyWeights(Batched):
    def weights_tensor(self):
        return np.asarray(ops.convert_to_numpy(self.circuit_weights))


@pytest.mark.parametrize("layer, message", [
    (NoOutputShape, "write compute_output_shape"),
    (NoKeywords, "accept \\*\\*kwargs"),
    (WrongOutputShape, r"compute_output_shape says \(6,\)"),
    (Frozen, "not trainable"),
    (FlatWeights, r"shapes \[\(8, 6\)\]"),
    (Transposed, "images and wires are swapped"),
    (Reversed, "wires reversed"),
    (OneUpload, "uploads the features once"),
    (FirstImageOnly, "same six values for two different images"),
])
def test_typical_mistakes_fail_with_their_message(layer, message):
    with pytest.raises(checks.Mistake, match=message):
        judges.PostLayer(layer)


def test_weights_that_leave_the_tape_are_named():
    if keras.backend.backend() == "jax":
        pytest.skip("under JAX, NumPy weights fail while tracing (an error, not a mistake)")
    with pytest.raises(checks.Mistake, match="no gradient reaches the circuit's weights"):
        judges.PostLayer(NumpyWeights)


def test_a_blank_layer_is_still_blank():
    class Blank(keras.layers.Layer):
        def __init__(self, **kwargs):
            raise NotImplementedError("write __init__")

    assert checks.piece("PostLayer", Blank, lessons.PostLayer, judges.PostLayer) is (
        lessons.PostLayer)
