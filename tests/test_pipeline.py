"""Reduction, training helpers, results and plots on small data."""

import matplotlib

matplotlib.use("Agg")

import json  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from qnn_helpers import data, lessons, reduction, results, training  # noqa: E402

BUILD = lessons.build_autoencoder


@pytest.fixture
def images():
    rng = np.random.default_rng(0)
    return rng.uniform(0, 1, (64, 784)).astype(np.float32)


@pytest.mark.parametrize("recipe,activation,loss", [("post", "relu", "mae"),
                                                    ("improved", "sigmoid", "binary_crossentropy")])
def test_autoencoder_recipes(images, recipe, activation, loss):
    model, history = reduction.train_autoencoder(images, build=BUILD, epochs=2, batch_size=32,
                                                 progress=False, recipe=recipe)
    assert model.get_layer("decoder").layers[-1].get_config()["activation"] == activation
    assert model.loss == loss
    features = lessons.encode(model, images)
    assert features.shape == (64, 64)
    assert features.dtype == np.float32
    assert np.all((features >= 0) & (features <= 1))
    assert lessons.reconstruct(model, images).shape == images.shape
    assert len(history.history["loss"]) == 2
    sizes = [layer.units for layer in model.get_layer("encoder").layers]
    assert sizes == [196, 64, 64]
    with pytest.raises(ValueError, match="recipe must be one of"):
        reduction.settings("deep")


def test_recipe_defaults_are_the_posts():
    post = reduction.settings("post")
    assert (post.epochs, post.batch_size, post.all_labels) == (1, 32, False)
    assert lessons.AUTOENCODER_RECIPES["post"] == ("relu", "mae")


def test_autoencoder_cache_round_trip(images, tmp_path, monkeypatch):
    monkeypatch.setenv("QNN_CACHE_DIR", str(tmp_path))
    first = reduction.load_or_train_autoencoder(images, build=BUILD, epochs=1, batch_size=32,
                                                progress=False)
    cached = list((tmp_path / "models").glob("autoencoder-*.keras"))
    assert len(cached) == 1
    second = reduction.load_or_train_autoencoder(images, build=BUILD, epochs=1, batch_size=32,
                                                 progress=False)
    np.testing.assert_allclose(lessons.encode(second, images), lessons.encode(first, images))


def test_a_corrupt_cache_file_is_retrained(images, tmp_path, monkeypatch):
    monkeypatch.setenv("QNN_CACHE_DIR", str(tmp_path))
    first = reduction.load_or_train_autoencoder(images, build=BUILD, epochs=1, batch_size=32,
                                                progress=False)
    [cached] = (tmp_path / "models").glob("autoencoder-*.keras")
    cached.write_bytes(cached.read_bytes()[:1000])  # cut short, as by a full disk
    with pytest.warns(UserWarning, match="cannot be loaded"):
        again = reduction.load_or_train_autoencoder(images, build=BUILD, epochs=1, batch_size=32,
                                                    progress=False)
    np.testing.assert_allclose(lessons.encode(again, images), lessons.encode(first, images))
    keras_model = reduction.load_or_train_autoencoder(images, build=BUILD, epochs=1, batch_size=32,
                                                      progress=False)  # the new file loads
    assert keras_model.get_layer("encoder") is not None


def test_pca_reconstruction_improves_with_components(images):
    few = lessons.fit_pca(images, n_components=4)
    many = lessons.fit_pca(images, n_components=32)
    err_few = lessons.reconstruction_error(images, lessons.pca_reconstruct(few, images))
    err_many = lessons.reconstruction_error(images, lessons.pca_reconstruct(many, images))
    assert err_many < err_few


def test_confusion_and_evaluation():
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    ev = lessons.evaluation_from_probabilities(probs, np.array([0, 1, 1, 1]), ["a", "b"])
    assert ev.accuracy == 0.75
    np.testing.assert_array_equal(ev.confusion, [[1, 0], [1, 2]])
    assert ev.per_class_table() == {"a": 1.0, "b": 2 / 3}


