"""Classical baselines train and report accuracy, parameter counts and their recipe."""

import numpy as np

from qnn_helpers import lessons


def _blobs(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    x = rng.normal(size=(n, 8)).astype(np.float32) * 0.3
    x[np.arange(n), y] += 2.0
    return x, y


def test_four_label_baselines_are_tuned_on_both_inputs(monkeypatch):
    monkeypatch.setattr(lessons, "MAX_EPOCHS", 5)
    monkeypatch.setattr(lessons, "LEARNING_RATES", (0.03,))
    (x, y), (xv, yv), (xt, yt) = _blobs(240, 0), _blobs(90, 1), _blobs(90, 2)
    data = lessons.ReducedData(x, y, xv, yv, xt, yt, None, ["a", "b", "c"], [0, 1, 2])
    out = lessons.four_label_baselines(data, seeds=(0,))
    models = ["logistic regression", "6-unit bottleneck", "MLP (32 hidden)"]
    assert list(out) == [f"{m}, {k}" for k in ("as given", "L2-normalised") for m in models] + [
        "softmax on pairwise products"]
    accuracies = {key: b.test_accuracy[0] for key, b in out.items()}
    assert all(a > 0.75 for a in accuracies.values()), accuracies  # chance: 0.33
    assert out["logistic regression, as given"].parameters == 8 * 3 + 3
    assert out["6-unit bottleneck, L2-normalised"].parameters == 8 * 6 + 6 + 6 * 3 + 3
    assert out["MLP (32 hidden), as given"].parameters == 8 * 32 + 32 + 32 * 3 + 3
    assert out["softmax on pairwise products"].parameters == 36 * 3 + 3  # 8 · 9 / 2 products
    assert out["MLP (32 hidden), as given"].seed == [0]
    table = lessons.tuned_table(out)
    assert list(table.index) == list(out) and (table["seeds"] == 1).all()


def test_l2_normalised_drops_the_length():
    x = np.array([[3.0, 4.0], [0.3, 0.4]], dtype=np.float32)
    np.testing.assert_allclose(lessons.l2_normalised(x), [[0.6, 0.8], [0.6, 0.8]], rtol=1e-6)


def test_tuned_baselines_choose_on_validation_and_learn_blobs(monkeypatch):
    monkeypatch.setattr(lessons, "MAX_EPOCHS", 2)
    monkeypatch.setattr(lessons, "LEARNING_RATES", (0.01, 0.03))
    (x, y), (xv, yv), (xt, yt) = _blobs(240, 0), _blobs(90, 1), _blobs(90, 2)
    logreg = lessons.tuned_logistic_regression("lr", x, y, xv, yv, xt, yt)
    assert logreg.test_accuracy[0] > 0.85 and logreg.choice.startswith("C = ")
    twin = lessons.tuned_keras("twin", "bottleneck + products", x, y, xv, yv, xt, yt,
                               seeds=(0, 1), batch_size=16)
    assert twin.seed == [0, 1] and min(twin.test_accuracy) > 0.85, twin
    assert twin.parameters == 8 * 6 + 6 + 21 * 3 + 3  # 6 tanh units and their 15 products
    assert any(f"Adam {lr}," in twin.choice for lr in (0.01, 0.03))
    assert [r.seed for r in twin.runs()] == [0, 1]


def test_pairwise_products_are_one_uploads_features():
    x = np.array([[3.0, 4.0]], dtype=np.float32)
    np.testing.assert_allclose(lessons.pairwise_products(x), [[0.36, 0.48, 0.64]], rtol=1e-6)
    h = np.array([[1.0, 2.0, 3.0]], dtype=np.float32)
    np.testing.assert_allclose(lessons.PairProducts()(h), [[1, 2, 3, 2, 3, 6]])
