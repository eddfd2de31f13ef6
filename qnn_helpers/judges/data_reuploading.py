"""Judges of chapter 03's piece (notebooks/03_data_reuploading.ipynb): ``one_qubit_circuit``.

The circuit has one right output, ⟨Z⟩ after ``RY(π x)`` then ``Rot(*w)`` for every row ``w``
of the weights, so it is compared with it; a wrong output is then recomputed as each typical
mistake would give it (the rotation before the upload, ``RY(x)`` without π, …) and the
mistake it equals is named.
"""

from collections.abc import Callable

import numpy as np
import pennylane as qml
from pennylane import numpy as pnp

from qnn_helpers.checks import Mistake

ATOL = 1e-8
#: the inputs the judge uploads, all at once (parameter broadcasting, as the chapter's fit)
X = np.linspace(-1, 1, 7)


def _variant(weights, x, order="upload first", angle=np.pi, gate="RY", uploads="every"):
    """The chapter's circuit, or one of its typical mistakes."""
    upload = getattr(qml, gate)
    if uploads == "once":
        upload(angle * x, wires=0)
    for w in weights:
        if order == "upload first" and uploads == "every":
            upload(angle * x, wires=0)
        qml.Rot(*w, wires=0)
        if order == "rotation first" and uploads == "every":
            upload(angle * x, wires=0)
    return qml.expval(qml.PauliZ(0))


#: message: how :func:`_variant` computes that mistake
MISTAKES = {
    "the trainable rotation comes before the upload: upload x first, then rotate, in every "
    "round": {"order": "rotation first"},
    "the upload is RY(x), without π: upload RY(π x), so that x in [-1, 1] turns the qubit "
    "by up to half a turn either way": {"angle": 1.0},
    "the upload is RY(π x / 2): upload RY(π x)": {"angle": np.pi / 2},
    "the upload is RX(π x): upload with RY": {"gate": "RX"},
    "x is uploaded once, before all the rotations: upload it again before every rotation "
    "(one upload per row of weights)": {"uploads": "once"},
}


def _weights(n_uploads: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0, 2 * np.pi, (n_uploads, 3))


def one_qubit_circuit(circuit: Callable) -> str:
    """``circuit(weights, x)`` run as a QNode on one wire gives ⟨Z⟩ after ``RY(π x)`` then
    ``Rot(*w)`` for each row ``w`` of ``weights``, for 1, 2 and 3 uploads, with a gradient
    for the weights; else the typical mistake it equals is named."""
    dev = qml.device("default.qubit", wires=1)
    qnode, reference = qml.QNode(circuit, dev), qml.QNode(_variant, dev)
    cases = [_weights(n, seed=n) for n in (1, 2, 3)]
    got = [np.asarray(qnode(w, X)) for w in cases]
    first = got[0]
    if np.iscomplexobj(first) and first.shape == (len(X), 2):
        raise Mistake("returns the state (two amplitudes per input): return ⟨Z⟩, the "
                      "expectation value of PauliZ")
    if first.shape == (len(X), 2):
        raise Mistake("returns the probabilities P(0), P(1): return ⟨Z⟩ = P(0) - P(1), the "
                      "expectation value of PauliZ")
    if first.shape != X.shape or np.iscomplexobj(first):
        raise Mistake(f"returns shape {first.shape} for {len(X)} inputs x: return one "
                      "expectation value, ⟨Z⟩ (qml.expval of PauliZ), which broadcasts over x")
    want = [np.asarray(reference(w, X)) for w in cases]
    if not all(np.allclose(g, t, atol=ATOL, rtol=0) for g, t in zip(got, want, strict=True)):
        for message, options in MISTAKES.items():
            variant = qml.QNode(lambda w, x, o=options: _variant(w, x, **o), dev)
            if all(np.allclose(g, variant(w, X), atol=ATOL, rtol=0)
                   for g, w in zip(got, cases, strict=True)):
                raise Mistake(f"your ⟨Z⟩ are those of this mistake: {message}")
        diff = max(np.max(np.abs(g - t)) for g, t in zip(got, want, strict=True))
        raise Mistake(f"your ⟨Z⟩ differ by up to {diff:.3g} from those of RY(π x) then "
                      "Rot(*w) for each row w of the weights (and from each typical "
                      "mistake's): check the gates and their order")
    weights = pnp.array(cases[2], requires_grad=True)
    theirs = qml.grad(lambda w: pnp.sum(reference(w, X)))(weights)
    try:
        mine = np.asarray(qml.grad(lambda w: pnp.sum(qnode(w, X)))(weights))
    except (TypeError, ValueError):  # autograd finds no path from the weights
        mine = np.zeros(0)
    if mine.shape != theirs.shape or not np.allclose(mine, theirs, atol=1e-6):
        raise Mistake("⟨Z⟩ is right but has no gradient for the weights, so training cannot "
                      "change them: use the rows of weights as given (no np.asarray or float copy)")
    return ("gives ⟨Z⟩ of RY(π x) then Rot(*w) per row w, for 1, 2 and 3 uploads, and its "
            "gradient")
