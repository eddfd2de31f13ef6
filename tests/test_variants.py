"""The variant table's settings build the models they describe."""

from qnn_helpers import variants
from tools.repo import RESULTS


def test_every_variant_builds_with_its_readout():
    for name, variant in variants.VARIANTS.items():
        model = variants.build(variant, n_classes=10, n_train=800)
        quantum = model.get_layer("quantum")
        assert quantum.readout == variant.model.get("readout", "z"), name
        schedule = model.optimizer.get_config()["learning_rate"]
        is_cosine = isinstance(schedule, dict) and schedule["class_name"] == "CosineDecay"
        assert is_cosine == variant.cosine_decay, name
    assert variants.BEST in variants.VARIANTS


def test_table_lists_every_row():
    row = variants.VariantResult("a", 0.8, [0.7, 0.8], 144, 220, 12.0, 2)
    table = variants.table({"a": row, "b": row})
    assert list(table.index) == ["a", "b"]
    assert table.loc["a"].tolist() == [0.8, 144, 220, 12.0]


def test_committed_variants_cover_the_table_and_the_best_passes_80_percent():
    recorded = variants.load_results(RESULTS / "variants.json")  # written by `make variants`
    assert set(recorded) == set(variants.VARIANTS)
    assert recorded[variants.BEST].accuracy >= 0.80
