"""One source: ``qnn_helpers.lessons`` is what the chapters' ``#@save`` cells write.

The module is generated (``python -m tools.lessons``); these tests fail while it differs
from the chapters, refuse a marked cell that would run code on import, and prove that the
engine trains the very circuit chapter 02 writes (outputs and gradients).
"""

import shutil

import nbformat
import numpy as np
import pennylane as qml
import pytest
from pennylane import numpy as pnp

from qnn_helpers import lessons
from qnn_helpers.engine import circuits
from tools import lessons as tool
from tools.repo import NOTEBOOKS, chapters


def test_the_generated_module_is_current():
    assert not tool.stale(), "qnn_helpers/lessons.py is out of date: run `python -m tools.lessons`"


def test_every_block_names_its_chapter_and_section_and_every_chapter_cell_is_in_the_module():
    text = tool.MODULE.read_text(encoding="utf-8")
    assert "do not edit" in text
    for path in chapters():
        for section, source in tool.saved_cells(path):
            assert section, f"a #@save cell of {path.name} has no heading above it"
            assert f'section "{section}" (notebooks/{path.name})' in text
            first_def = next(line for line in source.splitlines()
                             if line.startswith(("def", "class"))
                             or line.split(" = ")[0].isupper())
            assert first_def in text


def test_saved_cells_are_short_and_the_module_small():
    """Lessons, not harnesses: no #@save cell over 80 lines, the module at most 1,200."""
    for path in chapters():
        for section, source in tool.saved_cells(path):
            assert len(source.splitlines()) + 1 <= 80, f"{path.name}, {section!r}"
    assert len(tool.MODULE.read_text(encoding="utf-8").splitlines()) <= 1200


def test_a_marked_cell_that_runs_code_is_refused(tmp_path):
    for path in chapters():
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / chapters()[0].name
    nb = nbformat.read(target, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("#@save\ndef f():\n    return 1\n\nprint(f())"))
    nbformat.write(nb, target)
    with pytest.raises(ValueError, match="runs code at line 5"):
        tool.module_text(tmp_path)


def test_a_changed_chapter_makes_the_module_stale(tmp_path):
    for path in chapters():
        shutil.copy(path, tmp_path / path.name)
    module = tmp_path / "lessons.py"
    module.write_text(tool.module_text(tmp_path), encoding="utf-8")
    assert not tool.stale(tmp_path, module)
    target = tmp_path / chapters()[0].name
    nb = nbformat.read(target, as_version=4)
    cell = next(c for c in nb.cells if "VALIDATION_FRACTION = 0.1" in c.source)
    cell.source = cell.source.replace("VALIDATION_FRACTION = 0.1", "VALIDATION_FRACTION = 0.2")
    nbformat.write(nb, target)
    assert tool.stale(tmp_path, module)


def test_chapters_are_where_the_tool_looks():
    assert chapters(NOTEBOOKS)[0].name.startswith("01_")


@pytest.mark.parametrize("compact", [False, True])
def test_the_engine_computes_chapter_02s_circuit_outputs_and_gradients(compact):
    """circuits.make_qnode (template, or the compact and fused form the layer trains) equals
    lessons.post_circuit, the cell chapter 02 writes."""
    dev = qml.device("default.qubit", wires=6)
    lesson = qml.QNode(lessons.post_circuit, dev, interface="autograd")
    engine = circuits.make_qnode(6, upload_every=2, compact=compact, fuse_layers=compact,
                                 interface="autograd")
    probe = np.linspace(-1, 1, 6)
    for seed in range(3):
        x, w = lessons.random_inputs(6, 8, seed=seed)
        w = pnp.array(w, requires_grad=True)
        np.testing.assert_allclose(lesson(x, w), engine(x, w), atol=1e-10)
        grads = [qml.grad(lambda w_, q=q, x=x: pnp.dot(probe, pnp.stack(q(x, w_))))(w)
                 for q in (lesson, engine)]
        np.testing.assert_allclose(grads[0], grads[1], atol=1e-9)


def test_the_lessons_refuse_bad_arguments():
    with pytest.raises(ValueError, match="recipe must be one of"):
        lessons.build_autoencoder(recipe="deep")
    with pytest.raises(ValueError, match="fraction must lie strictly between 0 and 1"):
        lessons.validation_split(np.repeat([0, 1], 10), fraction=1.5)


def test_quantum_layer_equals_chapter_04s_layer_eager_and_xla():
    """QuantumLayer (the engine) computes lessons.PostLayer, the layer chapter 04 writes:
    outputs and gradients, eagerly and compiled with XLA (TensorFlow backend)."""
    import keras

    if keras.backend.backend() != "tensorflow":
        pytest.skip("the JAX backend's equality tests are in test_layers.py")
    import tensorflow as tf

    from qnn_helpers.engine.layers import QuantumLayer

    mine, fast = lessons.PostLayer(), QuantumLayer(6, 8, 2)
    fast.circuit_weights.assign(mine.circuit_weights)
    x = tf.constant(lessons.random_inputs(6, 8, batch=3, seed=1)[0])
    probe = tf.constant(np.random.default_rng(0).normal(size=(3, 6)))

    def outputs_and_gradient(layer):
        with tf.GradientTape() as tape:
            out = tf.cast(layer(x), tf.float64)
            scalar = tf.reduce_sum(out * probe)
        return out, tape.gradient(scalar, layer.circuit_weights)

    out_mine, grad_mine = outputs_and_gradient(mine)
    for run in (outputs_and_gradient, tf.function(outputs_and_gradient, jit_compile=True)):
        out, grad = run(fast)
        np.testing.assert_allclose(out, out_mine, atol=1e-6)
        np.testing.assert_allclose(grad, grad_mine, atol=1e-6)
