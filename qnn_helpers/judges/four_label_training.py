"""Judges of chapter 04's piece (notebooks/04_four_label_training.ipynb): ``PostLayer``.

The judge builds the learner's layer inside ``keras.Sequential`` (so Keras must work out
its output shape for a batch of unknown size), sets the circuit's 144 angles itself (any
initializer passes) and compares outputs and the weights' gradient, on two images, with
the engine's :class:`~qnn_helpers.engine.layers.QuantumLayer` given the same angles (the
package's tests prove it equal to the post's circuit).  Outputs that differ are compared
with cheap wrong circuits to name the mistake.
"""

from typing import Any

import keras
import numpy as np
from keras import ops

from qnn_helpers.checks import Mistake

#: outputs and gradients agree to this (a layer computing in float32 passes too)
ATOL = 1e-5
#: the circuit's angles: 8 layers × 6 wires × 3 rotation angles
WEIGHT_SHAPE = (8, 6, 3)
#: images the judge runs (each costs the layer a whole simulation, forward and backward)
N_IMAGES = 2


def _inputs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two images' features (positive and negative, of different lengths), the angles the
    judge sets and a random probe that weighs the outputs for the gradient."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=(N_IMAGES, 64)) * np.array([[1.0], [3.0]])
    angles = rng.uniform(0, 2 * np.pi, size=WEIGHT_SHAPE)
    probe = rng.normal(size=(N_IMAGES, 6))
    return x, angles, probe


