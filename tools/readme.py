"""``python -m tools.readme``: the recorded figures → results/results.md and the README's block.

The chapters record what they measured with :func:`qnn_helpers.results.record`
(``make series`` points ``$QNN_RESULTS_DIR`` at ``results/``), the benchmark writes
``results/benchmark.json``, and the study (``make variants``) its records into the package
(:mod:`qnn_helpers.records`).  This tool turns them into Markdown tables (pandas'
``to_markdown``) between ``<!-- results:start -->`` and ``<!-- results:end -->`` in the
README.  Nothing in the tables is typed by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from qnn_helpers import lessons, records
from tools.repo import README, RESULTS


def load(name: str, folder: Path = RESULTS) -> dict[str, Any]:
    """The figures of ``folder/<name>.json`` without their provenance (empty if it has not
    been written)."""
    path = Path(folder) / f"{name}.json"
    figures = json.loads(path.read_text()) if path.exists() else {}
    figures.pop("provenance", None)
    return figures


def _study(name: str) -> dict[str, Any]:
    """The rows of the study's record ``name`` (empty if it has not been written)."""
    try:
        return records.rows(name)
    except FileNotFoundError:
        return {}


def _markdown(rows: list[dict[str, Any]]) -> str:
    """A Markdown table of ``rows`` (one dict per row, its keys the header)."""
    return pd.DataFrame(rows).to_markdown(index=False, disable_numparse=True)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def _mean_sd(values: list[float]) -> str:
    """``mean ± sd %`` over seeds (:func:`qnn_helpers.records.mean_sd`), with their number."""
    if not values:
        return "–"
    mean, sd = records.mean_sd(values)
    if len(values) == 1:
        return f"{100 * mean:.1f} % (1 seed)"
    return f"{100 * mean:.1f} ± {100 * sd:.1f} % ({len(values)} seeds)"


def _paired(runs: dict[str, list[records.Run]], name: str, reference: str) -> str:
    """``name`` minus ``reference`` on validation, paired over seeds (``lessons``)."""
    if name == reference or reference not in runs:
        return "–"
    d = lessons.paired_difference(runs[name], runs[reference])
    return (f"{100 * d.mean:+.1f} [{100 * d.low:+.1f}, {100 * d.high:+.1f}] "
            f"points{' (a finding)' if d.finding else ''}")


def headline_table() -> str:
    """The post's figures against this series' (mean ± sd over seeds)."""
    four = load("04_four_label_training")
    seeds4 = _study("four_labels").get("runs", [])
    var = records.load_runs("variants") if _study("variants") else {}
    best = records.chosen_variant(var) if var else None

    def tests(runs: list[records.Run]) -> list[float]:
        return [r.test_accuracy for r in runs]

    epochs4 = seeds4[0]["epochs"] if seeds4 else "–"
    post, this = "original post (2021)", "this series (mean ± sd over seeds, `make variants`)"
    rows = [
        {"": "4 labels, test accuracy after 1 epoch",
         post: "\"a categorical accuracy of 95%\" (training or test not stated)",
         this: _mean_sd([r["test_accuracy_epoch1"] for r in seeds4])},
        {"": f"4 labels, test accuracy after {epochs4} epochs", post: "–",
         this: _mean_sd([r["test_accuracy_last"] for r in seeds4])},
        {"": "4 labels, wall time of one epoch (21,600 images, batch 8; chapter 04)",
         post: "~3 h (24,000 images)", this: f"{four.get('epoch_seconds', '–')} s"},
        {"": "10 labels, the post's model, test accuracy (3 epochs)", post: "≈ 70 %",
         this: _mean_sd(tests(var.get("post", [])))},
        {"": "10 labels, test accuracy of the variant chosen on validation images "
             f"({best or '–'})", post: "–", this: _mean_sd(tests(var[best])) if best else "–"},
    ]
    if _study("ten_qubits"):
        ten = records.load_runs("ten_qubits")
        chosen = records.chosen_variant(ten)
        rows.append({
            "": "10 labels, whole images on 10 qubits (no autoencoder), test accuracy of the "
                f"variant chosen on validation images ({chosen}, epoch {ten[chosen][0].epoch}; "
                "chapter 07)",
            post: "imagined: \"systems with only 10 qubits\" classifying \"the whole dataset "
                  "without reduced data\"",
            this: _mean_sd(tests(ten[chosen]))})
    return _markdown(rows) + "\n"


