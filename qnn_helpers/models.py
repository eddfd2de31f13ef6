"""The hybrid model of the original post: ``QuantumLayer → Dense(n_classes, softmax)``."""

from __future__ import annotations

from typing import Any

import keras
import numpy as np

from qnn_helpers import circuits
from qnn_helpers.layers import FeatureScaling, QuantumLayer


@keras.saving.register_keras_serializable(package="qnn_helpers")
class HybridModel(keras.Sequential):
    """``keras.Sequential`` whose first ``evaluate`` and ``predict`` compile once, quickly.

    Training runs XLA-compiled.  XLA compiles one program per batch shape, so a
    ``predict`` whose last batch is smaller would compile twice: ``predict`` pads a
    NumPy input to whole batches (the padded rows are dropped from the result).
    ``evaluate`` runs as a plain TensorFlow graph, which serves every batch size
    without a new compilation.  Results are the same; only the waiting changes.
    """

    def make_test_function(self, force: bool = False) -> Any:
        jit_compile = self.jit_compile
        self.jit_compile = False
        try:
            return super().make_test_function(force)
        finally:
            self.jit_compile = jit_compile

    def predict(self, x: Any, batch_size: int | None = None, **kwargs: Any) -> Any:
        if not isinstance(x, np.ndarray) or len(x) == 0:
            return super().predict(x, batch_size=batch_size, **kwargs)
        size = batch_size or 32
        missing = -len(x) % size
        padded = np.concatenate([x, np.repeat(x[-1:], missing, axis=0)]) if missing else x
        return super().predict(padded, batch_size=size, **kwargs)[: len(x)]


def build_hybrid_model(
    n_classes: int,
    n_qubits: int = 6,
    n_layers: int = 8,
    upload_every: int = 2,
    learning_rate: float | keras.optimizers.schedules.LearningRateSchedule = 0.01,
    encoding: circuits.Encoding = "amplitude",
    chunk_size: int = 32,
    jit_compile: bool = True,
    readout: circuits.Readout = "z",
    hidden_units: int = 0,
    input_scaling: bool = False,
    steps_per_execution: int = 32,
    cnot_ranges: circuits.CnotRanges = "post",
    freeze_circuit: bool = False,
) -> keras.Model:
    """Compiled hybrid classifier on reduced features.

    Input: ``2**n_qubits`` features (amplitude encoding) or ``n_qubits`` (angle).
    The quantum layer measures ``<Z>`` on every qubit; a Dense softmax layer maps
    those ``n_qubits`` numbers to class probabilities.  Adam, categorical
    cross-entropy, categorical accuracy; XLA-compiled (``jit_compile=True``) by default.

    ``readout`` chooses what the circuit hands to the classical part (``"z"``: the
    post's 6 numbers; ``"zz"``: plus the 15 pair correlators; ``"probs"``: 64
    probabilities); ``hidden_units > 0`` puts a ReLU layer between circuit and softmax;
    ``input_scaling`` puts trainable per-feature scales in front of the encoding.
    ``learning_rate`` may be a Keras schedule.  ``cnot_ranges="cycling"`` gives the
    entangling layers the ranges of one 8-layer template call instead of the post's 1
    (``"none"``: no CNOTs).  ``freeze_circuit=True`` keeps the circuit's random initial
    weights (only the classical layers train): an ablation.

    ``steps_per_execution`` batches run per call into the compiled graph (Keras
    then reports progress to batch-level callbacks every that many batches; epochs,
    results and the last partial batch are unchanged).  The steps of this small
    model are so short that the per-call overhead would otherwise dominate.
    """
    if n_classes < 2:
        raise ValueError(f"n_classes must be at least 2, got {n_classes}")
    quantum = QuantumLayer(n_qubits, n_layers, upload_every, encoding, chunk_size=chunk_size,
                           readout=readout, cnot_ranges=cnot_ranges, name="quantum",
                           trainable=not freeze_circuit)
    hidden = [keras.layers.Dense(hidden_units, activation="relu", name="hidden")
              ] if hidden_units else []
    model = HybridModel(
        [
            keras.Input((quantum.n_features,)),
            *([FeatureScaling(name="scaling")] if input_scaling else []),
            quantum,
            *hidden,
            keras.layers.Dense(n_classes, activation="softmax", name="classifier"),
        ],
        name="hybrid",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="categorical_crossentropy",
        metrics=["categorical_accuracy"],
        jit_compile=jit_compile,
        steps_per_execution=steps_per_execution,
    )
    return model
