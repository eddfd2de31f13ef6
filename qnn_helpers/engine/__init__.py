"""The engine (circuits, layers, models, noise): what makes the chapters' code fast; learners
need not read it.  Each module names the chapter cell it is proven equal to and the test.

What it builds on, for upgrades.  PennyLane, as documented: custom operations subclassing
``qml.operation.Operation`` (``num_params``, ``ndim_params``, ``grad_method``,
``compute_matrix``, ``compute_decomposition``, hyperparameters set as ``_hyperparameters`` in
``__init__``, as the Operator documentation shows; no ``id``, which PennyLane 0.46 removes),
QNodes on ``default.qubit`` (backprop, the ``tf`` and ``jax`` interfaces), ``qml.math``,
``qml.matrix``, the templates, ``qml.transforms.decompose`` and queuing
(``qml.queuing.AnnotatedQueue``, ``qml.tape.QuantumScript.from_queue``).  One internal PennyLane
function: ``pennylane.devices.qubit.apply_operation``, on which circuits.py registers its
kernels (tests/test_circuits.py fails, naming it, if default.qubit stops using it).  Keras:
subclasses of ``keras.layers.Layer`` and ``keras.Sequential`` (overriding ``fit``,
``evaluate``, ``predict`` and ``make_test_function``/``make_predict_function``, public on
every backend's trainer; using ``run_eagerly``, ``compute_loss``, ``compute_metrics``,
``reset_metrics``), ``keras.ops`` and ``keras.saving.register_keras_serializable``.  No
private (``_``) PennyLane or Keras function and nothing from ``keras.src``.
"""
