"""Classical baselines train and report accuracy, parameter counts and their recipe."""

import numpy as np

from qnn_helpers import baselines


def _blobs(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    x = rng.normal(size=(n, 8)).astype(np.float32) * 0.3
    x[np.arange(n), y] += 2.0
    return x, y


def test_baselines_learn_separable_blobs_on_both_inputs():
    (x, y), (xt, yt) = _blobs(240, 0), _blobs(90, 1)
    out = baselines.all_baselines(x, y, xt, yt, epochs=2)
    models = ["logistic regression", "6-unit bottleneck", "MLP (32 hidden)"]
    assert list(out) == [f"{m}, {k}" for k in ("as given", "L2-normalised") for m in models]
    assert all(r.accuracy > 0.85 for r in out.values()), out
    assert out["logistic regression, as given"].parameters == 8 * 3 + 3
    assert out["6-unit bottleneck, L2-normalised"].parameters == 8 * 6 + 6 + 6 * 3 + 3
    assert out["MLP (32 hidden), as given"].parameters == 8 * 32 + 32 + 32 * 3 + 3
    assert "epochs: 2" in out["MLP (32 hidden), as given"].recipe
    table = baselines.baseline_table(out, quantum=baselines.BaselineResult(0.5, 7, "hybrid"))
    assert list(table.index) == ["hybrid (quantum) model", *out]
    assert table.loc["hybrid (quantum) model", "parameters"] == 7


def test_l2_normalised_drops_the_length():
    x = np.array([[3.0, 4.0], [0.3, 0.4]], dtype=np.float32)
    np.testing.assert_allclose(baselines.l2_normalised(x), [[0.6, 0.8], [0.6, 0.8]], rtol=1e-6)
