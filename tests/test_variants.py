"""The variant table's settings build the models they describe; results are read right."""

import numpy as np

from qnn_helpers import variants
from tools.repo import RESULTS


def test_every_variant_builds_with_its_settings():
    for name, variant in variants.VARIANTS.items():
        model = variants.build(variant, n_classes=10, n_train=800)
        quantum = model.get_layer("quantum")
        assert quantum.readout == variant.model.get("readout", "z"), name
        assert quantum.cnot_ranges == variant.model.get("cnot_ranges", "post"), name
        assert quantum.trainable == (not variant.model.get("freeze_circuit", False)), name
        schedule = model.optimizer.get_config()["learning_rate"]
        is_cosine = isinstance(schedule, dict) and schedule["class_name"] == "CosineDecay"
        assert is_cosine == variant.cosine_decay, name
    frozen = variants.build(variants.VARIANTS["frozen circuit"], 10, 800)
    assert [w.name for w in frozen.trainable_weights] == ["kernel", "bias"]


def _result(val, test, seed=0):
    return variants.VariantResult("a", seed, [val - 0.1, val], test, 144, 70, 12.0, 2)


def test_table_gives_mean_and_sd_over_seeds_and_best_uses_validation():
    rows = {"post": [_result(0.70, 0.90), _result(0.72, 0.90, 1)],
            "correlators": [_result(0.80, 0.60), _result(0.78, 0.62, 1)],
            "no CNOTs": [_result(0.99, 0.99)]}
    table = variants.table(rows)
    assert list(table.index) == ["post", "correlators", "no CNOTs"]
    assert np.isclose(table.loc["post", "val_mean"], 0.71)
    assert np.isclose(table.loc["correlators", "test_sd"], np.std([0.60, 0.62], ddof=1))
    # the validation images decide (not the test images), and ablations are never "best"
    assert variants.best(rows) == "correlators"


def test_committed_variants_cover_the_table_with_three_seeds():
    recorded = variants.load_results(RESULTS / "variants.json")  # written by `make variants`
    assert set(recorded) == set(variants.VARIANTS)
    assert all(len(runs) >= 3 for runs in recorded.values())
    table = variants.table(recorded)
    best = variants.best(recorded)
    # the variant chosen on validation images also beats the post's model on the test images
    assert table.loc[best, "test_mean"] > table.loc["post", "test_mean"]
