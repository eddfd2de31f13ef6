"""The post's circuit written out by hand, and how the tests compare the fast layer with it.

Shared by ``test_layers.py`` and ``test_signed_features.py``: the reference is a plain
``default.qubit`` QNode of the templates, run one sample at a time with PennyLane's own
(autograd) interface, the same whichever Keras backend runs the layer; both sides are
compared on the gradient of a fixed ``probe · outputs``.  The layer runs on Keras'
backend (``KERAS_BACKEND``: TensorFlow, or JAX), eagerly or compiled.
"""

import functools
import hashlib
import os
import pathlib
import pickle
import warnings

import keras
import numpy as np
import pennylane as qml
from autograd import make_vjp
from pennylane import numpy as pnp

try:
    import fcntl  # POSIX: a lock file orders the passes; elsewhere each computes its own
except ImportError:
    fcntl = None


def post_circuit(x, weights, upload_every=2, encoding="amplitude", readout="z",
                 cnot_ranges="post"):
    """The post's circuit written out by hand from the templates (not through circuits)."""
    n = weights.shape[1]
    wires = list(range(n))
    for i in range(weights.shape[0]):
        if i % upload_every == 0:
            if encoding == "amplitude":
                qml.MottonenStatePreparation(x / qml.math.sqrt(qml.math.sum(x**2)), wires=wires)
            else:
                qml.AngleEmbedding(np.pi * x, wires=wires, rotation="Y")
        if cnot_ranges == "post":  # one layer per call: CNOT range 1
            qml.StronglyEntanglingLayers(weights[i:i + 1], wires=wires)
        elif cnot_ranges == "none":  # the same Rot gates, no CNOTs
            for w in wires:
                qml.Rot(*weights[i, w], wires=w)
        else:  # the ranges one many-layer call would give this layer
            qml.StronglyEntanglingLayers(weights[i:i + 1], wires=wires, ranges=[i % (n - 1) + 1])
    out = [qml.probs(wires=wires)] if readout in ("probs", "all") else []
    if readout in ("z", "zz", "all"):
        out += [qml.expval(qml.PauliZ(w)) for w in wires]
    if readout in ("zz", "all"):
        out += [qml.expval(qml.PauliZ(a) @ qml.PauliZ(b)) for a in wires for b in wires[a + 1:]]
    return out[0] if readout == "probs" else out


#: Where each readout sits in the outputs of ``post_circuit(..., readout="all")``
#: (64 probabilities, then 6 ⟨Z⟩, then 15 ⟨ZZ⟩; "zz" is ⟨Z⟩ and ⟨ZZ⟩).
ALL_READOUTS = {"probs": slice(0, 64), "z": slice(64, 70), "zz": slice(64, 85)}


def reference_run(circuit, features, weights, probe):
    """Outputs, weight gradient (summed over samples) and input gradients of ``circuit``,
    a hand-written quantum function, as a plain backprop QNode, one sample at a time."""
    return reference_runs(circuit, features, weights, {"all": (slice(None), probe)})["all"]


def reference_runs(circuit, features, weights, probes):
    """:func:`reference_run` for several readouts of one simulation per sample.

    ``circuit`` may return several readouts at once (``readout="all"``); ``probes`` maps
    a name to ``(slice of the flattened outputs, probe)``.  Returns ``{name: (outputs,
    weight gradient summed over samples, input gradients)}`` of that slice, the gradients
    those of ``probe · outputs``.
    """
    key = _reference_key(circuit, features, weights, probes)
    cached = _reference_cache(key)
    if cached is None or fcntl is None:
        return _reference_runs(circuit, features, weights, probes)
    # one process computes a reference while another that needs it waits (the TensorFlow
    # and the JAX passes run side by side), then reads it
    with open(cached.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if cached.exists():
            return pickle.loads(cached.read_bytes())
        runs = _reference_runs(circuit, features, weights, probes)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps(runs))
        partial.replace(cached)
        return runs


def _reference_key(circuit, features, weights, probes) -> str:
    """What a reference run depends on: this file, PennyLane's version, the circuit and
    its keywords, the inputs and the probes."""
    digest = hashlib.sha256(pathlib.Path(__file__).read_bytes())
    func = circuit.func if isinstance(circuit, functools.partial) else circuit
    keywords = sorted(circuit.keywords.items()) if isinstance(circuit, functools.partial) else []
    digest.update(repr((qml.__version__, func.__qualname__, keywords)).encode())
    for array in (features, weights):
        digest.update(np.ascontiguousarray(array, dtype=np.float64).tobytes())
    for name, (part, probe) in sorted(probes.items()):
        digest.update(repr((name, part)).encode() + np.asarray(probe, np.float64).tobytes())
    return digest.hexdigest()[:32]


