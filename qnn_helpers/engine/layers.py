"""Engine: ``QuantumLayer``, a Keras 3 layer that runs the re-uploading circuit on a batch.

Proven equal to chapter 04's ``PostLayer`` (notebooks/04_four_label_training.ipynb, the
cell marked ``#@save``) by ``tests/test_lessons.py`` (outputs and gradients, eager and XLA),
and to the template circuit for every option, on TensorFlow and JAX, by
``tests/test_layers.py`` and ``tests/test_signed_features.py``.  One QNode (backprop, the
interface of Keras' backend) simulates the whole batch as one broadcast state vector.
"""

from typing import Any

import keras
import numpy as np
from keras import ops

from qnn_helpers.engine import circuits

#: The QNode interface of each Keras backend the layer runs on.
INTERFACES = {"tensorflow": "tf", "jax": "jax"}

if keras.backend.backend() == "jax":
    import jax

    jax.config.update("jax_enable_x64", True)  # the simulation computes in float64


@keras.saving.register_keras_serializable(package="qnn_helpers")
class QuantumLayer(keras.layers.Layer):
    """Re-uploading quantum circuit as a Keras layer: features → ⟨Z⟩ values (or a richer readout).

    The arguments are :func:`~qnn_helpers.engine.circuits.reuploading_circuit`'s (``n_qubits``
    1 to :data:`~qnn_helpers.engine.circuits.MAX_QUBITS`).  A batch whose size TensorFlow does
    not know while tracing (e.g. ``fit``'s last) is padded to a multiple of ``chunk_size``
    and simulated chunk by chunk: PennyLane needs the broadcast size as a number.
    """

    def __init__(self, n_qubits: int = 6, n_layers: int = 8, upload_every: int = 2,
                 encoding: circuits.Encoding = "amplitude", chunk_size: int = 32,
                 readout: circuits.Readout = "z", cnot_ranges: circuits.CnotRanges = "post",
                 **kwargs: Any) -> None:
        kwargs.setdefault("dtype", "float64")
        super().__init__(**kwargs)
        self.n_qubits = circuits.check_n_qubits(n_qubits)
        circuits.upload_layers(n_layers, upload_every)  # validates the numbers
        circuits.check_choice("encoding", encoding, circuits.ENCODINGS)
        circuits.layer_ranges(n_layers, n_qubits, cnot_ranges)  # validates the name
        self.n_layers = n_layers
        self.upload_every = upload_every
        self.encoding = encoding
        self.chunk_size = int(chunk_size)
        self.readout = readout
        self.cnot_ranges = cnot_ranges
        self.n_outputs = circuits.readout_size(n_qubits, readout)
        self.n_features = 2**n_qubits if encoding == "amplitude" else n_qubits
        # ⟨Z_i⟩ (and ⟨Z_i Z_j⟩) are the probabilities times a ±1 parity matrix (tested equal)
        self.parities = None if readout == "probs" else circuits.parity_matrix(n_qubits, readout)
        if (backend := keras.backend.backend()) not in INTERFACES:
            raise RuntimeError(f"QuantumLayer runs on Keras' {' or '.join(INTERFACES)} backend, "
                               f"not {backend!r}: set KERAS_BACKEND before Keras is imported")
        self.qnode = circuits.make_qnode(n_qubits, upload_every, encoding, compact=True,
                                         interface=INTERFACES[backend], readout="probs",
                                         fuse_layers=True, cnot_ranges=cnot_ranges)
        self.circuit_weights = self.add_weight(
            name="circuit_weights", shape=circuits.weight_shape(n_layers, n_qubits),
            initializer=keras.initializers.RandomUniform(0.0, 2 * np.pi), trainable=True)
        self.built = True  # every weight exists; the input shape is checked in call

    def _check_input_shape(self, input_shape: tuple[int | None, ...]) -> None:
        if input_shape[-1] != self.n_features:
            raise ValueError(f"{self.encoding} encoding on {self.n_qubits} qubits needs "
                             f"{self.n_features} features per sample, got input shape "
                             f"{tuple(input_shape)}")

    def _simulate(self, x: Any, weights: Any) -> Any:
        """Run the QNode on a batch whose size is a known number."""
        probs = ops.real(self.qnode(x, weights))
        return probs if self.parities is None else ops.matmul(probs, self.parities)

    def call(self, inputs: Any) -> Any:
        self._check_input_shape(inputs.shape)
        x = ops.cast(inputs, "float64")
        # a tensor, not the Keras variable: PennyLane dispatches on tensors
        weights = ops.cast(self.circuit_weights, "float64")
        if x.shape[0] is not None:
            out = self._simulate(x, weights)
        else:
            out = self._simulate_in_chunks(x, weights)
        return ops.cast(out, self.compute_dtype)

    def _simulate_in_chunks(self, x: Any, weights: Any) -> Any:
        """Pad an unknown-size batch (TensorFlow graphs only) to whole chunks, simulated in turn."""
        import tensorflow as tf  # JAX traces with known shapes: it never comes here

        size, chunk = tf.shape(x)[0], self.chunk_size
        n_chunks = (size + chunk - 1) // chunk
        # Pad with ones, not zeros: a zero vector cannot be normalised (NaN gradients).
        padded = tf.pad(x, [[0, n_chunks * chunk - size], [0, 0]], constant_values=1.0)
        chunks = tf.reshape(padded, [n_chunks, chunk, self.n_features])
        out = tf.map_fn(lambda xb: self._simulate(xb, weights), chunks,
                        fn_output_signature=tf.TensorSpec([chunk, self.n_outputs], tf.float64))
        return tf.reshape(out, [n_chunks * chunk, self.n_outputs])[:size]

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, int]:
        self._check_input_shape(input_shape)
        return (input_shape[0], self.n_outputs)

    def get_config(self) -> dict[str, Any]:
        names = ("n_qubits", "n_layers", "upload_every", "encoding", "chunk_size", "readout",
                 "cnot_ranges")
        return super().get_config() | {name: getattr(self, name) for name in names}


def qnode_weights(layer: QuantumLayer) -> np.ndarray:
    """The layer's circuit weights as a numpy array, for plain PennyLane QNodes."""
    return np.asarray(keras.ops.convert_to_numpy(layer.circuit_weights), dtype=np.float64)
