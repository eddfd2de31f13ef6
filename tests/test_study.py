"""The study (``tools.study``): its settings build the models they describe, its runner
chooses on validation before it tests, its tuned baselines learn; the records read right."""

import numpy as np
import pytest

from qnn_helpers import lessons, records
from tools.study import baselines, sweeps


def _data(n_features, sizes=(40, 20, 20), seed=0):
    rng = np.random.default_rng(seed)

    def part(n):
        return rng.uniform(0, 1, (n, n_features)).astype(np.float32), rng.integers(0, 3, n)

    (x, y), (xv, yv), (xt, yt) = (part(n) for n in sizes)
    return lessons.ReducedData(x, y, xv, yv, xt, yt, None, ["a", "b", "c"], [0, 1, 2])


def _blobs(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    x = rng.normal(size=(n, 8)).astype(np.float32) * 0.3
    x[np.arange(n), y] += 2.0
    return x, y


def test_every_six_qubit_variant_builds_with_its_settings():
    sweep = sweeps.SIX_QUBITS
    for name, variant in sweep.variants.items():
        model = sweeps.build_variant(sweep, variant, n_classes=10, n_train=800)
        quantum = model.get_layer("quantum")
        assert quantum.readout == variant.model.get("readout", "z"), name
        assert quantum.cnot_ranges == variant.model.get("cnot_ranges", "post"), name
        assert quantum.trainable == (not variant.model.get("freeze_circuit", False)), name
        schedule = model.optimizer.get_config()["learning_rate"]
        is_cosine = isinstance(schedule, dict) and schedule["class_name"] == "CosineDecay"
        assert is_cosine == variant.cosine_decay, name
        assert quantum.upload_every == variant.model.get("upload_every", 2), name
        assert model.input_shape[-1] == (variant.angle_pcs or 64), name
    frozen = sweeps.build_variant(sweep, sweep.variants["frozen circuit"], 10, 800)
    assert [w.name for w in frozen.trainable_weights] == ["kernel", "bias"]


def test_whole_image_variants_build_ten_qubit_models_with_their_settings():
    sweep = sweeps.TEN_QUBITS
    for name, variant in sweep.variants.items():
        model = sweeps.build_variant(sweep, variant, 10, 800)
        quantum = model.get_layer("quantum")
        assert quantum.n_qubits == 10 and model.compiled_evaluation, name
        assert model.input_shape[-1] == (variant.angle_pcs or 1024), name
        assert quantum.readout == variant.model.get("readout", "z"), name
        assert quantum.upload_every == variant.model.get("upload_every", 2), name


@pytest.mark.parametrize("sweep", [sweeps.SIX_QUBITS, sweeps.TEN_QUBITS], ids=lambda s: s.record)
def test_the_records_hold_every_variant_as_the_sweep_describes_it(sweep):
    recorded = records.load_runs(sweep.record)
    assert list(recorded) == list(sweep.variants)
    for name, runs in recorded.items():
        variant = sweep.variants[name]
        assert len(runs) >= 5, name
        assert {(r.description, r.ablation) for r in runs} == {(variant.description,
                                                                variant.ablation)}, name
        mean_val = np.mean([r.val_accuracy_per_epoch for r in runs], axis=0)
        chosen = int(np.argmax(mean_val)) + 1 if sweep.choose_epoch else variant.epochs
        assert {r.epoch for r in runs} == {chosen}, name


def test_the_variant_chosen_on_validation_also_wins_on_test():
    recorded = records.load_runs("variants")
    table = records.variant_table(recorded)
    best = records.chosen_variant(recorded)
    assert table.loc[best, "test_mean"] > table.loc["post", "test_mean"]


def test_the_runner_chooses_the_epoch_on_validation_then_tests_once():
    """Two seeds, two epochs on 24 angle-encoded images: every seed's test accuracy is
    that of its weights after the epoch of the highest mean validation accuracy."""
    data = _data(1024, (24, 250, 250))
    runs, models = sweeps.run_variant(sweeps.TEN_QUBITS, "angle encoding", data, [0, 1])
    mean_val = np.mean([r.val_accuracy_per_epoch for r in runs], axis=0)
    assert len(mean_val) == 3
    assert [r.epoch for r in runs] == [int(np.argmax(mean_val)) + 1] * 2
    assert [r.seed for r in runs] == [0, 1] and runs[0].quantum_parameters == 240
    _, _, xt10 = sweeps.angle_features(data.x_train, data.x_val, data.x_test, n_components=10)
    for run, model in zip(runs, models, strict=True):
        assert run.test_accuracy == lessons.evaluate(model, xt10, data.y_test).accuracy


def test_the_six_qubit_runner_tests_the_last_epoch(monkeypatch):
    monkeypatch.setitem(sweeps.SIX_QUBITS.variants, "angle, 1 epoch", sweeps.Variant(
        "angle", {"encoding": "angle"}, angle_pcs=6, epochs=1, ablation=True))
    runs, (model,) = sweeps.run_variant(sweeps.SIX_QUBITS, "angle, 1 epoch", _data(64), [0])
    assert model.input_shape[-1] == 6 and runs[0].epoch == 1 and runs[0].ablation


def test_angle_features_are_scaled_to_unit_interval():
    rng = np.random.default_rng(0)
    train, test = sweeps.angle_features(rng.normal(size=(50, 64)), rng.normal(size=(20, 64)))
    assert train.shape == (50, 6) and test.shape == (20, 6)
    assert train.min() == 0 and train.max() == 1
    assert test.min() >= 0 and test.max() <= 1


def test_four_label_baselines_are_tuned_on_both_inputs(monkeypatch):
    monkeypatch.setattr(baselines, "MAX_EPOCHS", 5)
    monkeypatch.setattr(baselines, "LEARNING_RATES", (0.03,))
    (x, y), (xv, yv), (xt, yt) = _blobs(240, 0), _blobs(90, 1), _blobs(90, 2)
    data = lessons.ReducedData(x, y, xv, yv, xt, yt, None, ["a", "b", "c"], [0, 1, 2])
    out = baselines.four_label_baselines(data, seeds=(0,))
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
    table = records.tuned_table(out)
    assert list(table.index) == list(out) and (table["seeds"] == 1).all()


def test_tuned_baselines_choose_on_validation_and_learn_blobs(monkeypatch):
    monkeypatch.setattr(baselines, "MAX_EPOCHS", 2)
    monkeypatch.setattr(baselines, "LEARNING_RATES", (0.01, 0.03))
    (x, y), (xv, yv), (xt, yt) = _blobs(240, 0), _blobs(90, 1), _blobs(90, 2)
    logreg = lessons.tuned_logistic_regression("lr", x, y, xv, yv, xt, yt)
    assert logreg.test_accuracy[0] > 0.85 and logreg.choice.startswith("C = ")
    twin = baselines.tuned_keras("twin", "bottleneck + products", x, y, xv, yv, xt, yt,
                                 seeds=(0, 1), batch_size=16)
    assert twin.seed == [0, 1] and min(twin.test_accuracy) > 0.85, twin
    assert twin.parameters == 8 * 6 + 6 + 21 * 3 + 3  # 6 tanh units and their 15 products
    assert any(f"Adam {lr}," in twin.choice for lr in (0.01, 0.03))
    assert [r.seed for r in twin.runs()] == [0, 1]


def test_l2_normalised_drops_the_length_and_products_are_one_uploads_features():
    x = np.array([[3.0, 4.0], [0.3, 0.4]], dtype=np.float32)
    np.testing.assert_allclose(baselines.l2_normalised(x), [[0.6, 0.8], [0.6, 0.8]], rtol=1e-6)
    np.testing.assert_allclose(baselines.pairwise_products(x[:1]), [[0.36, 0.48, 0.64]],
                               rtol=1e-6)
    h = np.array([[1.0, 2.0, 3.0]], dtype=np.float32)
    np.testing.assert_allclose(baselines.PairProducts()(h), [[1, 2, 3, 2, 3, 6]])


@pytest.mark.parametrize("name, expected", [
    ("baselines", "6-unit bottleneck + products, improved features"),
    ("baselines_four", "softmax on pairwise products"),
    ("baselines_ten_qubits", "CNN, 349 parameters"),
])
def test_recorded_baselines_were_tuned_over_five_seeds(name, expected):
    recorded = records.load_baselines(name)
    assert expected in recorded
    for key, b in recorded.items():
        assert len(b.seed) >= 5 or key.startswith("logistic regression"), key
        assert len(b.val_accuracy) == len(b.test_accuracy) == len(b.seed), key
