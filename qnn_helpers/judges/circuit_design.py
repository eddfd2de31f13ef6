"""Judges of chapter 02's pieces (notebooks/02_circuit_design.ipynb): ``post_normalize`` and
``post_circuit``.

``post_circuit`` has one right output, the template's ⟨Z⟩ (``circuits.make_qnode``), so it
is compared with it; a wrong output is then recomputed as each typical mistake would give
it (wires reversed, the features uploaded before every layer, the wrong number of layers,
…), and the mistake it equals is named.
"""

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pennylane as qml

from qnn_helpers.checks import Mistake
from qnn_helpers.engine import circuits

N_QUBITS, N_LAYERS = 6, 8
#: the post's floor of the squared length
FLOOR = circuits.POST_MIN_NORM_SQUARED
ATOL = 1e-6


def _features(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.05, 1.0, 2**N_QUBITS)


def _close(a: Any, b: Any) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, atol=ATOL, rtol=0))


def _post(x: np.ndarray) -> np.ndarray:
    return x / np.sqrt(max(np.sum(x**2), FLOOR))


def post_normalize(normalize: Callable) -> str:
    """``normalize(x)`` = ``x / sqrt(max(Σx², 0.001))``: length 1, and below a squared length
    of 0.001 the floor; typical wrong divisors and a missing or misplaced floor named."""
    x = _features()
    got = np.asarray(normalize(x), dtype=float)
    if got.shape != x.shape:
        raise Mistake(f"returns shape {got.shape} for 64 features: expected 64 numbers, "
                      "the features divided by one number")
    if not _close(got, _post(x)):
        norm = np.sqrt(np.sum(x**2))
        wrong = {
            "returns the features unchanged: divide them by their length": x,
            "divides by the squared length Σx²: take its square root": x / norm**2,
            "divides by the sum of the features: divide by the length, the square root of "
            "the sum of their squares": x / np.sum(np.abs(x)),
            "divides by the largest feature: divide by the length, the square root of the "
            "sum of their squares": x / np.max(np.abs(x)),
            "multiplies by the length: divide by it": x * norm,
        }
        for message, value in wrong.items():
            if _close(got, value):
                raise Mistake(message)
        raise Mistake(f"the result has length {np.linalg.norm(got):.4g}, expected 1: divide "
                      "the features by the square root of the sum of their squares")
    for scale in (1e-5, 1e-3):  # squared lengths about 2e-9 and 2e-5, below the floor
        tiny = scale * x
        got = np.asarray(normalize(tiny), dtype=float)
        squared = np.sum(tiny**2)
        if _close(got, _post(tiny)):
            continue
        if _close(got, tiny / np.sqrt(squared)):
            raise Mistake(f"features of squared length {squared:.2g} come out of length 1: "
                          "the post floors the squared length at 0.001 before the square "
                          "root (the larger of Σx² and 0.001)")
        if _close(got, tiny / max(np.sqrt(squared), FLOOR)):
            raise Mistake("the floor 0.001 is applied to the length; the post applies it "
                          "to the squared length Σx², before the square root")
        raise Mistake(f"features of squared length {squared:.2g} (below the floor 0.001) "
                      f"give length {np.linalg.norm(got):.3g}, expected "
                      f"{np.sqrt(squared / FLOOR):.3g}: divide by sqrt(max(Σx², 0.001))")
    zeros = np.asarray(normalize(np.zeros(2**N_QUBITS)), dtype=float)
    if not np.all(np.isfinite(zeros)):
        raise Mistake("all-zero features give NaN: floor the squared length at 0.001")
    signs = np.where(np.arange(x.size) % 3 == 0, -1.0, 1.0)
    if not _close(normalize(signs * x), _post(signs * x)):
        raise Mistake("negative features are normalised wrongly: square them (Σx²), do not "
                      "sum them")
    return "divides by sqrt(max(Σx², 0.001)): length 1, and the floor below 0.001"


def _variant(x: Any, weights: Any, uploads: Sequence[int] = (0, 2, 4, 6),
             n_layers: int = N_LAYERS, per_call: int = 1,
             encode_wires: Sequence[int] = range(N_QUBITS),
             layer_wires: Sequence[int] = range(N_QUBITS),
             measured: Sequence[int] = range(N_QUBITS)) -> Any:
    """The post's circuit, or one of its typical mistakes (the compact encoding: the same
    unitary as the template, faster)."""
    encode = circuits.compact_mottonen_ops(x, N_QUBITS)
    for i in range(0, n_layers, per_call):
        if i in uploads:
            encode(list(encode_wires))
        qml.StronglyEntanglingLayers(weights[i:i + per_call], wires=list(layer_wires))
    return [qml.expval(qml.PauliZ(w)) for w in measured]


