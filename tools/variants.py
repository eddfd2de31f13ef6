"""``python -m tools.variants`` (``make variants``): the headline numbers over several seeds.

* 4 labels, the post's model (post's autoencoder and circuit, batch 8): test
  accuracy after one epoch and after the last of chapter 04's epochs, for every
  seed → ``results/four_labels.json``;
* 10 labels: every variant of :data:`qnn_helpers.lessons.VARIANTS` (chapter 05) (the post's
  model, ablations, improvements), every seed → ``results/variants.json``, and the
  same file into the package (:data:`PACKAGE_TABLE`), from which chapter 05 reads it;
* chapter 04's and chapter 05's classical baselines, their settings chosen on validation
  (:func:`qnn_helpers.lessons.four_label_baselines` on 4 labels,
  :func:`qnn_helpers.lessons.tuned_baselines` on 10; the same seeds) →
  ``results/baselines_four.json``, ``results/baselines.json`` and the package;
* ``--ten-qubits``: chapter 07's whole images on 10 qubits, every variant of
  :data:`qnn_helpers.lessons.WHOLE_IMAGE_VARIANTS` with every seed (the epoch chosen on
  validation) → ``results/ten_qubits.json``, and its classical baselines
  (:func:`qnn_helpers.lessons.whole_image_baselines`) → ``results/baselines_ten_qubits.json``,
  both into the package too.

Then refreshes the README's results block (mean ± sd) and prints how long it took.
"""

from __future__ import annotations

import argparse
import json
import time

from qnn_helpers import lessons, training
from qnn_helpers.engine.models import build_hybrid_model
from tools import readme
from tools.repo import REPO, RESULTS

SEEDS = (0, 1, 2, 3, 4)
#: chapter 04's number of epochs (chosen there on the validation curve)
FOUR_LABEL_EPOCHS = 5


def four_labels(data: lessons.ReducedData, seed: int, epochs: int = FOUR_LABEL_EPOCHS) -> dict:
    """The post's 4-label model with one seed: test after epoch 1 and after the last."""
    training.set_seed(seed)
    model = build_hybrid_model(4)
    start = time.perf_counter()
    val = (data.x_val, data.y_val)
    first = lessons.fit(model, data.x_train, data.y_train, validation_data=val, epochs=1,
                         description=f"4 labels, seed {seed}")
    test_epoch1 = lessons.evaluate(model, data.x_test, data.y_test).accuracy
    rest = lessons.fit(model, data.x_train, data.y_train, validation_data=val,
                        epochs=epochs - 1, description=f"4 labels, seed {seed}")
    return {
        "seed": seed,
        "val_accuracy_per_epoch": [float(a) for a in first.history["val_categorical_accuracy"]
                                   + rest.history["val_categorical_accuracy"]],
        "test_accuracy_epoch1": test_epoch1,
        "test_accuracy_last": lessons.evaluate(model, data.x_test, data.y_test).accuracy,
        "epochs": epochs,
        "train_seconds": round(time.perf_counter() - start, 1),
    }


#: The variant table inside the package, where chapter 05 reads it in any folder
#: (``qnn_helpers.lessons.load_variant_results()``; package data in pyproject.toml).
PACKAGE_TABLE = REPO / "qnn_helpers" / "variants.json"
#: the files that are copied into the package as well
PACKAGE_FILES = ("variants", "baselines", "baselines_four", "ten_qubits",
                 "baselines_ten_qubits")


def _write(name: str, rows: dict | list) -> None:
    text = json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(text, encoding="utf-8")
    if name in PACKAGE_FILES:
        (PACKAGE_TABLE.parent / f"{name}.json").write_text(text, encoding="utf-8")