def _outputs_and_gradient(model: keras.Model, weight: Any, x: np.ndarray,
                          probe: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """``model(x)`` and the gradient of ``sum(outputs[:, :6] * probe)`` by ``weight``
    (``None`` where none reaches it); each backend has its way."""
    x = ops.convert_to_tensor(x, "float32")

    def scalar(out):
        out = ops.cast(out, "float64")
        if len(out.shape) == 2 and out.shape == probe.shape:
            return ops.sum(out * probe)
        return ops.sum(out)

    if keras.backend.backend() == "jax":
        import jax

        variables = model.trainable_variables
        index = next(i for i, v in enumerate(variables) if v is weight)
        frozen = [v.value for v in model.non_trainable_variables]

        def loss(w):
            values = [v.value for v in variables]
            values[index] = w
            out = model.stateless_call(values, frozen, x)[0]
            return scalar(out), out

        (_, out), grad = jax.value_and_grad(loss, has_aux=True)(weight.value)
        return np.asarray(out), np.asarray(grad)
    import tensorflow as tf

    with tf.GradientTape() as tape:
        out = model(x)
        total = scalar(out)
    grad = tape.gradient(total, weight)
    return np.asarray(out), None if grad is None else np.asarray(grad)


def _reference(angles: np.ndarray, x: np.ndarray, probe: np.ndarray,
               upload_every: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """The engine's outputs and gradient for these angles (``upload_every=8``: one upload)."""
    from qnn_helpers.engine.layers import QuantumLayer

    fast = QuantumLayer(6, 8, upload_every, name="judge_reference")
    fast.circuit_weights.assign(angles)
    model = keras.Sequential([keras.Input((64,)), fast])
    return _outputs_and_gradient(model, fast.circuit_weights, x, probe)


def _build(layer_class: type) -> tuple[keras.layers.Layer, keras.Model]:
    """A fresh layer inside ``keras.Sequential``, or the mistake that prevents it."""
    try:
        layer = layer_class(name="judged_layer")  # as the chapter makes it: with a name
    except TypeError as exc:
        if "name" not in str(exc):
            raise
        raise Mistake("your __init__ does not take Keras' keyword arguments (the chapter "
                      "passes name=...): accept **kwargs and hand them to "
                      "super().__init__") from exc
    own_shape = "compute_output_shape" in {
        name for cls in type(layer).__mro__ if cls not in keras.layers.Layer.__mro__
        for name in vars(cls)}
    try:
        model = keras.Sequential([keras.Input((64,)), layer])
    except NotImplementedError:
        raise
    except Exception as exc:
        if not own_shape:
            raise Mistake(
                "Keras could not work out your layer's output shape inside "
                "keras.Sequential (a batch of unknown size, which ops.unstack cannot "
                "split): write compute_output_shape(self, input_shape), returning one "
                "⟨Z⟩ per wire for every image") from exc
        raise Mistake(f"inside keras.Sequential your layer raised {type(exc).__name__}: "
                      f"{str(exc).splitlines()[0][:200]}") from exc
    shape = tuple(model.output_shape)
    if shape != (None, 6):
        raise Mistake(f"for a batch of shape (None, 64) your compute_output_shape says "
                      f"{shape}: Keras needs (None, 6), one ⟨Z⟩ per wire for every image "
                      "(the batch size, input_shape[0], first)")
    return layer, model


def _circuit_weight(layer: keras.layers.Layer) -> Any:
    """The layer's trainable weight of shape (8, 6, 3), or the mistake about its weights."""
    if not layer.weights:
        raise Mistake("your layer has no weights: create the circuit's angles with "
                      "self.add_weight(...) so that Keras trains them")
    angles = [w for w in layer.weights if tuple(w.shape) == WEIGHT_SHAPE]
    trainable = [w for w in angles if any(w is t for t in layer.trainable_weights)]
    if angles and not trainable:
        raise Mistake("the circuit's weights are not trainable: Keras would never change "
                      "them; leave add_weight's trainable at its default, True")
    if not trainable:
        shapes = [tuple(w.shape) for w in layer.weights]
        raise Mistake(f"your layer's weights have shapes {shapes}: the circuit needs "
                      f"8 × 6 × 3 = 144 angles, shape {WEIGHT_SHAPE} (8 layers, 6 wires, "
                      "3 rotation angles)")
    return trainable[0]


def _diagnose(out: np.ndarray, angles: np.ndarray, x: np.ndarray, probe: np.ndarray,
              want: np.ndarray) -> Mistake:
    """Name what the wrong outputs ``out`` equal, recomputing cheap wrong circuits."""
    if np.allclose(out[0], out[1], atol=ATOL):
        return Mistake("your layer gives the same six values for two different images: run "
                       "the circuit on each image of the batch, with that image's features")
    if np.allclose(out, want[:, ::-1], atol=ATOL):
        return Mistake("your outputs are the circuit's with the wires reversed: return "
                       "⟨Z⟩ of wire 0 first, then wires 1 … 5")
    one_upload, _ = _reference(angles, x, probe, upload_every=8)
    if np.allclose(out, one_upload, atol=ATOL):
        return Mistake("your outputs are those of a circuit that uploads the features once: "
                       "the post uploads them before layers 0, 2, 4 and 6 (post_circuit "
                       "does: run it, with all 8 layers' weights)")
    difference = float(np.max(np.abs(out - want)))
    return Mistake(f"your outputs differ from the post's circuit with the same angles "
                   f"(largest difference {difference:.3g}): run post_circuit(features, "
                   "weights) with the layer's weight of shape (8, 6, 3) on each image")


def PostLayer(layer_class: type) -> str:  # noqa: N802  (judges are named as their piece)
    """Judge a Keras layer class that runs the post's circuit on every image of a batch."""
    layer, model = _build(layer_class)
    weight = _circuit_weight(layer)
    x, angles, probe = _inputs()
    weight.assign(ops.cast(angles, weight.dtype))
    out, grad = _outputs_and_gradient(model, weight, x, probe)
    if out.shape != (N_IMAGES, 6):
        if out.shape == (6, N_IMAGES):
            raise Mistake(f"for {N_IMAGES} images your layer returns shape {out.shape}: "
                          "images and wires are swapped; stack the six ⟨Z⟩ of each image, "
                          "then stack the images")
        raise Mistake(f"for {N_IMAGES} images your layer returns shape {out.shape}, but "
                      f"its compute_output_shape promises ({N_IMAGES}, 6): one row of six "
                      "⟨Z⟩ values per image")
    want, want_grad = _reference(angles, x, probe)
    if not np.allclose(out, want, atol=ATOL):
        raise _diagnose(out, angles, x, probe, want)
    if grad is None or not np.any(grad):
        raise Mistake("the outputs are right, but no gradient reaches the circuit's "
                      "weights, so training would never change them: pass the weights to "
                      "the circuit as a tensor (ops.convert_to_tensor), not as NumPy, and "
                      "keep diff_method='backprop'")
    if not np.allclose(grad, want_grad, atol=ATOL):
        difference = float(np.max(np.abs(grad - want_grad)))
        raise Mistake(f"the outputs are right but the weights' gradient differs from the "
                      f"circuit's (largest difference {difference:.3g}): let the "
                      "framework differentiate the simulation (diff_method='backprop')")
    return (f"runs the post's circuit inside keras.Sequential: output shape (None, 6), "
            f"outputs and weight gradients as the circuit's on {N_IMAGES} images, with "
            "angles the judge set")
