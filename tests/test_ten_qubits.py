"""The fast layer at 10 qubits (1,024 amplitudes: a whole 28 × 28 image padded to 32 × 32)
equals the hand-written template circuit, outputs and gradients, eager and compiled.

Runs on Keras' backend of the process (``make test`` runs it on TensorFlow and on JAX).
"""

import functools

import numpy as np
import pytest
from circuit_reference import layer_run, post_circuit, reference_runs

from qnn_helpers.engine import circuits
from qnn_helpers.engine.layers import QuantumLayer

N_QUBITS, N_LAYERS, UPLOAD_EVERY = 10, 4, 2  # two uploads of the 1,024 amplitudes


def _inputs():
    rng = np.random.default_rng(10)
    features = rng.uniform(0, 1, (3, 2**N_QUBITS)) + 1e-3  # pixels / 255 + 1e-3
    features[:, 784:] = 1e-3  # the padding of a 784-pixel image
    weights = rng.uniform(0, 2 * np.pi, circuits.weight_shape(N_LAYERS, N_QUBITS))
    return features, weights


def _probe(readout):
    return np.linspace(-1, 1, circuits.readout_size(N_QUBITS, readout))


@functools.cache
def _references():
    """One simulation per sample gives both readouts: ⟨Z⟩ are the first 10 of "zz"."""
    features, weights = _inputs()
    qfunc = functools.partial(post_circuit, upload_every=UPLOAD_EVERY, readout="zz")
    return reference_runs(qfunc, features, weights,
                          {"z": (slice(0, N_QUBITS), _probe("z")),
                           "zz": (slice(None), _probe("zz"))})


# compiled, "zz" covers ⟨Z⟩ too (its first 10 outputs): one XLA compilation of 10 qubits
@pytest.mark.parametrize("readout,compiled", [("z", False), ("zz", True)])
def test_layer_matches_the_template_circuit_at_ten_qubits(readout, compiled):
    features, weights = _inputs()
    layer = QuantumLayer(N_QUBITS, N_LAYERS, UPLOAD_EVERY, chunk_size=2, readout=readout)
    layer.build((None, features.shape[1]))
    layer.circuit_weights.assign(weights)
    out, gw, gx = layer_run(layer, features, _probe(readout), compiled)
    ref_out, ref_gw, ref_gx = _references()[readout]
    np.testing.assert_allclose(out, ref_out, atol=1e-6)
    np.testing.assert_allclose(gw, ref_gw, atol=1e-6)
    np.testing.assert_allclose(gx, ref_gx, atol=1e-6)
    assert np.abs(gw).max() > 1e-3 and np.abs(gx[:, :784]).max() > 1e-5


@functools.cache
def _angle_references():
    """Ten angles per sample (chapter 07's principal components), the template's RY."""
    rng = np.random.default_rng(11)
    features = rng.uniform(0, 1, (3, N_QUBITS))
    weights = rng.uniform(0, 2 * np.pi, circuits.weight_shape(N_LAYERS, N_QUBITS))
    qfunc = functools.partial(post_circuit, upload_every=UPLOAD_EVERY, encoding="angle")
    return features, weights, reference_runs(qfunc, features, weights,
                                             {"z": (slice(None), _probe("z"))})["z"]


@pytest.mark.parametrize("compiled", [False, True])
def test_angle_encoded_layer_matches_the_template_circuit_at_ten_qubits(compiled):
    """PennyLane's broadcast RY fails on TensorFlow from 8 wires: the layer's own angle
    upload (uniformly controlled rotations) must give the template's outputs and gradients."""
    features, weights, (ref_out, ref_gw, ref_gx) = _angle_references()
    layer = QuantumLayer(N_QUBITS, N_LAYERS, UPLOAD_EVERY, "angle", chunk_size=2)
    layer.build((None, N_QUBITS))
    layer.circuit_weights.assign(weights)
    out, gw, gx = layer_run(layer, features, _probe("z"), compiled)
    np.testing.assert_allclose(out, ref_out, atol=1e-6)
    np.testing.assert_allclose(gw, ref_gw, atol=1e-6)
    np.testing.assert_allclose(gx, ref_gx, atol=1e-6)
    assert np.abs(gw).max() > 1e-3 and np.abs(gx).max() > 1e-3


def test_whole_image_features_put_pixel_r_c_at_basis_state_32r_plus_c():
    """Chapter 07's layout: a 2-pixel border, row-major, qubits 0–4 the row, 5–9 the column;
    the state holds the image and ``image_from_state`` reads it back."""
    from qnn_helpers import lessons

    images = np.zeros((1, 28, 28), dtype=np.uint8)
    images[0, 3, 7] = 255
    features = lessons.whole_image_features(images)[0]
    assert features.shape == (1024,) and np.argmax(features) == 32 * (3 + 2) + (7 + 2)
    np.testing.assert_allclose(np.delete(features, np.argmax(features)), 1e-3, rtol=1e-6)
    assert lessons.whole_image_features(images, "sqrt")[0].max() == features.max()
    pixels = np.random.default_rng(0).integers(0, 256, (1, 28, 28)).astype(np.uint8)
    x = lessons.whole_image_features(pixels)[0]
    back = lessons.image_from_state(lessons.image_state(x)) * np.linalg.norm(x.astype(float))
    np.testing.assert_allclose(back, pixels[0] / 255 + 1e-3, atol=1e-6)
