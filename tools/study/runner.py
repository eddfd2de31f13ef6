"""What the study trains, and how one run is trained, checkpointed and resumed.

A :class:`Spec` names a model (a hybrid model's ``build_hybrid_model`` keywords, or a
classical model of :data:`HIDDEN`), the features it reads and how they are transformed.
:func:`train` trains one (spec, learning rate, seed) epoch by epoch.  Each epoch sees the
training images in an order drawn from ``(seed, epoch)`` alone, and after each epoch the
weights and Adam's state are saved: a run that stops resumes at its last finished epoch,
and a run that continues past its first cap is the run it would have been with the larger
cap from the start.  Each worker process trains on one thread (the study runs several
workers), so a record does not depend on how many cores the machine has.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from tools.repo import REPO

#: where runs are cached: one folder per run (checkpoints and their validation curve)
CACHE = REPO / "build" / "study-cache"
#: what a cached run depends on beyond its settings: the engine, the data, the lock
SOURCES = ("qnn_helpers/engine/*.py", "qnn_helpers/data.py", "qnn_helpers/reduction.py",
           "requirements.txt")
#: raise when this file changes how a run trains (its order, checkpoints, evaluation)
RUNNER_VERSION = 1


@dataclass(frozen=True)
class Spec:
    """One model of a table: what it is, what it reads, how it is trained."""

    name: str
    description: str
    features: str  # a key of DATA
    kind: str = "hybrid"  # "hybrid" (build_hybrid_model), "classical" (HIDDEN) or "logistic"
    model: tuple[tuple[str, Any], ...] = ()  # build_hybrid_model keywords, or (("hidden", k),)
    transform: str = "none"  # a key of TRANSFORMS
    ablation: bool = False  # removes a part to measure it: never the chosen variant
    fixed: tuple[float, int, int] | None = None  # (learning rate, epochs, batch): not tuned

    @property
    def keywords(self) -> dict[str, Any]:
        return dict(self.model)

    def key(self, learning_rate: float, seed: int, batch_size: int) -> str:
        """The run's cache key: its settings and the sources it depends on."""
        settings = {k: v for k, v in asdict(self).items() if k not in ("name", "description")}
        text = json.dumps([settings, learning_rate, seed, batch_size, _sources_digest(),
                           RUNNER_VERSION], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:20]


@cache
def _sources_digest() -> str:
    digest = hashlib.sha256()
    for pattern in SOURCES:
        for path in sorted(REPO.glob(pattern)):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def one_thread() -> None:
    """A worker process trains on one thread.  Set through TensorFlow's configuration, not
    its environment variables: those are part of the autoencoders' cache key, and the
    workers read the features of the autoencoders cached before they start."""
    import os
    os.environ["OMP_NUM_THREADS"] = "1"
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)


# --- data ---------------------------------------------------------------------------------

@cache
def data(features: str):
    """``"post"``/``"improved"``: ten labels, 64 features of that autoencoder recipe;
    ``"four"``: the post's four labels and features; ``"linear"``/``"sqrt"``: whole images
    as 1,024 amplitudes (pixels, or their square roots)."""
    from qnn_helpers import lessons
    if features == "four":
        return lessons.reduced_fashion_mnist(progress=False)
    if features in ("post", "improved"):
        return lessons.reduced_fashion_mnist(labels=range(10), progress=False,
                                             autoencoder=features)
    if features in ("linear", "sqrt"):
        return lessons.whole_fashion_mnist(scaling=features)
    raise ValueError(f"unknown features {features!r}")


def l2_normalised(x: np.ndarray) -> np.ndarray:
    """Every feature vector divided by its length: what the amplitude encoding keeps."""
    from qnn_helpers.engine import circuits
    return np.asarray(circuits.normalize(np.asarray(x, dtype=np.float64)), dtype=np.float32)


def pairwise_products(x: np.ndarray) -> np.ndarray:
    """Products zᵢ zⱼ (i ≤ j) of the L2-normalised features z: one upload's inputs."""
    z = l2_normalised(x)
    i, j = np.triu_indices(z.shape[1])
    return z[:, i] * z[:, j]


def angle_features(x_train: np.ndarray, *others: np.ndarray, n_components: int = 6,
                   ) -> list[np.ndarray]:
    """``n_components`` principal components of the features, scaled to ``[0, 1]`` by the
    training range (the ``others`` clipped to it), for angle encoding."""
    from sklearn.decomposition import PCA
    pca = PCA(n_components=n_components, random_state=0).fit(x_train)
    z_train = pca.transform(x_train)
    lo, hi = z_train.min(axis=0), z_train.max(axis=0)

    def scale(z: np.ndarray) -> np.ndarray:
        return np.clip((z - lo) / (hi - lo), 0, 1).astype(np.float32)

    return [scale(z_train), *(scale(pca.transform(x)) for x in others)]


