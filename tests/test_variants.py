"""The variant table's settings build the models they describe; results are read right."""

import numpy as np
import pytest

from qnn_helpers import lessons
from qnn_helpers.engine.models import build_hybrid_model
from tools.repo import RESULTS


def test_every_variant_builds_with_its_settings():
    for name, variant in lessons.VARIANTS.items():
        model = lessons.build_variant(variant, n_classes=10, n_train=800)
        quantum = model.get_layer("quantum")
        assert quantum.readout == variant.model.get("readout", "z"), name
        assert quantum.cnot_ranges == variant.model.get("cnot_ranges", "post"), name
        assert quantum.trainable == (not variant.model.get("freeze_circuit", False)), name
        schedule = model.optimizer.get_config()["learning_rate"]
        is_cosine = isinstance(schedule, dict) and schedule["class_name"] == "CosineDecay"
        assert is_cosine == variant.cosine_decay, name
        assert quantum.upload_every == variant.model.get("upload_every", 2), name
        assert model.input_shape[-1] == (variant.angle_pcs or 64), name
    frozen = lessons.build_variant(lessons.VARIANTS["frozen circuit"], 10, 800)
    assert [w.name for w in frozen.trainable_weights] == ["kernel", "bias"]


def _result(val, test, seed=0):
    return lessons.VariantResult("a", seed, [val - 0.1, val], test, 144, 70, 12.0, 2)


def test_table_gives_mean_and_sd_over_seeds_and_best_uses_validation():
    rows = {"post": [_result(0.70, 0.90), _result(0.72, 0.90, 1)],
            "correlators": [_result(0.80, 0.60), _result(0.78, 0.62, 1)],
            "no layer CNOTs": [_result(0.99, 0.99)]}
    table = lessons.variant_table(rows)
    assert list(table.index) == ["post", "correlators", "no layer CNOTs"]
    assert np.isclose(table.loc["post", "val_mean"], 0.71)
    assert np.isclose(table.loc["correlators", "test_sd"], np.std([0.60, 0.62], ddof=1))
    # the validation images decide (not the test images), and ablations are never "best"
    assert lessons.choose_variant(rows) == "correlators"


def test_paired_difference_pairs_by_seed_and_gives_a_t_interval():
    post = [_result(0.70, 0.5, seed=s) for s in range(3)]
    other = [_result(v, 0.5, seed=s) for s, v in [(2, 0.74), (0, 0.73), (1, 0.73)]]
    d = lessons.paired_difference(other, post)
    diffs = np.array([0.03, 0.03, 0.04])  # seed by seed, whatever the order of the runs
    half = 4.302653 * diffs.std(ddof=1) / np.sqrt(3)  # t quantile, 2 degrees of freedom
    assert d.seeds == 3 and np.isclose(d.mean, diffs.mean())
    assert np.isclose(d.low, diffs.mean() - half, atol=1e-6) and d.finding
    noisy = [_result(v, 0.5, seed=s) for s, v in enumerate([0.60, 0.80, 0.70])]
    assert not lessons.paired_difference(noisy, post).finding
    with pytest.raises(ValueError, match="same --seeds"):
        lessons.paired_difference([_result(0.7, 0.5, seed=9)], post)


def test_committed_variants_cover_the_table_with_five_seeds():
    recorded = lessons.load_variant_results(RESULTS / "variants.json")  # written by `make variants`
    assert set(recorded) == set(lessons.VARIANTS)
    assert all(len(runs) >= 5 for runs in recorded.values())
    table = lessons.variant_table(recorded)
    best = lessons.choose_variant(recorded)
    # the variant chosen on validation images also beats the post's model on the test images
    assert table.loc[best, "test_mean"] > table.loc["post", "test_mean"]


@pytest.mark.parametrize("name, expected", [
    ("baselines", "6-unit bottleneck + products, improved features"),
    ("baselines_four", "softmax on pairwise products"),
    ("baselines_ten_qubits", "CNN, 349 parameters"),
])
def test_committed_baselines_were_tuned_over_five_seeds(name, expected):
    baselines = lessons.load_baselines(RESULTS / f"{name}.json")  # by `make variants`
    assert expected in baselines
    assert lessons.load_baselines(name=name) == baselines  # the package's copy is the same
    for key, b in baselines.items():
        assert len(b.seed) >= 5 or key.startswith("logistic regression"), key
        assert len(b.val_accuracy) == len(b.test_accuracy) == len(b.seed), key


def test_angle_variant_trains_on_principal_components():
    rng = np.random.default_rng(0)

    def part(n):
        return rng.uniform(0, 1, (n, 64)).astype(np.float32), rng.integers(0, 3, n)

    (x, y), (xv, yv), (xt, yt) = part(40), part(20), part(20)
    data = lessons.ReducedData(x, y, xv, yv, xt, yt, None, ["a", "b", "c"], [0, 1, 2])
    result, model = lessons.run_variant("angle encoding", data, epochs=1)
    assert model.input_shape[-1] == 6 and len(result.val_accuracy_per_epoch) == 1


def test_committed_ten_qubit_runs_cover_chapter_07_with_the_epoch_chosen_on_validation():
    recorded = lessons.load_whole_image_results(RESULTS / "ten_qubits.json")
    assert set(recorded) == set(lessons.WHOLE_IMAGE_VARIANTS)
    assert lessons.load_whole_image_results() == recorded  # the package's copy is the same
    for name, runs in recorded.items():
        assert len(runs) >= 5, name
        mean_val = np.mean([r.val_accuracy_per_epoch for r in runs], axis=0)
        assert {r.epoch for r in runs} == {int(np.argmax(mean_val)) + 1}, name


def test_whole_image_variants_build_ten_qubit_models_with_their_settings():
    for name, variant in lessons.WHOLE_IMAGE_VARIANTS.items():
        model = build_hybrid_model(10, n_qubits=10, **lessons.TEN_QUBIT_EVALUATION,
                                   **variant.model)
        quantum = model.get_layer("quantum")
        assert quantum.n_qubits == 10 and model.compiled_evaluation, name
        assert model.input_shape[-1] == (variant.angle_pcs or 1024), name
        assert quantum.readout == variant.model.get("readout", "z"), name
        assert quantum.upload_every == variant.model.get("upload_every", 2), name


def test_whole_image_training_chooses_the_epoch_on_validation_then_tests_once():
    """Two seeds, two epochs on 24 angle-encoded images: every seed's test accuracy is
    that of its weights after the epoch of the highest mean validation accuracy."""
    rng = np.random.default_rng(0)

    def part(n):
        return rng.uniform(0, 1, (n, 1024)).astype(np.float32), rng.integers(0, 3, n)

    (x, y), (xv, yv), (xt, yt) = part(24), part(250), part(250)
    data = lessons.ReducedData(x, y, xv, yv, xt, yt, None, ["a", "b", "c"], [0, 1, 2])
    runs, models = lessons.train_whole_image_variant("angle encoding", data, [0, 1], 2)
    mean_val = np.mean([r.val_accuracy_per_epoch for r in runs], axis=0)
    assert [r.epoch for r in runs] == [int(np.argmax(mean_val)) + 1] * 2
    assert [r.seed for r in runs] == [0, 1] and runs[0].quantum_parameters == 240
    _, _, xt10 = lessons.angle_features(x, xv, xt, n_components=10)
    for run, model in zip(runs, models, strict=True):
        assert run.test_accuracy == lessons.evaluate(model, xt10, yt).accuracy