REVERSED = range(N_QUBITS - 1, -1, -1)
#: message: how :func:`_variant` computes that mistake
MISTAKES: dict[str, dict[str, Any]] = {
    # the whole circuit on wires 5 … 0 is the circuit with its outputs listed 5 … 0
    "the wires are reversed: the ⟨Z⟩ come in the order of wires 5 … 0 (either the circuit "
    "runs on wires 5 … 0, or the ⟨Z⟩ are listed from wire 5): use wires 0 … 5 throughout": {
        "measured": REVERSED},
    "the uploads run on the wires reversed (5 … 0): encode on wires 0 … 5, as the layers": {
        "encode_wires": REVERSED},
    "the features are uploaded before every layer (8 uploads): upload them before every "
    "second layer only, layers 0, 2, 4, 6": {"uploads": range(N_LAYERS)},
    "the features are uploaded once, before layer 0: upload them before layers 0, 2, 4 "
    "and 6": {"uploads": (0,)},
    "the features are uploaded before layers 1, 3, 5, 7: upload them before layers 0, 2, "
    "4 and 6 (the first upload comes first)": {"uploads": (1, 3, 5, 7)},
    "two layers per StronglyEntanglingLayers call (the second then has CNOT range 2): call "
    "it once per layer, with that layer's weights only": {"per_call": 2},
    **{f"{n} entangling layers instead of 8: one StronglyEntanglingLayers call per layer, "
       "for all 8 layers of weights": {"n_layers": n, "uploads": range(0, n, 2)}
       for n in (4, 6, 7)},
}


def _why(exc: Exception) -> str | None:
    """A typical mistake behind an error PennyLane raises, if it is one."""
    text = str(exc)
    if "norm" in text and "1.0" in text:
        return ("the uploaded vector does not have length 1 (PennyLane: "
                f"{text[:70]}): upload post_normalize(x), not x")
    if "Weights tensor must have" in text:
        return ("StronglyEntanglingLayers got weights of the wrong shape (PennyLane: "
                f"{text[:60]}): pass one layer's weights as a slice of shape (1, 6, 3), "
                "weights[i:i + 1], not weights[i]")
    return None


def post_circuit(circuit: Callable) -> str:
    """``circuit(x, weights)`` run as a QNode on 6 wires gives the template's six ⟨Z⟩ for
    random positive features and weights; else the typical mistake it equals is named."""
    dev = qml.device("default.qubit", wires=N_QUBITS)
    shape = circuits.weight_shape(N_LAYERS, N_QUBITS)
    cases = [(_features(seed), np.random.default_rng(seed).uniform(0, 2 * np.pi, shape))
             for seed in (1, 2)]
    try:
        got = [np.asarray(qml.QNode(circuit, dev)(x, w)) for x, w in cases]
    except ValueError as exc:
        why = _why(exc)
        if why is None:
            raise
        raise Mistake(why) from exc
    if np.iscomplexobj(got[0]) or got[0].shape != (N_QUBITS,):
        raise Mistake(f"returns {got[0].size} number(s) of shape {got[0].shape} (dtype "
                      f"{got[0].dtype}): return a list of 6 expectation values, ⟨Z⟩ of "
                      "wires 0 … 5")
    template = circuits.make_qnode(N_QUBITS, upload_every=2, compact=True)
    want = [np.asarray(template(x, w)) for x, w in cases]
    if all(_close(g, t) for g, t in zip(got, want, strict=True)):
        return ("gives the template's six ⟨Z⟩ on two random sets of features and weights "
                "(4 uploads, 8 layers of range 1)")
    for message, options in MISTAKES.items():
        variant = qml.QNode(lambda x, w, o=options: _variant(x, w, **o), dev)
        if all(_close(g, variant(x, w)) for g, (x, w) in zip(got, cases, strict=True)):
            raise Mistake(f"your ⟨Z⟩ are the template's with this mistake: {message}")
    diff = max(np.max(np.abs(g - t)) for g, t in zip(got, want, strict=True))
    raise Mistake(f"your ⟨Z⟩ differ from the template's by up to {diff:.3g}, and from each "
                  "typical mistake's: check the order (an upload before layers 0, 2, 4, 6; "
                  "one StronglyEntanglingLayers call per layer; ⟨Z⟩ of wires 0 … 5)")
