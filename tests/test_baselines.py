"""Classical baselines train and report accuracy and parameter counts."""

import numpy as np

from qnn_helpers import baselines


def _blobs(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    x = rng.normal(size=(n, 8)).astype(np.float32) * 0.3
    x[np.arange(n), y] += 2.0
    return x, y


def test_baselines_learn_separable_blobs():
    (x, y), (xt, yt) = _blobs(240, 0), _blobs(90, 1)
    out = baselines.all_baselines(x, y, xt, yt, epochs=2)
    assert set(out) == {"logistic regression", "6-unit bottleneck", "MLP (32 hidden)"}
    assert all(r.accuracy > 0.9 for r in out.values()), out
    assert out["logistic regression"].parameters == 8 * 3 + 3
    assert out["6-unit bottleneck"].parameters == 8 * 6 + 6 + 6 * 3 + 3
    assert out["MLP (32 hidden)"].parameters == 8 * 32 + 32 + 32 * 3 + 3
    table = baselines.baseline_table(out, quantum=baselines.BaselineResult(0.5, 7))
    assert list(table.index) == ["hybrid (quantum) model", *out]
    assert table.loc["hybrid (quantum) model", "parameters"] == 7
