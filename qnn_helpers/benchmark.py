"""Training speed of the original post's model: ``python -m qnn_helpers.benchmark``.

Prints, records in ``results/benchmark.json`` and puts into the README's table:

* compile time: seconds from ``build_hybrid_model`` to the first trained batch;
* throughput of one full training epoch on the 4-label data (24,000 images,
  batch 8, the original post's settings), XLA-compiled;
* the reference: the same circuit with the ``MottonenStatePreparation`` template,
  broadcast over the batch but run eagerly (no graph, no XLA), timed over a few
  batches of the same data;
* their ratio, next to the original post's ~3 hours per epoch (~2 samples/s).
"""

from __future__ import annotations

import argparse
import platform
import time

import keras
import numpy as np
import tensorflow as tf

from qnn_helpers import circuits, pipeline, results, training
from qnn_helpers.models import build_hybrid_model

ORIGINAL_POST_SAMPLES_PER_SECOND = 24000 / (3 * 3600)


def time_compiled(data: pipeline.ReducedData, batch_size: int, seed: int) -> dict[str, float]:
    """Compile time to the first trained batch, then one timed epoch."""
    training.set_seed(seed)
    start = time.perf_counter()
    model = build_hybrid_model(data.n_classes)
    y = training.one_hot(data.y_train, data.n_classes)
    model.fit(data.x_train[:batch_size], y[:batch_size], batch_size=batch_size, verbose=0)
    compile_s = time.perf_counter() - start
    start = time.perf_counter()
    model.fit(data.x_train, y, batch_size=batch_size, epochs=1, verbose=0, shuffle=True)
    epoch_s = time.perf_counter() - start
    return {"compile_seconds": compile_s, "epoch_seconds": epoch_s,
            "samples_per_second": len(y) / epoch_s}


def time_eager_reference(
    data: pipeline.ReducedData, batch_size: int, n_batches: int, seed: int
) -> dict[str, float]:
    """Eager training steps of the template circuit, broadcast over the batch."""
    training.set_seed(seed)
    qnode = circuits.make_qnode(6, upload_every=2, interface="tf")
    weights = tf.Variable(np.random.default_rng(seed).uniform(0, 2 * np.pi, (8, 6, 3)))
    head = keras.layers.Dense(data.n_classes, activation="softmax")
    optimizer = keras.optimizers.Adam(0.01)
    loss_fn = keras.losses.CategoricalCrossentropy()
    y = training.one_hot(data.y_train, data.n_classes)

    def step(xb, yb):
        with tf.GradientTape() as tape:
            z = tf.cast(tf.stack(qnode(tf.constant(xb, tf.float64), 1.0 * weights), -1), tf.float32)
            loss = loss_fn(yb, head(z))
        variables = [weights, *head.trainable_variables]
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))

    step(data.x_train[:batch_size], y[:batch_size])  # warm-up: builds the head
    start = time.perf_counter()
    for i in range(1, n_batches + 1):
        sl = slice(i * batch_size, (i + 1) * batch_size)
        step(data.x_train[sl], y[sl])
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "samples": n_batches * batch_size,
            "samples_per_second": n_batches * batch_size / seconds}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--reference-batches", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    data = pipeline.reduced_fashion_mnist(progress=False)
    ours = time_compiled(data, args.batch_size, args.seed)
    ref = time_eager_reference(data, args.batch_size, args.reference_batches, args.seed)
    result = {
        "batch_size": args.batch_size,
        "train_samples": int(len(data.y_train)),
        "compiled": ours,
        "eager_reference": ref,
        "speedup_vs_eager": ours["samples_per_second"] / ref["samples_per_second"],
        "speedup_vs_original_post": ours["samples_per_second"] / ORIGINAL_POST_SAMPLES_PER_SECOND,
        "machine": f"{platform.machine()}, {len(tf.config.list_physical_devices('CPU'))} CPU "
                   f"device, {__import__('os').cpu_count()} cores",
        "versions": {"tensorflow": tf.__version__, "keras": keras.__version__,
                     "pennylane": __import__("pennylane").__version__},
    }
    print(f"4-label data: {result['train_samples']} training images, batch {args.batch_size}")
    print(f"compiled (XLA):  build → first trained batch {ours['compile_seconds']:.1f} s; "
          f"one epoch {ours['epoch_seconds']:.1f} s = {ours['samples_per_second']:,.0f} samples/s")
    print(f"eager reference: {ref['samples_per_second']:,.1f} samples/s "
          f"({ref['samples']} samples in {ref['seconds']:.1f} s)")
    print(f"speed-up: {result['speedup_vs_eager']:,.0f}x the eager reference, "
          f"{result['speedup_vs_original_post']:,.0f}x the original post (~3 h per epoch)")
    results.record("benchmark", **result)
    results.refresh_readme()
    return result


if __name__ == "__main__":
    main()