def _reference_cache(key: str) -> pathlib.Path | None:
    """Where a reference run is kept between the test command's passes (TensorFlow and
    JAX): the tests' cache folder (``QNN_CACHE_DIR``), or nowhere when it is not set."""
    folder = os.environ.get("QNN_CACHE_DIR")
    if not folder:
        return None
    path = pathlib.Path(folder) / "circuit-references"
    path.mkdir(parents=True, exist_ok=True)
    return path / f"{key}.pickle"


def _reference_runs(circuit, features, weights, probes):
    qnode = qml.QNode(circuit, qml.device("default.qubit", wires=weights.shape[1]),
                      interface="autograd", diff_method="backprop")

    def flat(x, w):
        result = qnode(x, w)
        parts = result if isinstance(result, (list, tuple)) else [result]
        return pnp.concatenate([pnp.reshape(o, (-1,)) for o in parts])

    runs = {name: ([], [], []) for name in probes}
    # probabilities are the real part of |amplitude|**2: autograd's cast of it is no loss
    with warnings.catch_warnings(action="ignore", category=np.exceptions.ComplexWarning):
        for f in features:
            vjp, out = make_vjp(flat, argnum=(0, 1))(pnp.array(f), pnp.array(weights))
            out = np.asarray(out)
            for name, (part, probe) in probes.items():
                cotangent = np.zeros_like(out)
                cotangent[part] = probe
                gx, gw = vjp(cotangent)
                runs[name][0].append(out[part])
                runs[name][1].append(np.asarray(gw))
                runs[name][2].append(np.asarray(gx))
    return {name: (np.array(outs), np.sum(gws, axis=0), np.array(gxs))
            for name, (outs, gws, gxs) in runs.items()}


def layer_run(layer, features, probe, compiled):
    """Outputs, weight gradient and input gradients of ``layer`` on the batch ``features``.

    Compiled: on TensorFlow, XLA with an unknown batch size while tracing, as Keras traces
    a fit with a partial last batch, and its compiled evaluate and predict; on JAX,
    ``jax.jit`` (it traces with the batch's shape).
    """
    return layer_runs([(layer, probe)], features, compiled)[0]


def layer_runs(layers, features, compiled):
    """:func:`layer_run` for several ``(layer, probe)`` pairs on the same ``features``.

    Returns one ``(outputs, weight gradient, input gradients)`` per layer."""
    return layer_runner(layers, compiled)(features)


def layer_runner(layers, compiled):
    """The function ``features -> layer_runs(layers, features, compiled)``.

    Compiled, every layer runs in one traced function (each with its own gradient tape or
    ``jax.value_and_grad``), and calls with the same batch size reuse its compilation: the
    layers' weights are read when it is called. One XLA compilation then serves several
    layers, or several batches, instead of one each (seconds beyond the arithmetic)."""
    if keras.backend.backend() == "jax":
        return _layer_runner_jax(layers, compiled)
    import tensorflow as tf

    def run(x):
        results = []
        for layer, probe in layers:
            with tf.GradientTape() as tape:
                tape.watch(x)
                out = layer(x)
                scalar = tf.reduce_sum(out * probe)
            gx, gw = tape.gradient(scalar, [x, layer.circuit_weights])
            results.append((out, gw, gx))
        return results

    if compiled:
        n_features = {layer.n_features for layer, _ in layers}.pop()
        spec = tf.TensorSpec([None, n_features], tf.float64)
        run = tf.function(run, input_signature=[spec], jit_compile=True)
    return lambda features: [tuple(a.numpy() for a in result)
                             for result in run(tf.constant(features))]


def _layer_runner_jax(layers, compiled):
    import jax

    def run(x, weights):
        results = []
        for (layer, probe), w in zip(layers, weights, strict=True):
            def scalar(x, w, layer=layer, probe=probe):
                out, _ = layer.stateless_call([w], [], x)
                return (out * probe).sum(), out

            (_, out), (gx, gw) = jax.value_and_grad(scalar, argnums=(0, 1), has_aux=True)(x, w)
            results.append((out, gw, gx))
        return results

    if compiled:
        run = jax.jit(run)

    def call(features):
        weights = [keras.ops.convert_to_tensor(layer.circuit_weights) for layer, _ in layers]
        return [tuple(np.asarray(a) for a in result)
                for result in run(jax.numpy.asarray(features), weights)]

    return call
