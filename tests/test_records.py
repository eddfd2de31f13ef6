"""Every recorded figure lives in one file, says what produced it, and is one that some
code writes; the study's summaries (mean ± sd, chosen on validation, paired interval)."""

import ast
import json

import nbformat
import numpy as np
import pytest

from qnn_helpers import lessons, records
from tools.repo import NOTEBOOKS, RESULTS, chapters
from tools.study import store, sweeps

#: files in results/ that tools write whole, and the keys they write
TOOL_RECORDS = {
    "series": {path.stem for path in chapters()},
    "series_quick": {f"{path.stem}{tail}" for path in chapters()
                     for tail in ("", ":first_figure")},
    "series_floor": {"classical_floor_epoch_seconds"},
    "benchmark": {"batch_size", "train_samples", "compiled", "classical_floor_epoch_seconds",
                  "all_epoch_seconds", "epoch_ratio_to_classical_floor", "eager_reference",
                  "jax", "speedup_vs_eager", "speedup_vs_original_post", "machine",
                  "versions", "series_seconds", "series_in_classical_floor_epochs"},
}
BASELINES = {"baselines_four", "baselines", "baselines_ten_qubits"}


def chapter_keys() -> dict[str, set[str]]:
    """``{record: keys}`` of every ``results.record(name, key=...)`` call in the chapters."""
    written: dict[str, set[str]] = {}
    for path in chapters(NOTEBOOKS):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code" or "results.record(" not in cell.source:
                continue
            code = "\n".join(line for line in cell.source.splitlines()
                             if not line.lstrip().startswith(("%", "!")))
            for node in ast.walk(ast.parse(code)):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr == "record"
                        and getattr(node.func.value, "id", None) == "results"):
                    written.setdefault(node.args[0].value, set()).update(
                        k.arg for k in node.keywords)
    return written


def test_no_record_is_kept_twice():
    names = [p.name for folder in (RESULTS, store.RECORDED) for p in folder.glob("*.json")]
    assert len(names) == len(set(names)), sorted(names)


def test_every_key_of_every_record_is_one_some_code_writes():
    known = {**TOOL_RECORDS, **chapter_keys()}
    for path in RESULTS.glob("*.json"):
        assert path.stem in known, f"{path.name}: no chapter or tool writes it"
        stale = set(json.loads(path.read_text())) - known[path.stem] - {records.PROVENANCE}
        assert not stale, f"{path.name}: nothing writes {sorted(stale)} any more"
    sweeps_ = {s.record: set(s.variants) for s in (sweeps.SIX_QUBITS, sweeps.TEN_QUBITS)}
    for path in store.RECORDED.glob("*.json"):
        rows = set(records.rows(path.stem))
        if path.stem in sweeps_:
            assert rows == sweeps_[path.stem], path.name
        elif path.stem == "four_labels":
            assert rows == {"runs"}
        elif path.stem == "hardware":  # tools.study.hardware: every seed's measurements
            assert rows == {"protocol", "runs"}
            from tools.study import hardware
            assert set(hardware.describe()) <= set(records.load("hardware")["protocol"]) | {
                "device"}
        else:
            assert path.stem in BASELINES and rows, path.name


def test_every_study_record_says_what_produced_it():
    for path in store.RECORDED.glob("*.json"):
        provenance = records.load(path.stem)[records.PROVENANCE]
        assert len(provenance["commit"]) == 40 and len(provenance["requirements_sha256"]) == 64
        assert {"date", "threads", "keras_backend", "versions", "dirty"} <= set(provenance)


def test_the_tools_provenance_names_this_checkout(monkeypatch):
    from tools import provenance

    monkeypatch.setenv("TF_NUM_INTRAOP_THREADS", "2")
    found = json.loads(provenance.environment()[provenance.ENV])
    assert found["threads"]["tf_intra_op"] == "2" and found["requirements_sha256"]
    assert found["versions"]["python"] and isinstance(found["dirty"], bool)


def _run(val, test, seed=0, ablation=False):
    return records.Run("a", seed, [val - 0.1, val], 2, test, 144, 70, 12.0, ablation)


def test_table_gives_mean_and_sd_over_seeds_and_the_choice_uses_validation():
    rows = {"post": [_run(0.70, 0.90), _run(0.72, 0.90, 1)],
            "correlators": [_run(0.80, 0.60), _run(0.78, 0.62, 1)],
            "no layer CNOTs": [_run(0.99, 0.99, ablation=True)]}
    table = records.variant_table(rows)
    assert list(table.index) == ["post", "correlators", "no layer CNOTs"]
    assert np.isclose(table.loc["post", "val_mean"], 0.71)
    assert np.isclose(table.loc["correlators", "test_sd"], np.std([0.60, 0.62], ddof=1))
    # the validation images decide (not the test images), and ablations are never chosen
    assert records.chosen_variant(rows) == "correlators"
    assert records.chosen_on_validation({"a": [0.5, 0.7], "b": [0.6, 0.6]}) == "a"  # tie: first
    assert np.isnan(records.mean_sd([0.5])[1])


def test_paired_difference_pairs_by_seed_and_gives_a_t_interval():
    post = [_run(0.70, 0.5, seed=s) for s in range(3)]
    other = [_run(v, 0.5, seed=s) for s, v in [(2, 0.74), (0, 0.73), (1, 0.73)]]
    d = lessons.paired_difference(other, post)
    diffs = np.array([0.03, 0.03, 0.04])  # seed by seed, whatever the order of the runs
    half = 4.302653 * diffs.std(ddof=1) / np.sqrt(3)  # t quantile, 2 degrees of freedom
    assert d.seeds == 3 and np.isclose(d.mean, diffs.mean())
    assert np.isclose(d.low, diffs.mean() - half, atol=1e-6) and d.finding
    noisy = [_run(v, 0.5, seed=s) for s, v in enumerate([0.60, 0.80, 0.70])]
    assert not lessons.paired_difference(noisy, post).finding
    with pytest.raises(ValueError, match="same --seeds"):
        lessons.paired_difference([_run(0.7, 0.5, seed=9)], post)


def test_the_study_writes_a_record_whole_with_its_provenance(tmp_path):
    (tmp_path / "variants.json").write_text(json.dumps({"stale row": []}))
    store.write("variants", {"post": [_run(0.7, 0.6).record()]}, tmp_path)
    written = records.load("variants", tmp_path)
    assert list(written) == [records.PROVENANCE, "post"]
    assert records.load_runs("variants", tmp_path)["post"][0].val_accuracy == 0.7
