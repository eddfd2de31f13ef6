"""Training speed of the original post's model: ``python -m tools.benchmark`` (``make benchmark``).

Prints, in one run, and writes to ``results/benchmark.json``:

* compile time: seconds from ``build_hybrid_model`` to the first trained batch, then
  the first ``evaluate`` and the first ``predict`` (both eager, nothing to compile), and
  from ``reinitialize`` (a second model of the same setting, as ``ModelPool`` gives it)
  to its first trained batch;
* one training epoch of the post's model on the 4-label data (24,000 images, batch 8);
* the same compile and epoch on Keras' JAX backend, in a second process
  (``KERAS_BACKEND=jax``; skipped where JAX is not installed);
* the classical floor: one epoch of ``Dense(6, tanh) → Dense(4, softmax)`` with
  default Keras settings, same data and batch, and the ratio of the two epochs;
* the eager reference: the template circuit, broadcast over the batch but run
  eagerly (no graph, no XLA), timed over a few batches; and the speed-ups;
* with ``--chapter-times`` (default ``results/series.json``, if it exists): the
  series' total run time, in seconds and in classical-floor epochs.

Then refreshes the README's results block.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import keras
import numpy as np
import pennylane as qml

from qnn_helpers import lessons, training
from qnn_helpers.engine import circuits
from qnn_helpers.engine.models import build_hybrid_model
from tools import provenance, readme
from tools.repo import RESULTS

ORIGINAL_POST_SAMPLES_PER_SECOND = 24000 / (3 * 3600)


def _timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def time_quantum(data: lessons.ReducedData, batch_size: int, seed: int
                 ) -> tuple[keras.Model, dict[str, float]]:
    """The post's model; seconds to its first trained batch, first evaluate and predict."""
    y = training.one_hot(data.y_train, data.n_classes)
    y_test = training.one_hot(data.y_test, data.n_classes)
    training.set_seed(seed)
    start = time.perf_counter()
    model = build_hybrid_model(data.n_classes)
    model.fit(data.x_train[:batch_size], y[:batch_size], batch_size=batch_size, verbose=0)
    compile_s = time.perf_counter() - start
    evaluate_s = _timed(lambda: model.evaluate(data.x_test, y_test, verbose=0))
    predict_s = _timed(lambda: model.predict(data.x_test, verbose=0))
    # the same setting again (ModelPool): new weights, the compiled step kept
    reuse_s = _timed(lambda: model.reinitialize(seed).fit(
        data.x_train[:batch_size], y[:batch_size], batch_size=batch_size, verbose=0))
    return model, {"compile_seconds": compile_s, "first_evaluate_seconds": evaluate_s,
                   "first_predict_seconds": predict_s, "reuse_seconds": reuse_s}


def classical_floor(data: lessons.ReducedData, batch_size: int, seed: int) -> keras.Model:
    """``Dense(6, tanh) → Dense(n_classes, softmax)`` with default Keras settings, compiled."""
    y = training.one_hot(data.y_train, data.n_classes)
    training.set_seed(seed)
    model = keras.Sequential([keras.Input((data.x_train.shape[1],)),
                              keras.layers.Dense(6, activation="tanh"),
                              keras.layers.Dense(data.n_classes, activation="softmax")])
    model.compile("adam", "categorical_crossentropy", metrics=["categorical_accuracy"])
    model.fit(data.x_train[:batch_size], y[:batch_size], batch_size=batch_size, verbose=0)
    return model


def time_epochs(models: dict[str, keras.Model], data: lessons.ReducedData, batch_size: int,
                repeats: int) -> dict[str, list[float]]:
    """Wall time of one training epoch of each model, ``repeats`` times, interleaved
    (so that load from other processes hits both alike)."""
    y = training.one_hot(data.y_train, data.n_classes)
    times: dict[str, list[float]] = {name: [] for name in models}
    for _ in range(repeats):
        for name, model in models.items():
            times[name].append(_timed(lambda m=model: m.fit(
                data.x_train, y, batch_size=batch_size, epochs=1, verbose=0, shuffle=True)))
    return times


def time_eager_reference(
    data: lessons.ReducedData, batch_size: int, n_batches: int, seed: int
) -> dict[str, float]:
    """Eager training steps of the template circuit, broadcast over the batch."""
    import tensorflow as tf

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


def benchmark_data() -> lessons.ReducedData:
    """The 4-label data; for timing, an epoch over all 24,000 training images, as the post's."""
    data = lessons.reduced_fashion_mnist(progress=False)
    return dataclasses.replace(data, x_train=np.concatenate([data.x_train, data.x_val]),
                               y_train=np.concatenate([data.y_train, data.y_val]))


def time_jax(batch_size: int, seed: int, repeats: int) -> dict[str, float] | None:
    """``time_quantum``'s figures and the fastest of ``repeats`` epochs on Keras' JAX backend,
    in a new process; ``None`` where JAX is not installed."""
    if importlib.util.find_spec("jax") is None:
        return None
    done = subprocess.run([sys.executable, "-m", "tools.benchmark", "--jax-only",
                           "--batch-size", str(batch_size), "--seed", str(seed),
                           "--repeats", str(repeats)],
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "KERAS_BACKEND": "jax"})
    return json.loads(done.stdout.splitlines()[-1])


