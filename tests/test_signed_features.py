"""Signed features (PCA-like) through the post's circuit: the fast layer equals the templates.

Chapter 03 finds that the post's model does not learn from signed PCA features
with four uploads.  This test makes sure that finding is about the model, not
about the fast layer: ``QuantumLayer(6, 8, 2)`` gives the same outputs and the
same gradients (circuit weights and inputs) as a plain ``default.qubit`` QNode
written by hand from the templates, on signed inputs shaped like PCA features.
"""

import functools

import numpy as np
import pytest
from circuit_reference import layer_run, post_circuit, reference_run

from qnn_helpers.engine.layers import QuantumLayer

N_QUBITS, N_LAYERS, UPLOAD_EVERY = 6, 8, 2  # the post's circuit: 4 uploads
N_FEATURES = 2**N_QUBITS


NEAR_ZERO = (2, 40)  # sample, component


def pca_like_features(n=3, seed=11):
    """Random signed vectors shaped like 64 PCA components.

    The standard deviation decays from the first component to the last (as the
    explained variance of PCA does), the signs are mixed, and the last sample
    has a component that is almost zero (its sign is what a tiny change flips).
    """
    rng = np.random.default_rng(seed)
    scale = 4.0 * (1 + np.arange(N_FEATURES)) ** -0.7
    x = rng.normal(size=(n, N_FEATURES)) * scale
    x[NEAR_ZERO] = 1e-7
    return x


def circuit_weights(seed=5):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 2 * np.pi, (N_LAYERS, N_QUBITS, 3))


PROBE = np.linspace(-1, 1, N_QUBITS)  # gradients of PROBE . outputs


@functools.cache
def reference():
    """The post's circuit written by hand from the templates, one sample at a time."""
    return reference_run(post_circuit, pca_like_features(), circuit_weights(), PROBE)


def run_layer(compiled):
    """The layer with the same weights; compiled: 3 samples in chunks of 2 (padding)."""
    layer = QuantumLayer(N_QUBITS, N_LAYERS, UPLOAD_EVERY, chunk_size=2)
    layer.build((None, N_FEATURES))
    layer.circuit_weights.assign(circuit_weights())
    return layer, *layer_run(layer, pca_like_features(), PROBE, compiled)


def test_inputs_look_like_pca_features():
    x = pca_like_features()
    assert (x < 0).any(axis=1).all() and (x > 0).any(axis=1).all()  # mixed signs in every sample
    assert np.abs(x[-1]).min() < 1e-6  # one component almost zero


@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "compiled"])
def test_layer_equals_templates_on_signed_features(compiled):
    layer, out, gw, gx = run_layer(compiled)
    ref_out, ref_gw, ref_gx = reference()
    np.testing.assert_allclose(out, ref_out, atol=1e-8)
    np.testing.assert_allclose(gw, ref_gw, atol=1e-6)
    assert np.isfinite(gx).all()
    assert np.abs(gw).max() > 1e-3 and np.abs(gx).max() > 1e-3  # not a comparison of zeros
    # The input gradients agree everywhere except at the near-zero component: there the
    # template's angle 2 arcsin(sqrt(r)) has r within 1e-13 of 1, where arcsin(sqrt(.)) is
    # ill-conditioned, and its gradient is off by ~1e-4.  The layer computes the same
    # rotation from sqrt(r) and sqrt(1 - r) directly and matches a finite difference.
    others = np.ones(gx.shape, bool)
    others[NEAR_ZERO] = False
    np.testing.assert_allclose(gx[others], ref_gx[others], atol=1e-6)
    assert abs(gx[NEAR_ZERO] - ref_gx[NEAR_ZERO]) < 1e-3
    h = 5e-8  # smaller than the component: its sign stays the same
    x = pca_like_features()[NEAR_ZERO[0]]
    step = np.zeros_like(x)
    step[NEAR_ZERO[1]] = h
    values = np.asarray(layer(np.stack([x + step, x - step]))) @ PROBE
    assert abs(gx[NEAR_ZERO] - (values[0] - values[1]) / (2 * h)) < 1e-5
