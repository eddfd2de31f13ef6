"""``python -m tools.readme``: results/*.json → results/results.md and the README's results block.

The chapters record what they measured with :func:`qnn_helpers.results.record`
(``make series`` points ``$QNN_RESULTS_DIR`` at ``results/``); the variant sweep
and the benchmark write their own files there.  This tool turns them into
Markdown tables and puts them between ``<!-- results:start -->`` and
``<!-- results:end -->`` in the README.  Nothing in the tables is typed by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np

from qnn_helpers import lessons
from tools.repo import README, RESULTS


def load(name: str, folder: Path = RESULTS) -> dict[str, Any]:
    """The figures of ``folder/<name>.json`` (empty if it has not been written)."""
    path = Path(folder) / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def _pm(mean: float, sd: float, n: int) -> str:
    """``mean ± sd %`` over ``n`` seeds, with the number of seeds."""
    if n == 1:
        return f"{100 * mean:.1f} % (1 seed)"
    return f"{100 * mean:.1f} ± {100 * sd:.1f} % ({n} seeds)"


def _mean_sd(values: list[float]) -> str:
    """:func:`_pm` of values over seeds (sample standard deviation)."""
    if not values:
        return "–"
    return _pm(float(np.mean(values)), float(np.std(values, ddof=1)) if len(values) > 1 else 0.0,
               len(values))


def _variant_results() -> dict[str, list[lessons.VariantResult]]:
    """``results/variants.json`` as :class:`qnn_helpers.lessons.VariantResult` lists."""
    path = RESULTS / "variants.json"
    return lessons.load_variant_results(path) if path.exists() else {}


def _ten_qubit_results() -> dict[str, list[lessons.WholeImageRun]]:
    """``results/ten_qubits.json`` (chapter 07) as :class:`qnn_helpers.lessons.WholeImageRun`
    lists."""
    path = RESULTS / "ten_qubits.json"
    return lessons.load_whole_image_results(path) if path.exists() else {}


def _chosen(rows: dict[str, list]) -> str:
    """The row with the highest mean validation accuracy (chapter 07's choice)."""
    return max(rows, key=lambda n: np.mean([r.val_accuracy for r in rows[n]]))


def results_table() -> str:
    """Markdown table of the recorded figures (missing ones shown as –)."""
    four = load("04_four_label_training")
    times = load("series")
    seeds4 = load("four_labels") or []
    var = _variant_results()
    best = lessons.choose_variant(var) if var else None

    def tests(name: str) -> list[float]:
        return [r.test_accuracy for r in var.get(name, [])]

    epochs4 = seeds4[0]["epochs"] if seeds4 else "–"
    rows = [
        "| | original post (2021) | this series (mean ± sd over seeds, `make variants`) |",
        "| --- | --- | --- |",
        f"| 4 labels, test accuracy after 1 epoch | \"a categorical accuracy of 95%\" "
        "(training or test not stated) "
        f"| {_mean_sd([r['test_accuracy_epoch1'] for r in seeds4])} |",
        f"| 4 labels, test accuracy after {epochs4} epochs | – "
        f"| {_mean_sd([r['test_accuracy_last'] for r in seeds4])} |",
        f"| 4 labels, wall time of one epoch (21,600 images, batch 8; chapter 04) | ~3 h "
        f"(24,000 images) | {four.get('epoch_seconds', '–')} s |",
        f"| 10 labels, the post's model, test accuracy (3 epochs) | ≈ 70 % "
        f"| {_mean_sd(tests('post'))} |",
        f"| 10 labels, test accuracy of the variant chosen on validation images "
        f"({best or '–'}) | – "
        f"| {_mean_sd(tests(best)) if best else '–'} |",
    ]
    ten = _ten_qubit_results()
    if ten:
        chosen = _chosen(ten)
        rows.append(
            f"| 10 labels, whole images on 10 qubits (no autoencoder), test accuracy of the "
            f"variant chosen on validation images ({chosen}, epoch {ten[chosen][0].epoch}; "
            "chapter 07) | imagined: \"systems with only 10 qubits\" classifying \"the whole "
            "dataset without reduced data\" "
            f"| {_mean_sd([r.test_accuracy for r in ten[chosen]])} |")
    table = "\n".join(rows)
    quick = load("series_quick")
    if times:
        floor = load("series_floor").get("classical_floor_epoch_seconds")
        lines = ["", "| chapter | run time, full size | full size, in classical epochs (see "
                 "below) | quick mode (`QNN_QUICK=1`), learner "
                 "notebook, first run (autoencoders not yet cached) | quick mode: first "
                 "figure after |", "| --- | --- | --- | --- | --- |"]

        def epochs(seconds: float) -> str:
            return f"{seconds / floor:.0f}" if floor else "–"

        for name, sec in sorted(times.items()):
            q, fig = quick.get(name), quick.get(f"{name}:first_figure")
            lines.append(f"| {name} | {sec / 60:.1f} min | {epochs(sec)} | "
                         f"{'–' if q is None else f'{q / 60:.1f} min'} | "
                         f"{'–' if fig is None else f'{fig:.0f} s'} |")
        total_quick = sum(v for k, v in quick.items() if ":" not in k)
        lines.append(f"| **whole series** | **{sum(times.values()) / 60:.1f} min** | "
                     f"**{epochs(sum(times.values()))}** | "
                     f"{f'**{total_quick / 60:.1f} min**' if quick else '–'} | |")
        if floor:
            lines += ["", f"The whole series at full size took {sum(times.values()):.0f} s = "
                      f"{sum(times.values()) / floor:.0f} epochs of a small classical model "
                      f"(`Dense(6, tanh) → Dense(4)` on the 4-label data, {floor:.1f} s per "
                      "epoch), both measured by `make series` on the same machine and day: this "
                      "machine's speed varies about 2× from day to day, the ratio much less."]
        table += "\n" + "\n".join(lines)
    return table + "\n"


def benchmark_table() -> str:
    """Markdown rows of ``benchmark.json`` (written by ``python -m tools.benchmark``)."""
    bench = load("benchmark")
    if "classical_floor_epoch_seconds" not in bench:  # not written by this version's benchmark
        return ""
    ours, ref = bench["compiled"], bench["eager_reference"]
    floor = bench["classical_floor_epoch_seconds"]
    return "\n".join([
        "", f"| training speed, 4 labels (24,000 images), batch {bench['batch_size']} "
        "| figure |", "| --- | --- |",
        "| original post (~3 h per epoch) | ~2 samples/s |",
        "| eager reference (template circuit, broadcast, no XLA) "
        f"| {ref['samples_per_second']:,.1f} samples/s |",
        "| this series (`QuantumLayer`, XLA, 32 batches per compiled call): one epoch | "
        f"{ours['epoch_seconds']:.1f} s = "
        f"{ours['samples_per_second']:,.0f} samples/s |",
        "| classical `Dense(6, tanh) → Dense(4)`, default Keras settings (no XLA, one batch "
        "per call): one epoch "
        f"| {floor:.1f} s |",
        f"| quantum epoch / classical epoch | {bench['epoch_ratio_to_classical_floor']:.2f} |",
        f"| from `build_hybrid_model` to the first trained batch (tracing and XLA) | "
        f"{ours['compile_seconds']:.1f} s = {ours['compile_seconds'] / floor:.1f} classical "
        "epochs |",
        f"| first `evaluate` / first `predict` (4,000 images, eager: nothing to compile) | "
        f"{ours['first_evaluate_seconds']:.1f} s / {ours['first_predict_seconds']:.1f} s |",
        *([f"| the same setting again (`ModelPool`: new weights, compiled step kept) to its "
           f"first trained batch | {ours['reuse_seconds']:.1f} s |"]
          if "reuse_seconds" in ours else []),
        *([f"| Keras' JAX backend (`KERAS_BACKEND=jax`, jax {jx['jax']}): from "
           f"`build_hybrid_model` to the first trained batch / one epoch | "
           f"{jx['compile_seconds']:.1f} s / {jx['epoch_seconds']:.1f} s |",
           f"| JAX: first `evaluate` / first `predict` (compiled, one batch shape) / the same "
           f"setting again (`ModelPool`) | {jx['first_evaluate_seconds']:.1f} s / "
           f"{jx['first_predict_seconds']:.1f} s / {jx['reuse_seconds']:.2f} s |"]
          if (jx := bench.get("jax")) else []),
        "", f"Speed-up: {bench['speedup_vs_eager']:,.0f}× the eager reference, "
        f"{bench['speedup_vs_original_post']:,.0f}× the original post. All figures of this "
        "table come from one run of `make benchmark`.",
    ]) + "\n"


def variants_table() -> str:
    """Markdown rows of ``variants.json`` (written by ``python -m tools.variants``)."""
    rows = _variant_results()
    if not rows:
        return ""
    lines = ["", "| 10 labels, 6 qubits: variant | validation accuracy | validation minus the "
             "post's model, paired over seeds (95 % interval) | test accuracy "
             "| trained quantum / classical parameters | training time |",
             "| --- | --- | --- | --- | --- | --- |"]
    for row in lessons.variant_table(rows).itertuples():
        paired = "–"
        if row.Index != "post" and "post" in rows:
            d = lessons.paired_difference(rows[row.Index], rows["post"])
            paired = (f"{100 * d.mean:+.1f} [{100 * d.low:+.1f}, {100 * d.high:+.1f}] "
                      f"points{' (a finding)' if d.finding else ''}")
        lines.append(f"| {rows[row.Index][0].description} "
                     f"| {_pm(row.val_mean, row.val_sd, row.seeds)} | {paired} "
                     f"| {_pm(row.test_mean, row.test_sd, row.seeds)} "
                     f"| {row.quantum_parameters} / {row.classical_parameters} "
                     f"| {row.train_seconds:.0f} s |")
    lines += _baselines_table("baselines_four", "4 labels, classical baseline (chapter 04)")
    lines += _baselines_table("baselines", "10 labels, classical baseline (chapter 05)")
    return "\n".join(lines) + "\n"


def ten_qubits_table() -> str:
    """Chapter 07's rows: ``ten_qubits.json`` and ``baselines_ten_qubits.json``."""
    rows = _ten_qubit_results()
    if not rows:
        return ""
    post = "post, 10 qubits"
    lines = ["", "| 10 labels, whole images, 10 qubits: variant | epoch (chosen on validation) "
             "| validation accuracy | validation minus the post's circuit, paired over seeds "
             "(95 % interval) | test accuracy | trained quantum / classical parameters "
             "| training time (3 epochs) |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for row in lessons.variant_table(rows).itertuples():
        paired = "–"
        if row.Index != post and post in rows:
            d = lessons.paired_difference(rows[row.Index], rows[post])
            paired = (f"{100 * d.mean:+.1f} [{100 * d.low:+.1f}, {100 * d.high:+.1f}] "
                      f"points{' (a finding)' if d.finding else ''}")
        lines.append(f"| {rows[row.Index][0].description} | {rows[row.Index][0].epoch} "
                     f"| {_pm(row.val_mean, row.val_sd, row.seeds)} | {paired} "
                     f"| {_pm(row.test_mean, row.test_sd, row.seeds)} "
                     f"| {row.quantum_parameters} / {row.classical_parameters} "
                     f"| {row.train_seconds:.0f} s |")
    lines += _baselines_table("baselines_ten_qubits",
                              "10 labels, whole images, classical baseline (chapter 07)")
    return "\n".join(lines) + "\n"


def _baselines_table(name: str, title: str) -> list[str]:
    """The tuned baselines of ``results/<name>.json`` as Markdown lines (none if absent)."""
    path = RESULTS / f"{name}.json"
    if not path.exists():
        return []
    lines = ["", f"| {title}, standardised inputs | settings chosen on validation "
             "| validation accuracy | test accuracy | trained parameters |",
             "| --- | --- | --- | --- | --- |"]

    def show(values: list[float]) -> str:
        return (_mean_sd(values) if len(values) > 1
                else f"{_pct(values[0])} (deterministic: one run)")

    for key, b in lessons.load_baselines(path).items():
        lines.append(f"| {key}: {b.description} | {b.choice} | {show(b.val_accuracy)} "
                     f"| {show(b.test_accuracy)} | {b.parameters} |")
    return lines


def refresh_readme() -> str:
    """Write ``results.md`` from the recorded figures and put it into the README.

    The README's block between ``<!-- results:start -->`` and
    ``<!-- results:end -->`` is replaced.  Returns the table.
    """
    table = results_table() + variants_table() + ten_qubits_table() + benchmark_table()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "results.md").write_text(table)
    if README.exists():
        text = README.read_text()
        pattern = re.compile(r"(<!-- results:start -->\n).*?(<!-- results:end -->)", re.S)
        README.write_text(pattern.sub(lambda m: m.group(1) + table + m.group(2), text))
    return table


if __name__ == "__main__":
    print(refresh_readme())