def _split(features: str, transform: str) -> tuple[np.ndarray, ...]:
    """Training, validation and test features after ``transform``; their labels."""
    d = data(features)
    xs = [d.x_train, d.x_val, d.x_test]
    if transform.startswith("pca"):  # principal components as angles in [0, 1]
        xs = angle_features(*xs, n_components=int(transform[3:]))
    elif transform == "l2":
        xs = [l2_normalised(x) for x in xs]
    elif transform == "products":
        xs = [pairwise_products(x) for x in xs]
    elif transform != "none":
        raise ValueError(f"unknown transform {transform!r}")
    return (*xs, d.y_train, d.y_val, d.y_test, d.n_classes)


@cache
def split(features: str, transform: str, standardise: bool) -> tuple[np.ndarray, ...]:
    """:func:`_split`, the classical models' inputs standardised on the training images."""
    x_train, x_val, x_test, *rest = _split(features, transform)
    if standardise:
        from qnn_helpers import lessons
        x_train, x_val, x_test = lessons.standardised(x_train, x_val, x_test)
    return (x_train, x_val, x_test, *rest)


def inputs(spec: Spec) -> tuple[np.ndarray, ...]:
    return split(spec.features, spec.transform, spec.kind != "hybrid")


# --- models -------------------------------------------------------------------------------

def build(spec: Spec, n_features: int, n_classes: int, learning_rate: float):
    """The compiled model of ``spec`` (Adam at ``learning_rate``), its training state built."""
    import keras

    from qnn_helpers import lessons
    from qnn_helpers.engine.models import EagerEvaluation, build_hybrid_model
    if spec.kind == "hybrid":
        kwargs = spec.keywords
        if kwargs.get("n_qubits", 6) == 10:
            kwargs = {**lessons.TEN_QUBIT_EVALUATION, **kwargs}
        return build_hybrid_model(n_classes, learning_rate=learning_rate, **kwargs)
    hidden = HIDDEN[spec.keywords["hidden"]]()
    model = EagerEvaluation([keras.Input((n_features,)), *hidden,
                             keras.layers.Dense(n_classes, "softmax")])
    model.compile(keras.optimizers.Adam(learning_rate), "categorical_crossentropy",
                  metrics=["categorical_accuracy"], jit_compile=True, steps_per_execution=32)
    model.build_training_state()
    return model


def _pair_products():
    import keras

    class PairProducts(keras.layers.Layer):
        """``h`` → ``h`` and the products ``hᵢ hⱼ`` (i < j): six numbers become 21."""

        def call(self, h):
            i, j = np.triu_indices(h.shape[-1], k=1)
            pairs = keras.ops.take(h, i, axis=-1) * keras.ops.take(h, j, axis=-1)
            return keras.ops.concatenate([h, pairs], axis=-1)

    return PairProducts()


def _small_cnn():
    """A CNN with about as many trained parameters as the post's 10-qubit model: two
    strided convolutions (104 + 185), global average pooling; the softmax adds 60."""
    import keras
    return [keras.layers.Reshape((32, 32, 1)),
            keras.layers.Conv2D(4, 5, strides=2, activation="relu"),
            keras.layers.Conv2D(5, 3, strides=2, activation="relu"),
            keras.layers.GlobalAveragePooling2D()]


def _dense(units: int, activation: str):
    import keras
    return keras.layers.Dense(units, activation)


#: the classical models' hidden layers (the softmax comes after them)
HIDDEN = {
    "bottleneck": lambda: [_dense(6, "tanh")],  # like 6 ⟨Z⟩
    "bottleneck + products": lambda: [_dense(6, "tanh"), _pair_products()],
    "mlp": lambda: [_dense(32, "relu")],
    "linear": list,
    "cnn": _small_cnn,
}


def parameters(model) -> dict[str, int]:
    from qnn_helpers import lessons
    counts = lessons.count_parameters(model)
    return {"quantum": counts["quantum"], "classical": counts["classical"]}


# --- one run ------------------------------------------------------------------------------

@dataclass
class Trained:
    """A run's validation accuracy after each epoch, and its seconds per epoch."""

    val_accuracy: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def _folder(spec: Spec, learning_rate: float, seed: int, batch_size: int) -> Path:
    return CACHE / spec.key(learning_rate, seed, batch_size)


def _log(folder: Path) -> Trained:
    path = folder / "curve.json"
    return Trained(**json.loads(path.read_text())) if path.exists() else Trained()


def cached_curve(spec: Spec, learning_rate: float, seed: int, batch_size: int) -> Trained:
    """What the cache holds of a run (nothing trained: empty lists)."""
    return _log(_folder(spec, learning_rate, seed, batch_size))