def test_one_hot_rejects_out_of_range_labels():
    with pytest.raises(ValueError, match="labels must be in 0..2"):
        training.one_hot(np.array([0, 3]), 3)


def test_seeding_repeats_numbers():
    training.set_seed(5)
    a = np.random.rand(3)
    training.set_seed(5)
    np.testing.assert_array_equal(a, np.random.rand(3))


def test_results_are_recorded_only_where_asked(tmp_path, monkeypatch):
    monkeypatch.delenv("QNN_RESULTS_DIR", raising=False)
    assert results.record("ch", accuracy=0.5) is None  # a learner's run writes nothing
    monkeypatch.setenv("QNN_RESULTS_DIR", str(tmp_path / "r"))
    results.record("ch", accuracy=np.float32(0.5), n=3, per_class=np.array([0.25, 1.0]))
    path = results.record("ch", epochs=2)
    assert json.loads(path.read_text()) == {"accuracy": 0.5, "n": 3, "per_class": [0.25, 1.0],
                                            "epochs": 2}


def test_a_record_is_written_whole_with_its_provenance(tmp_path, monkeypatch):
    """A new process starts the file anew (no stale figure survives), then adds to it."""
    monkeypatch.setenv("QNN_RESULTS_DIR", str(tmp_path))
    (tmp_path / "ch.json").write_text(json.dumps({"stale": 1, "accuracy": 0.1}))
    monkeypatch.setattr(results, "_started", set())  # as in a new kernel
    monkeypatch.setenv("QNN_PROVENANCE", json.dumps({"commit": "abc", "dirty": False}))
    results.record("ch", accuracy=0.5)
    path = results.record("ch", epochs=2)
    assert json.loads(path.read_text()) == {
        "provenance": {"commit": "abc", "dirty": False}, "accuracy": 0.5, "epochs": 2}


def test_plots_have_labels():
    names = ["Trouser", "Pullover"]
    fig = lessons.confusion_heatmap(np.array([[5, 1], [2, 4]]), names)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "predicted class"
    assert [t.get_text() for t in ax.get_xticklabels()] == names
    fig = lessons.learning_curves({"loss": [1.0, 0.5], "categorical_accuracy": [0.5, 0.8]})
    assert fig.axes[0].get_xlabel() == "epoch"
    fig = lessons.prediction_gallery(np.zeros((2, 784)), np.array([[0.7, 0.3], [0.4, 0.6]]),
                                   np.array([0, 0]), names, ["a", "b"])
    assert [t.get_text() for t in fig.axes[1].get_yticklabels()] == names
    matplotlib.pyplot.close("all")


def test_validation_split_is_disjoint_stratified_and_repeatable():
    y = np.repeat(np.arange(4), 250)
    train, val = lessons.validation_split(y)
    assert len(val) == 100 and len(train) == 900
    assert not set(train) & set(val) and set(train) | set(val) == set(range(1000))
    assert np.bincount(y[val]).tolist() == [25, 25, 25, 25]
    again, _ = lessons.validation_split(y)
    np.testing.assert_array_equal(train, again)


@pytest.mark.parametrize(("arguments", "message"), [
    ({"n_train": 0}, "n_train must be a number of training images between 4 .* and 360 "),
    ({"n_train": 361}, "n_train must be .* got 361"),
    ({"n_train": 2.5}, "n_train must be .* got 2.5"),
    ({"validation_fraction": 1.5}, "validation_fraction must be a number between 0 and 1"),
    ({"validation_fraction": 0}, "validation_fraction must be .* got 0"),
])
def test_reduced_data_names_its_own_bad_arguments(monkeypatch, arguments, message):
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(10, dtype=np.uint8), 100)  # 100 images per class: 400 of 4 labels
    x = rng.integers(0, 256, (1000, 28, 28), dtype=np.uint8)
    monkeypatch.setattr(data, "load_fashion_mnist", lambda data_dir=None: ((x, y), (x, y)))
    with pytest.raises(ValueError, match=message):
        lessons.reduced_fashion_mnist(**arguments, method="pca")