def times_table() -> str:
    """Every chapter's run time (``make series``), in minutes and in classical epochs."""
    times, quick = load("series"), load("series_quick")
    if not times:
        return ""
    floor = load("series_floor").get("classical_floor_epoch_seconds")

    def epochs(seconds: float) -> str:
        return f"{seconds / floor:.0f}" if floor else "–"

    def minutes(seconds: float | None, bold: bool = False) -> str:
        text = "–" if seconds is None else f"{seconds / 60:.1f} min"
        return f"**{text}**" if bold and seconds is not None else text

    memory = series_memory()
    quick_mode = ("quick mode (`QUICK = True`), learner notebook, first run (autoencoders "
                  "not yet cached)")
    rows = [{"chapter": name, "run time, full size": minutes(sec),
             "full size, in classical epochs (see below)": epochs(sec),
             quick_mode: minutes(quick.get(name)),
             "quick mode: first figure after": "–" if (fig := quick.get(f"{name}:first_figure"))
             is None else f"{fig:.0f} s",
             "memory, full size (peak)": "–" if (mb := memory.get(name)) is None
             else f"{mb / 1024:.1f} GB"}
            for name, sec in sorted(times.items())]
    total = sum(times.values())
    total_quick = sum(v for k, v in quick.items() if ":" not in k) if quick else None
    rows.append({"chapter": "**whole series**", "run time, full size": minutes(total, True),
                 "full size, in classical epochs (see below)": f"**{epochs(total)}**",
                 quick_mode: minutes(total_quick, True), "quick mode: first figure after": "",
                 "memory, full size (peak)": ""})
    text = "\n" + _markdown(rows) + "\n"
    if floor:
        text += (f"\nThe whole series at full size took {total:.0f} s = {total / floor:.0f} "
                 "epochs of a small classical model (`Dense(6, tanh) → Dense(4)` on the 4-label "
                 f"data, {floor:.1f} s per epoch), both measured by `make series` on the same "
                 "machine and day: this machine's speed varies about 2× from day to day, the "
                 "ratio much less.\n")
        test = _durations().get("(test command)")
        if test:
            text += (f"\nThe test command (`make test` from a fresh clone, as CI runs it, the "
                     f"install included) took {test:.0f} s = {test / 60:.1f} min = "
                     f"{test / floor:.0f} of these classical epochs (`tests/durations.json`, "
                     "`make durations`).\n")
    return text


def series_memory() -> dict[str, int]:
    """Each chapter's peak memory in MB at full size, from its stamp (Linux runs only)."""
    from tools.series import stamped
    return stamped("peak_memory_mb")


def _durations() -> dict[str, float]:
    """``tests/durations.json``: seconds per test scope, and the test command's."""
    path = RESULTS.parent / "tests" / "durations.json"
    return json.loads(path.read_text()) if path.exists() else {}


def variants_table(name: str, reference: str, title: str, epoch: bool) -> str:
    """A sweep of the study: every variant over its seeds, paired with ``reference``."""
    if not _study(name):
        return ""
    runs = records.load_runs(name)
    seconds = records.variant_table(runs)["train_seconds"]  # mean over the seeds
    rows = []
    for key, seeds in runs.items():
        first = seeds[0]
        rows.append({
            f"{title}: variant": first.description,
            **({"epoch (chosen on validation)": str(first.epoch)} if epoch else {}),
            "validation accuracy": _mean_sd([r.val_accuracy for r in seeds]),
            f"validation minus the post's {'circuit' if epoch else 'model'}, paired over "
            "seeds (95 % interval)":
                _paired(runs, key, reference),
            "test accuracy": _mean_sd([r.test_accuracy for r in seeds]),
            "trained quantum / classical parameters":
                f"{first.quantum_parameters} / {first.classical_parameters}",
            f"training time{' (3 epochs)' if epoch else ''}": f"{seconds[key]:.0f} s",
        })
    return "\n" + _markdown(rows) + "\n"


