"""The study's one tuning protocol (``tools.study.protocol``) and its resumable runner."""

import json

import numpy as np
import pytest

from tools.study import protocol as P
from tools.study import runner
from tools.study.__main__ import Study
from tools.study.tables import TABLES, Table, upstream_parameters


def test_the_choice_is_the_highest_mean_validation_accuracy_over_the_tuning_seeds():
    curves = {0.003: [[0.5, 0.6, 0.61], [0.5, 0.62, 0.6]],
              0.01: [[0.6, 0.7, 0.66], [0.6, 0.64, 0.7]],  # means 0.6, 0.67, 0.68
              0.03: [[0.7, 0.66, 0.6], [0.5, 0.6, 0.6]]}
    choice = P.choose(curves, 3)
    assert (choice.learning_rate, choice.epochs) == (0.01, 3)
    assert choice.val_mean == pytest.approx(0.68)
    assert choice.edges == ["epochs"]  # the last epoch of the cap: an edge
    interior = P.choose(curves, 2)  # the cap at 2: only the first two epochs count
    assert (interior.learning_rate, interior.epochs, interior.edges) == (0.01, 2, ["epochs"])


def test_a_choice_at_a_learning_rate_edge_widens_the_grid_along_the_ladder():
    curves = {0.003: [[0.5, 0.7, 0.6]], 0.01: [[0.5, 0.6, 0.5]], 0.03: [[0.4, 0.5, 0.4]]}
    choice = P.choose(curves, 3)
    assert (choice.learning_rate, choice.epochs, choice.edges) == (0.003, 2, ["learning_rate"])
    assert P.widen([0.003, 0.01, 0.03], 3, choice) == ([0.001, 0.003, 0.01, 0.03], 3)
    top = P.choose({0.01: [[0.1]], 0.03: [[0.2]]}, 2)
    assert P.widen([0.01, 0.03], 2, top) == ([0.01, 0.03, 0.1], 2)


def test_a_choice_at_the_epoch_cap_raises_the_cap_by_half_and_inside_stops():
    choice = P.Choice(0.01, 6, 0.7, ["epochs"])
    assert P.widen([0.003, 0.01, 0.03], 6, choice) == ([0.003, 0.01, 0.03], 9)
    assert P.widen([0.003, 0.01, 0.03], 6, P.Choice(0.01, 4, 0.7)) is None
    at_limit = P.Choice(0.01, P.EPOCH_LIMIT, 0.7, ["epochs"])
    assert P.widen([0.003, 0.01, 0.03], P.EPOCH_LIMIT, at_limit) is None
    bottom = P.Choice(P.LEARNING_RATES[0], 2, 0.7, ["learning_rate"])
    assert P.widen([P.LEARNING_RATES[0], 0.001], 4, bottom) is None  # the ladder ends


def test_a_protocol_refuses_rates_off_the_ladder_and_tuning_seeds_it_does_not_run():
    with pytest.raises(ValueError, match="learning_rates"):
        P.Protocol(learning_rates=(0.005,))
    with pytest.raises(ValueError, match="tuning_seeds"):
        P.Protocol(tuning_seeds=(7,))


def test_every_table_names_its_rows_once_and_counts_the_encoder_upstream():
    for table in TABLES:
        assert len({r.name for r in table.rows}) == len(table.rows)
    six = {r.name: r for t in TABLES if t.record == "variants" for r in t.rows}
    assert upstream_parameters(six["post"]) == 170_628  # chapter 01's encoder
    assert upstream_parameters(six["angle encoding"]) == 170_628 + 6 * 64 + 64
    ten = {r.name: r for t in TABLES if t.record == "ten_qubits" for r in t.rows}
    assert upstream_parameters(ten["post, 10 qubits"]) == 0
    with pytest.raises(ValueError, match="share a name"):
        Table("x", P.Protocol(), (six["post"], six["post"]))