def _save(model, folder: Path, epoch: int) -> None:
    arrays = [*model.get_weights(), *(np.asarray(v) for v in model.optimizer.variables)]
    partial = folder / f"epoch-{epoch}.tmp.npz"
    np.savez(partial, *arrays)
    partial.replace(folder / f"epoch-{epoch}.npz")


def _restore(model, folder: Path, epoch: int) -> None:
    with np.load(folder / f"epoch-{epoch}.npz") as saved:
        arrays = [saved[f"arr_{i}"] for i in range(len(saved.files))]
    n = len(model.get_weights())
    model.set_weights(arrays[:n])
    for variable, value in zip(model.optimizer.variables, arrays[n:], strict=True):
        variable.assign(value)


def _model_at(spec: Spec, learning_rate: float, seed: int, batch_size: int, epochs: int,
              on_epoch=None):
    """The model of the run after ``epochs`` epochs (trained now where the cache ends),
    and its curve."""
    from qnn_helpers import lessons, training
    x_train, x_val, _, y_train, y_val, _, n_classes = inputs(spec)
    folder = _folder(spec, learning_rate, seed, batch_size)
    folder.mkdir(parents=True, exist_ok=True)
    curve = _log(folder)
    training.set_seed(seed)
    model = build(spec, x_train.shape[1], n_classes, learning_rate)
    done = min(len(curve.val_accuracy), epochs)
    while done and not (folder / f"epoch-{done}.npz").exists():
        done -= 1  # a checkpoint lost: go back to the last one kept
    if done < min(len(curve.val_accuracy), epochs):  # and train again from there
        curve = Trained(curve.val_accuracy[:done], curve.seconds[:done])
    if done:
        _restore(model, folder, done)
    targets = training.one_hot(y_train, n_classes)
    for epoch in range(done + 1, epochs + 1):
        order = np.random.default_rng([seed, epoch]).permutation(len(x_train))
        start = time.perf_counter()
        model.fit(x_train[order], targets[order], batch_size=batch_size, epochs=1,
                  shuffle=False, verbose=0, callbacks=[training.StopOnNaN()])
        accuracy = lessons.evaluate(model, x_val, y_val).accuracy
        if epoch > len(curve.val_accuracy):
            curve.val_accuracy.append(float(accuracy))
            curve.seconds.append(round(time.perf_counter() - start, 2))
        _save(model, folder, epoch)
        (folder / "curve.json").write_text(json.dumps(asdict(curve)))
        if on_epoch is not None:
            on_epoch()
    return model, curve


def train(spec: Spec, learning_rate: float, seed: int, batch_size: int, epochs: int,
          ) -> Trained:
    """Train (or resume) the run to ``epochs`` epochs; its validation curve."""
    _, curve = _model_at(spec, learning_rate, seed, batch_size, epochs)
    return curve


def test_accuracy(spec: Spec, learning_rate: float, seed: int, batch_size: int,
                  epochs: int) -> dict[str, Any]:
    """The run's test accuracy and confusion matrix (rows: true class) after ``epochs``
    epochs (the chosen ones), its model's parameters and its validation accuracy there: the
    one time it meets the test images."""
    from qnn_helpers import lessons
    folder = _folder(spec, learning_rate, seed, batch_size)
    path = folder / f"test-{epochs}.json"
    if path.exists():
        return json.loads(path.read_text())
    model, curve = _model_at(spec, learning_rate, seed, batch_size, epochs)
    _, _, x_test, _, _, y_test, _ = inputs(spec)
    evaluation = lessons.evaluate(model, x_test, y_test)
    result = {"test_accuracy": float(evaluation.accuracy),
              "confusion": np.asarray(evaluation.confusion).astype(int).tolist(),
              "val_accuracy": curve.val_accuracy[epochs - 1],
              "train_seconds": round(sum(curve.seconds[:epochs]), 1),
              "n_train": n_train(spec), **parameters(model)}
    path.write_text(json.dumps(result))
    return result


def n_train(spec: Spec) -> int:
    return len(inputs(spec)[0])


# --- logistic regression ------------------------------------------------------------------

def logistic(spec: Spec, c: float, test: bool = False) -> dict[str, float]:
    """Logistic regression with inverse regularisation ``c`` on the standardised features:
    its validation accuracy, and with ``test`` its test accuracy."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits
    x_train, x_val, x_test, y_train, y_val, y_test, _ = inputs(spec)
    folder = CACHE / spec.key(c, 0, 0)
    path = folder / ("test.json" if test else "val.json")
    if path.exists():
        return json.loads(path.read_text())
    with threadpool_limits(1, user_api="blas"):
        model = LogisticRegression(C=c, max_iter=2000).fit(x_train, y_train)
    result = {"val_accuracy": float(model.score(x_val, y_val)),
              "parameters": int(model.coef_.size + model.intercept_.size)}
    if test:
        result["test_accuracy"] = float(model.score(x_test, y_test))
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result))
    return result

