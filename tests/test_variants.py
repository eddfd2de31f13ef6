"""The variant table's settings build the models they describe."""

import keras

from qnn_helpers import results, variants


def test_every_variant_builds_with_its_readout():
    for name, variant in variants.VARIANTS.items():
        model = variants.build(variant, n_classes=10, n_train=800)
        quantum = model.get_layer("quantum")
        assert quantum.readout == variant.model.get("readout", "z"), name
        schedule = model.optimizer._learning_rate
        is_cosine = isinstance(schedule, keras.optimizers.schedules.CosineDecay)
        assert is_cosine == variant.cosine_decay, name
    assert variants.BEST in variants.VARIANTS


def test_table_lists_every_row():
    rows = {"a": {"accuracy": 0.8, "quantum_parameters": 144, "classical_parameters": 220,
                  "train_seconds": 12.0}}
    text = variants.table(rows)
    assert "0.8000" in text and "144" in text and "220" in text


def test_committed_variants_cover_the_table_and_the_best_passes_80_percent():
    recorded = results.load_committed("variants")  # written by `make variants`
    assert set(recorded) == set(variants.VARIANTS)
    assert recorded[variants.BEST]["accuracy"] >= 0.80