def _jax_figures(args: argparse.Namespace) -> dict[str, float]:
    data = benchmark_data()
    model, figures = time_quantum(data, args.batch_size, args.seed)
    epochs = time_epochs({"quantum": model}, data, args.batch_size, args.repeats)["quantum"]
    return figures | {"epoch_seconds": min(epochs), "backend": keras.backend.backend(),
                      "jax": metadata.version("jax")}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--reference-batches", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=2,
                        help="epochs timed per model (interleaved); the fastest is reported")
    parser.add_argument("--chapter-times", type=Path, default=RESULTS / "series.json",
                        help="chapter name → seconds (written by the series runner)")
    parser.add_argument("--out", type=Path, default=RESULTS / "benchmark.json")
    parser.add_argument("--jax-only", action="store_true",
                        help="print the compile and epoch figures on this process's Keras "
                             "backend (KERAS_BACKEND=jax) as JSON and stop (used by the benchmark)")
    args = parser.parse_args(argv)
    if args.jax_only:
        print(json.dumps(_jax_figures(args)))
        return {}
    return _benchmark(args)


def _benchmark(args: argparse.Namespace) -> dict:
    import tensorflow as tf

    data = benchmark_data()
    quantum, ours = time_quantum(data, args.batch_size, args.seed)
    epochs = time_epochs({"quantum": quantum,
                          "classical": classical_floor(data, args.batch_size, args.seed)},
                         data, args.batch_size, args.repeats)
    ours["epoch_seconds"] = min(epochs["quantum"])
    ours["samples_per_second"] = len(data.y_train) / ours["epoch_seconds"]
    floor = min(epochs["classical"])
    ref = time_eager_reference(data, args.batch_size, args.reference_batches, args.seed)
    jax_figures = time_jax(args.batch_size, args.seed, args.repeats)
    result = {
        "batch_size": args.batch_size,
        "train_samples": int(len(data.y_train)),
        "compiled": ours,
        "classical_floor_epoch_seconds": floor,
        "all_epoch_seconds": epochs,
        "epoch_ratio_to_classical_floor": ours["epoch_seconds"] / floor,
        "eager_reference": ref,
        "jax": jax_figures,
        "speedup_vs_eager": ours["samples_per_second"] / ref["samples_per_second"],
        "speedup_vs_original_post": ours["samples_per_second"] / ORIGINAL_POST_SAMPLES_PER_SECOND,
        "machine": f"{platform.machine()}, {len(tf.config.list_physical_devices('CPU'))} CPU "
                   f"device, {os.cpu_count()} cores",
        "versions": {"tensorflow": tf.__version__, "keras": keras.__version__,
                     "pennylane": qml.__version__},
    }
    n = result["train_samples"]
    print(f"4-label data: {n} training images, batch {args.batch_size}")
    print(f"compile: build → first trained batch {ours['compile_seconds']:.1f} s; "
          f"first evaluate {ours['first_evaluate_seconds']:.1f} s, "
          f"first predict {ours['first_predict_seconds']:.1f} s; the same setting again "
          f"(reinitialized) → first trained batch {ours['reuse_seconds']:.1f} s")
    print(f"one epoch, fastest of {args.repeats} (interleaved):")
    print(f"quantum epoch:         {ours['epoch_seconds']:.1f} s "
          f"({ours['samples_per_second']:,.0f} samples/s)")
    print(f"classical floor epoch: {floor:.1f} s (Dense(6, tanh) → Dense(4), default settings)")
    print(f"ratio quantum / classical epoch: {result['epoch_ratio_to_classical_floor']:.2f}")
    if jax_figures is not None:
        print(f"JAX backend (second process): build → first trained batch "
              f"{jax_figures['compile_seconds']:.1f} s; one epoch "
              f"{jax_figures['epoch_seconds']:.1f} s; first evaluate "
              f"{jax_figures['first_evaluate_seconds']:.1f} s, first predict "
              f"{jax_figures['first_predict_seconds']:.1f} s; reinitialized → first trained "
              f"batch {jax_figures['reuse_seconds']:.2f} s")
    print(f"eager reference: {ref['samples_per_second']:,.1f} samples/s "
          f"({ref['samples']} samples in {ref['seconds']:.1f} s)")
    print(f"speed-up: {result['speedup_vs_eager']:,.0f}x the eager reference, "
          f"{result['speedup_vs_original_post']:,.0f}x the original post (~3 h per epoch)")
    if args.chapter_times.exists():
        times = json.loads(args.chapter_times.read_text())
        times.pop("provenance", None)
        total = float(sum(times.values()))
        result["series_seconds"] = total
        result["series_in_classical_floor_epochs"] = total / floor
        print(f"series ({len(times)} chapters, {args.chapter_times.name}): {total:.0f} s "
              f"= {total / floor:,.0f} classical-floor epochs")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result["provenance"] = provenance.provenance()
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written: {args.out}")
    readme.refresh_readme()
    return result


if __name__ == "__main__":
    main()