def baselines_table(name: str, title: str) -> str:
    """The tuned baselines of the study's record ``name``."""
    if not _study(name):
        return ""

    def show(values: list[float]) -> str:
        return (_mean_sd(values) if len(values) > 1
                else f"{_pct(values[0])} (deterministic: one run)")

    rows = [{f"{title}, standardised inputs": f"{key}: {b.description}",
             "settings chosen on validation": b.choice,
             "validation accuracy": show(b.val_accuracy), "test accuracy": show(b.test_accuracy),
             "trained parameters": str(b.parameters)}
            for key, b in records.load_baselines(name).items()]
    return "\n" + _markdown(rows) + "\n"


def benchmark_table() -> str:
    """Markdown rows of ``benchmark.json`` (written by ``python -m tools.benchmark``)."""
    bench = load("benchmark")
    if "classical_floor_epoch_seconds" not in bench:  # not written by this version's benchmark
        return ""
    ours, ref = bench["compiled"], bench["eager_reference"]
    floor = bench["classical_floor_epoch_seconds"]
    figures = {
        "original post (~3 h per epoch)": "~2 samples/s",
        "eager reference (template circuit, broadcast, no XLA)":
            f"{ref['samples_per_second']:,.1f} samples/s",
        "this series (`QuantumLayer`, XLA, 32 batches per compiled call): one epoch":
            f"{ours['epoch_seconds']:.1f} s = {ours['samples_per_second']:,.0f} samples/s",
        "classical `Dense(6, tanh) → Dense(4)`, default Keras settings (no XLA, one batch "
        "per call): one epoch": f"{floor:.1f} s",
        "quantum epoch / classical epoch": f"{bench['epoch_ratio_to_classical_floor']:.2f}",
        "from `build_hybrid_model` to the first trained batch (tracing and XLA)":
            f"{ours['compile_seconds']:.1f} s = {ours['compile_seconds'] / floor:.1f} "
            "classical epochs",
        "first `evaluate` / first `predict` (4,000 images, eager: nothing to compile)":
            f"{ours['first_evaluate_seconds']:.1f} s / {ours['first_predict_seconds']:.1f} s",
    }
    if "reuse_seconds" in ours:
        figures["the same setting again (`ModelPool`: new weights, compiled step kept) to its "
                "first trained batch"] = f"{ours['reuse_seconds']:.1f} s"
    if jx := bench.get("jax"):
        figures[f"Keras' JAX backend (`KERAS_BACKEND=jax`, jax {jx['jax']}): from "
                "`build_hybrid_model` to the first trained batch / one epoch"] = (
            f"{jx['compile_seconds']:.1f} s / {jx['epoch_seconds']:.1f} s")
        figures["JAX: first `evaluate` / first `predict` (compiled, one batch shape) / the "
                "same setting again (`ModelPool`)"] = (
            f"{jx['first_evaluate_seconds']:.1f} s / {jx['first_predict_seconds']:.1f} s / "
            f"{jx['reuse_seconds']:.2f} s")
    title = f"training speed, 4 labels (24,000 images), batch {bench['batch_size']}"
    rows = [{title: what, "figure": value} for what, value in figures.items()]
    return ("\n" + _markdown(rows) + "\n\n"
            f"Speed-up: {bench['speedup_vs_eager']:,.0f}× the eager reference, "
            f"{bench['speedup_vs_original_post']:,.0f}× the original post. All figures of this "
            "table come from one run of `make benchmark`.\n")


def results_table() -> str:
    """Every table of the results block, in order."""
    return "".join([
        headline_table(), times_table(),
        variants_table("variants", "post", "10 labels, 6 qubits", epoch=False),
        baselines_table("baselines_four", "4 labels, classical baseline (chapter 04)"),
        baselines_table("baselines", "10 labels, classical baseline (chapter 05)"),
        variants_table("ten_qubits", "post, 10 qubits", "10 labels, whole images, 10 qubits",
                       epoch=True),
        baselines_table("baselines_ten_qubits",
                        "10 labels, whole images, classical baseline (chapter 07)"),
        benchmark_table(),
    ])


def refresh_readme() -> str:
    """Write ``results.md`` from the recorded figures and put it into the README's block
    between ``<!-- results:start -->`` and ``<!-- results:end -->``.  Returns the tables."""
    table = results_table()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "results.md").write_text(table)
    if README.exists():
        text = README.read_text()
        pattern = re.compile(r"(<!-- results:start -->\n).*?(<!-- results:end -->)", re.S)
        README.write_text(pattern.sub(lambda m: m.group(1) + table + m.group(2), text))
    return table


if __name__ == "__main__":
    print(refresh_readme())