def ten_qubits(names: list[str], seeds: list[int], baselines: bool = True,
               variants: bool = True) -> None:
    """Chapter 07's variants (``names``: these only, else all) and its baselines."""
    path = RESULTS / "ten_qubits.json"
    rows = json.loads(path.read_text()) if path.exists() else {}
    cache: dict[str, lessons.ReducedData] = {}
    for name in (names or list(lessons.WHOLE_IMAGE_VARIANTS)) if variants else []:
        scaling = lessons.WHOLE_IMAGE_VARIANTS[name].scaling
        if scaling not in cache:
            cache[scaling] = lessons.whole_fashion_mnist(scaling=scaling)
        start = time.perf_counter()
        runs, _ = lessons.train_whole_image_variant(name, cache[scaling], seeds)
        rows[name] = [r.record() for r in runs]
        _write("ten_qubits", {n: rows[n] for n in lessons.WHOLE_IMAGE_VARIANTS if n in rows})
        print(f"{name}: {(time.perf_counter() - start) / 60:.1f} min", flush=True)
    if baselines:
        if "linear" not in cache:
            cache["linear"] = lessons.whole_fashion_mnist()
        start = time.perf_counter()
        tuned = lessons.whole_image_baselines(cache["linear"], seeds=seeds)
        _write("baselines_ten_qubits", {name: b.record() for name, b in tuned.items()})
        print(f"10-qubit baselines: {(time.perf_counter() - start) / 60:.1f} min")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these 10-label variants")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--no-four-labels", action="store_true",
                        help="skip the 4-label runs")
    parser.add_argument("--no-baselines", action="store_true",
                        help="skip the tuned classical baselines")
    parser.add_argument("--only-baselines", action="store_true",
                        help="only the tuned classical baselines")
    parser.add_argument("--ten-qubits", action="store_true",
                        help="only chapter 07's 10-qubit variants (names: these) and baselines")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.ten_qubits:
        ten_qubits(args.names, args.seeds, baselines=not args.no_baselines,
                   variants=not args.only_baselines)
        readme.refresh_readme()
        print(f"took {(time.perf_counter() - start) / 60:.0f} min in all")
        return
    run_four_labels = not (args.no_four_labels or args.only_baselines)
    # the 4-label features, loaded once for the 4-label runs and chapter 04's baselines
    four = (lessons.reduced_fashion_mnist(progress=False)
            if run_four_labels or not args.no_baselines else None)
    if run_four_labels:
        _write("four_labels", [four_labels(four, seed) for seed in args.seeds])
    path = RESULTS / "variants.json"
    rows = json.loads(path.read_text()) if path.exists() else {}
    rows = {name: runs for name, runs in rows.items() if name in lessons.VARIANTS}
    done: dict[str, list[lessons.VariantResult]] = {}
    cache: dict[str, lessons.ReducedData] = {}
    for name in [] if args.only_baselines else args.names or list(lessons.VARIANTS):
        recipe = lessons.VARIANTS[name].autoencoder
        if recipe not in cache:
            cache[recipe] = lessons.reduced_fashion_mnist(labels=range(10), progress=False,
                                                           autoencoder=recipe)
        done[name] = [lessons.run_variant(name, cache[recipe], seed)[0] for seed in args.seeds]
        rows[name] = [r.record() for r in done[name]]
        _write("variants", {n: rows[n] for n in lessons.VARIANTS if n in rows})
    if done:
        print(lessons.variant_table(done).round(4).to_string())
    if not args.no_baselines:
        for recipe in ("post", "improved"):
            if recipe not in cache:
                cache[recipe] = lessons.reduced_fashion_mnist(
                    labels=range(10), progress=False, autoencoder=recipe)
        base_start = time.perf_counter()
        _write("baselines_four", {name: b.record() for name, b in
                                  lessons.four_label_baselines(four, seeds=args.seeds).items()})
        tuned = lessons.tuned_baselines(cache["post"], cache["improved"], seeds=args.seeds)
        _write("baselines", {name: b.record() for name, b in tuned.items()})
        print(f"baselines took {(time.perf_counter() - base_start) / 60:.0f} min")
    readme.refresh_readme()
    print(f"took {(time.perf_counter() - start) / 60:.0f} min in all")


if __name__ == "__main__":
    main()