@pytest.fixture
def blobs(monkeypatch, tmp_path):
    """Three separable blobs of 8 features instead of Fashion-MNIST, a cache of its own."""
    rng = np.random.default_rng(0)

    class Data:
        n_classes = 3

    def make(n):
        y = np.arange(n) % 3
        centres = np.eye(3, 8) * 3 + 1
        return (centres[y] + rng.normal(0, 0.7, (n, 8))).astype(np.float32), y

    d = Data()
    (d.x_train, d.y_train), (d.x_val, d.y_val), (d.x_test, d.y_test) = (
        make(240), make(90), make(90))
    monkeypatch.setattr(runner, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(runner, "data", lambda features: d)
    runner.split.cache_clear()
    yield d
    runner.split.cache_clear()


def test_a_run_resumed_from_its_checkpoint_is_the_run_trained_at_once(blobs):
    spec = runner.Spec("mlp", "tiny", "blobs", "classical", (("hidden", "mlp"),))
    whole = runner.train(spec, 0.01, 3, 16, 4).val_accuracy
    for path in (runner.CACHE).rglob("*"):
        if path.is_file():
            path.unlink()
    first = runner.train(spec, 0.01, 3, 16, 2).val_accuracy
    resumed = runner.train(spec, 0.01, 3, 16, 4).val_accuracy
    assert first == whole[:2] and resumed == whole
    assert whole[-1] > 0.8  # the blobs are learnt
    result = runner.test_accuracy(spec, 0.01, 3, 16, 3)
    assert result["val_accuracy"] == whole[2] and 0.8 < result["test_accuracy"] <= 1
    assert result["n_train"] == 240 and np.trace(result["confusion"]) == round(
        result["test_accuracy"] * 90)


def test_the_study_tunes_widens_confirms_and_records_interior_choices(blobs, tmp_path):
    protocol = P.Protocol(learning_rates=(0.03, 0.1), max_epochs=2, batch_size=16,
                          tuning_seeds=(0,), seeds=(0, 1))
    table = Table("tiny", protocol, (
        runner.Spec("linear", "softmax", "blobs", "classical", (("hidden", "linear"),)),
        runner.Spec("logistic", "logistic regression", "blobs", "logistic"),
    ))
    Study([table], jobs=0, out=tmp_path).run()  # in this process
    record = json.loads((tmp_path / "tiny.json").read_text())
    assert {"provenance", "protocol", "linear", "logistic"} == set(record)
    linear = record["linear"]
    print(json.dumps({k: linear[k] for k in ("widened", "grid", "chosen")}))
    # the first grid's choice sat on an edge: the grid grew until it was inside
    assert linear["widened"] and linear["edges"] == []
    lr, epochs = linear["chosen"]["learning_rate"], linear["chosen"]["epochs"]
    assert lr in linear["grid"]["learning_rate"] and epochs in linear["grid"]["epochs"]
    assert linear["seed"] == [0, 1] and len(linear["test_accuracy"]) == 2
    assert linear["optimizer_steps"] == epochs * 15
    assert record["logistic"]["chosen"]["C"] in record["logistic"]["grid"]["C"]
    assert min(record["logistic"]["test_accuracy"]) > 0.8


def test_holm_finds_what_its_corrected_intervals_exclude_zero_for():
    from scipy import stats

    from qnn_helpers.records import holm
    rng = np.random.default_rng(1)
    diffs = {"large": 0.05 + rng.normal(0, 0.004, 5), "small": 0.004 + rng.normal(0, 0.003, 5),
             "none": rng.normal(0, 0.01, 5)}
    table = holm(diffs)
    assert list(table.index) == ["large", "small", "none"]
    assert bool(table.loc["large", "finding"]) and not bool(table.loc["none", "finding"])
    for _, row in table.iterrows():  # an interval excludes zero exactly for a finding
        assert row["finding"] == (row["low"] > 0 or row["high"] < 0)
    # the smallest p is corrected over all three: its interval is the 1 - 0.05/3 one
    plain = stats.ttest_1samp(diffs["large"], 0).confidence_interval(1 - 0.05 / 3)
    assert table.loc["large", "low"] == pytest.approx(plain.low)
    uncorrected = stats.ttest_1samp(diffs["small"], 0)
    assert table.loc["small", "p_holm"] >= uncorrected.pvalue
    with pytest.raises(ValueError, match="'one': give two or more"):
        holm({"one": [0.1]})
    with pytest.raises(ValueError, match="empty"):
        holm({})


def test_chapter_06s_measurements_run_for_a_seed(monkeypatch, tmp_path):
    """On a small stand-in for the 4-label data and fewer images, every measurement of one
    seed runs, and noise leaves less signal the stronger it is."""
    pytest.importorskip("qiskit_aer", reason="the hardware extra is not installed")
    from tools.study import hardware
    rng = np.random.default_rng(0)

    class Data:
        n_classes = 4

    def make(n):
        return rng.uniform(0.05, 1, (n, 64)).astype(np.float32), np.arange(n) % 4

    d = Data()
    (d.x_train, d.y_train), (d.x_val, d.y_val), (d.x_test, d.y_test) = (
        make(64), make(24), make(24))
    monkeypatch.setattr(runner, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(runner, "data", lambda features: d)
    runner.split.cache_clear()

    def untrained(spec, learning_rate, seed, batch_size, epochs):  # what is measured is the
        from qnn_helpers import training  # same; training it would only cost time here
        from qnn_helpers.engine.models import build_hybrid_model
        training.set_seed(seed)
        return build_hybrid_model(4, jit_compile=False), None

    monkeypatch.setattr(runner, "_model_at", untrained)
    for name, value in (("N_TEST", 12), ("N_VAL", 12), ("N_DEVICE", 6), ("N_DEVICE_VAL", 6),
                        ("N_IDLE", 4), ("P2_VALUES", np.array([1e-3, 1e-1])),
                        ("GAMMAS", (1e-3,)), ("BACKEND", "FakeLagosV2")):  # 7 qubits
        monkeypatch.setattr(hardware, name, value)
    out = hardware.one_seed(3)
    runner.split.cache_clear()
    assert out["seed"] == 3 and len(out["depolarizing"]) == 2 and len(out["relaxation"]) == 1
    assert out["depolarizing"][0]["signal_left"] > out["depolarizing"][1]["signal_left"]
    device = out["device"]
    assert 0 < device["signal_left"] < 1 and device["two_qubit_gates"] > 50
    assert set(device["accuracy"]["4,000 shots"]) == set(hardware.KINDS)


def test_a_study_table_reads_back_with_its_choices_and_comparisons(tmp_path):
    from qnn_helpers import records

    def row(description, lr, test, edges=()):
        return {"description": description, "kind": "classical", "features": "blobs",
                "ablation": False, "fixed": False,
                "grid": {"learning_rate": [0.01, 0.03, 0.1], "epochs": [1, 2, 3]},
                "chosen": {"learning_rate": lr, "epochs": 2}, "edges": list(edges),
                "widened": [], "validation_by_grid": {},
                "parameters": {"quantum": 0, "classical": 27, "upstream": 0},
                "batch_size": 16, "optimizer_steps": 30, "tuning_seeds": [0],
                "seed": [0, 1, 2], "val_accuracy": [t - 0.01 for t in test],
                "test_accuracy": test,
                "test_confusion": [[[3, 1], [0, 4]], [[4, 0], [1, 3]], [[2, 2], [0, 4]]]}

    record = {"provenance": {}, "protocol": {"seeds": [0, 1, 2]},
              "linear": row("softmax", 0.03, [0.80, 0.82, 0.81]),
              "mlp": row("32 ReLU", 0.01, [0.85, 0.88, 0.86], ["epochs"])}
    (tmp_path / "tiny.json").write_text(json.dumps(record))
    rows = records.load_table("tiny", tmp_path)
    frame = records.table_frame(rows)
    assert list(frame.index) == ["linear", "mlp"] and (frame["seeds"] == 3).all()
    assert list(frame["inside its grid"]) == [True, False]
    assert rows["mlp"].choice == "Adam 0.01, 2 epochs (batch 16)"
    np.testing.assert_allclose(rows["mlp"].per_class(), [[0.75, 1], [1, 0.75], [0.5, 1]])
    assert records.protocol("tiny", tmp_path)["seeds"] == [0, 1, 2]
    assert records.chosen_row(rows) == "mlp"
    diffs = records.paired_differences(rows["mlp"], rows["linear"])
    np.testing.assert_allclose(diffs, [0.05, 0.06, 0.05])
    compared = records.compare({"mlp − linear": (rows["mlp"], rows["linear"])})
    assert compared.loc["mlp − linear", "mean"] == pytest.approx(diffs.mean())
    assert bool(compared.loc["mlp − linear", "finding"])
