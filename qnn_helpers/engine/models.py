"""Engine: the hybrid model of the original post, ``QuantumLayer → Dense(n_classes, softmax)``.

Chapter 04 stacks its ``PostLayer`` (proven equal to ``QuantumLayer`` by
``tests/test_lessons.py``) and a softmax layer the same way; ``tests/test_models.py`` checks
``predict``, ``evaluate`` and ``ModelPool``'s reuse against the other way of running them.
"""

import inspect
from typing import Any

import keras
import numpy as np

from qnn_helpers import training
from qnn_helpers.engine import circuits
from qnn_helpers.engine.layers import QuantumLayer

#: Whether ``predict`` and ``evaluate`` run their steps eagerly: on TensorFlow, yes (compiling
#: takes seconds, for every model); on JAX, no (it compiles every eager operation for every
#: new shape, which takes longer than compiling the whole step).
EAGER_EVALUATION = keras.backend.backend() == "tensorflow"
#: Rows per batch of ``predict``, ``evaluate`` and ``fit``'s validation of NumPy data without a
#: batch size (Keras': 32): each batch is one simulation, an eager one ~0.1 s beyond its
#: arithmetic (TensorFlow), and JAX compiles once per batch shape, so few large ones are fast.
EVALUATION_BATCH_SIZE = 4096
LearningRate = float | keras.optimizers.schedules.LearningRateSchedule


def _refuse_non_finite(x: Any) -> None:
    """``ValueError`` if ``x`` is a NumPy array that holds NaN or infinite values."""
    if isinstance(x, np.ndarray) and not np.isfinite(x).all():
        rows = np.unique(np.nonzero(~np.isfinite(x))[0])
        raise ValueError(f"x holds NaN or infinite values in {len(rows)} rows (first: "
                         f"{rows[:5].tolist()}): check the data and the feature reduction")


def _batch_size(x: Any, batch_size: int | None, default: int | None = None) -> int | None:
    """The batch size given, else ``default`` or :data:`EVALUATION_BATCH_SIZE` for NumPy data."""
    if batch_size is None and isinstance(x, np.ndarray):
        return default or EVALUATION_BATCH_SIZE
    return batch_size


@keras.saving.register_keras_serializable(package="qnn_helpers")
class EagerEvaluation(keras.Sequential):
    """``keras.Sequential`` whose ``predict`` and ``evaluate`` (and ``fit``'s validation) are
    fast from their first call (:data:`EAGER_EVALUATION`, :data:`EVALUATION_BATCH_SIZE`).

    The first ``evaluate`` / ``predict`` of a new post's model on 4,000 test images take
    0.9 s / 0.6 s on TensorFlow (compiled: 4.2 s / 3.9 s; eager in batches of 256: 3.7 s /
    5.2 s) and 1.9 s / 1.6 s on JAX (compiled; eager: 7.7 s for the first shapes the process
    meets), measured on 2 cores.  All three refuse NumPy features with NaN or infinite values.

    At 10 qubits (1,024 amplitudes) the arithmetic dominates instead: eager steps evaluate
    about 330 images/s, compiled steps of 250 rows about 2,700 (TensorFlow, 2 cores, after a
    trace of ~5 s per batch shape). A model with ``compiled_evaluation`` compiles them, in
    batches of its ``evaluation_batch_size``.
    """

    #: compile predict and evaluate on TensorFlow too (JAX always compiles them)
    compiled_evaluation: bool = False
    #: rows per batch of NumPy data without a batch size (None: EVALUATION_BATCH_SIZE)
    evaluation_batch_size: int | None = None

    def fit(self, x: Any = None, y: Any = None, *args: Any,
            validation_batch_size: int | None = None, **kwargs: Any) -> Any:
        _refuse_non_finite(x)
        return super().fit(x, y, *args, **kwargs, validation_batch_size=(
            validation_batch_size or self.evaluation_batch_size or EVALUATION_BATCH_SIZE))

    def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = None,
                 *args: Any, **kwargs: Any) -> Any:
        _refuse_non_finite(x)  # also fit's validation features, after every epoch
        return super().evaluate(x, y, _batch_size(x, batch_size, self.evaluation_batch_size),
                                *args, **kwargs)

    def predict(self, x: Any, batch_size: int | None = None, *args: Any, **kwargs: Any) -> Any:
        _refuse_non_finite(x)
        return super().predict(x, _batch_size(x, batch_size, self.evaluation_batch_size),
                               *args, **kwargs)

    def build_training_state(self) -> None:
        """Create the optimizer's, loss's and metrics' variables after ``compile``: made in the
        first traced step, they would make TensorFlow trace it a second time."""
        self.optimizer.build(self.trainable_variables)
        y = np.zeros((1, *self.output_shape[1:]), dtype="float32")
        self.compute_loss(y=y, y_pred=y)
        self.compute_metrics(None, y, y)
        self.reset_metrics()

    def make_test_function(self, force: bool = False) -> Any:
        return self._evaluation_function(super().make_test_function, force)

    def make_predict_function(self, force: bool = False) -> Any:
        return self._evaluation_function(super().make_predict_function, force)

    def _evaluation_function(self, make: Any, force: bool) -> Any:
        """Keras' own step function, built as with ``run_eagerly=True`` on TensorFlow."""
        run_eagerly = self.run_eagerly
        self.run_eagerly = run_eagerly or (EAGER_EVALUATION and not self.compiled_evaluation)
        try:
            return make(force)
        finally:
            self.run_eagerly = run_eagerly


