"""From the trained Keras model to a plain PennyLane circuit that runs on any device.

Real quantum computers differ from our simulator in three ways that this
module makes measurable:

* **shots**: ⟨Z⟩ is estimated from a finite number of measurements;
* **noise**: every gate is imperfect (modelled here as a depolarizing channel
  after each gate, simulated with ``default.mixed``);
* **cost**: gradients need extra circuit executions (parameter shift) instead
  of backpropagation through a simulation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
import pennylane as qml

from qnn_helpers import circuits
from qnn_helpers.layers import QuantumLayer, qnode_weights

ELEMENTARY_GATES = {"RY", "RZ", "CNOT", "Rot"}


@dataclass
class ExportedClassifier:
    """The trained weights of a hybrid model, outside Keras.

    ``circuit_weights`` feed :func:`qnn_helpers.circuits.reuploading_circuit`
    (the template form, as a hardware run would compile it); ``kernel`` and
    ``bias`` are the softmax layer's.
    """

    circuit_weights: np.ndarray
    kernel: np.ndarray
    bias: np.ndarray
    n_qubits: int
    upload_every: int
    encoding: str

    def qnode(self, device: Any) -> qml.QNode:
        """The circuit on ``device`` (template encoding, ``<Z>`` readout)."""
        return circuits.make_qnode(self.n_qubits, self.upload_every, self.encoding,
                                   device=device, diff_method=None, interface="numpy")

    def probabilities(self, features: np.ndarray, device: Any, shots: int | None = None
                      ) -> np.ndarray:
        """Class probabilities of a batch of feature vectors, circuit run on ``device``.

        ``shots=None`` gives exact expectation values; a number estimates each
        ⟨Z⟩ from that many measurements.
        """
        qnode = self.qnode(device)
        if shots is not None:
            qnode = qml.set_shots(qnode, shots=shots)
        z = np.stack(qnode(features, self.circuit_weights), axis=-1)
        return softmax(np.asarray(z, dtype=np.float64) @ self.kernel + self.bias)

    def accuracy(self, features: np.ndarray, labels: np.ndarray, device: Any,
                 shots: int | None = None) -> float:
        """Fraction of ``features`` classified as ``labels`` with the circuit on ``device``."""
        probs = self.probabilities(features, device, shots)
        return float(np.mean(probs.argmax(axis=1) == labels))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def export_classifier(model: keras.Model) -> ExportedClassifier:
    """Take the circuit and softmax weights out of a model from ``build_hybrid_model``."""
    layer = model.get_layer("quantum")
    if not isinstance(layer, QuantumLayer) or layer.readout != "z":
        raise ValueError("export needs a model with a QuantumLayer named 'quantum' and 'z' readout")
    dense = model.get_layer("classifier")
    kernel, bias = (np.asarray(w, dtype=np.float64) for w in dense.get_weights())
    return ExportedClassifier(qnode_weights(layer), kernel, bias, layer.n_qubits,
                              layer.upload_every, layer.encoding)


def noisy_device(n_qubits: int, p: float, gates: set[str] | None = None) -> Any:
    """``default.mixed`` with a depolarizing channel of strength ``p`` after every gate.

    The circuit is first decomposed into RY, RZ, CNOT and Rot; the channel then
    acts on each wire a gate touched.  ``gates`` (e.g. ``{"CNOT"}``) restricts
    the noise to those gates.
    """
    dev = qml.device("default.mixed", wires=n_qubits)
    if p == 0:
        return dev

    @qml.transform
    def depolarize(tape):
        [expanded], _ = qml.transforms.decompose(tape, gate_set=ELEMENTARY_GATES)
        ops = []
        for op in expanded.operations:
            ops.append(op)
            if gates is None or op.name in gates:
                ops += [qml.DepolarizingChannel(p, wires=w) for w in op.wires]
        return [expanded.copy(operations=ops)], lambda results: results[0]

    return depolarize(dev)


def parameter_shift_executions(n_samples: int, n_circuit_params: int) -> int:
    """Circuit executions for one epoch with parameter-shift gradients.

    Per sample: one forward run, and two shifted runs per circuit parameter
    (every parameter of Rot and RY gates obeys the two-term shift rule).
    """
    return n_samples * (1 + 2 * n_circuit_params)