@keras.saving.register_keras_serializable(package="qnn_helpers")
class HybridModel(EagerEvaluation):
    """The hybrid model: :class:`EagerEvaluation`, and :meth:`reinitialize`."""

    #: The ``build_hybrid_model`` arguments of this model (set by it; None if loaded).
    settings: dict[str, Any] | None = None

    def reinitialize(self, seed: int) -> "HybridModel":
        """The weights, fresh optimizer and random state of ``set_seed(seed);
        build_hybrid_model(**settings)``, keeping the compiled training step; returns self."""
        if self.settings is None:
            raise ValueError("only a model made by build_hybrid_model can be reinitialized")
        training.set_seed(seed)
        fresh = build_hybrid_model(**self.settings)
        self.set_weights(fresh.get_weights())
        for variable, value in zip(self.optimizer.variables, fresh.optimizer.variables,
                                   strict=True):
            variable.assign(value)
        return self


def build_hybrid_model(n_classes: int, n_qubits: int = 6, n_layers: int = 8,
                       upload_every: int = 2, learning_rate: LearningRate = 0.01,
                       encoding: circuits.Encoding = "amplitude", chunk_size: int = 32,
                       jit_compile: bool = True, readout: circuits.Readout = "z",
                       steps_per_execution: int = 32, cnot_ranges: circuits.CnotRanges = "post",
                       freeze_circuit: bool = False, compiled_evaluation: bool = False,
                       evaluation_batch_size: int | None = None) -> keras.Model:
    """:class:`QuantumLayer` (those arguments) → Dense softmax; Adam, categorical cross-entropy
    and accuracy, XLA.  ``freeze_circuit``: only the classical layer trains (an ablation).
    ``steps_per_execution`` batches per call into the compiled graph, whose per-call overhead
    would dominate these small steps (batch callbacks hear every that many).
    ``compiled_evaluation``, ``evaluation_batch_size``: see :class:`EagerEvaluation` (chapter
    07's 10-qubit models compile their evaluation in batches of 250, a divisor of the 6,000
    validation and 10,000 test images, so one shape is traced)."""
    if n_classes < 2:
        raise ValueError(f"n_classes must be at least 2, got {n_classes}")
    settings = dict(locals())  # the arguments, for HybridModel.reinitialize
    quantum = QuantumLayer(n_qubits, n_layers, upload_every, encoding, chunk_size=chunk_size,
                           readout=readout, cnot_ranges=cnot_ranges, name="quantum",
                           trainable=not freeze_circuit)
    model = HybridModel([keras.Input((quantum.n_features,)), quantum,
                         keras.layers.Dense(n_classes, activation="softmax", name="classifier")],
                        name="hybrid")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="categorical_crossentropy",
                  metrics=["categorical_accuracy"], jit_compile=jit_compile,
                  steps_per_execution=steps_per_execution)
    model.compiled_evaluation = compiled_evaluation
    model.evaluation_batch_size = evaluation_batch_size
    model.build_training_state()
    model.settings = settings
    return model


class ModelPool:
    """Compiled hybrid models, one per setting, handed out again with fresh weights.

    ``pool.get(n_classes, seed, **settings)`` gives ``set_seed(seed); build_hybrid_model(...)``
    by building a setting's model once and :meth:`~HybridModel.reinitialize` -ing it later:
    a model handed out earlier with the same setting is that object, do not keep using it.

    What it saves, for the post's model from the call to its first trained batch (2 cores):
    built anew 8.7 to 9.9 s on TensorFlow, 3.8 to 6.0 s on JAX; reinitialized 0.7 to 1.4 s
    on TensorFlow, 0.03 s on JAX.  Chapter 03 hands out 23 models of 2 settings (11 in
    quick mode), so it builds 2 and reinitializes 21 (9): about 2.5 min (1 min) of its run
    time on TensorFlow.
    """

    def __init__(self) -> None:
        self.models: dict[str, HybridModel] = {}

    def get(self, n_classes: int, seed: int = 0, **settings: Any) -> HybridModel:
        arguments = inspect.signature(build_hybrid_model).bind(n_classes, **settings)
        arguments.apply_defaults()  # the same setting, however it is spelled
        key = repr(sorted(arguments.arguments.items()))
        if key in self.models:
            return self.models[key].reinitialize(seed)
        training.set_seed(seed)
        self.models[key] = build_hybrid_model(n_classes, **settings)
        return self.models[key]
