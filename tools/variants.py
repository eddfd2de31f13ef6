"""``python -m tools.variants`` (``make variants``): the headline numbers over several seeds.

* 4 labels, the post's model (post's autoencoder and circuit, batch 8): test
  accuracy after one epoch and after the last of chapter 04's epochs, for every
  seed → ``results/four_labels.json``;
* 10 labels: every variant of :data:`qnn_helpers.variants.VARIANTS` (the post's
  model, ablations, improvements), every seed → ``results/variants.json``, and the
  same file into the package (:data:`PACKAGE_TABLE`), from which chapter 05 reads it.

Then refreshes the README's results block (mean ± sd) and prints how long it took.
"""

from __future__ import annotations

import argparse
import json
import time

from qnn_helpers import pipeline, training, variants
from qnn_helpers.models import build_hybrid_model
from tools import readme
from tools.repo import REPO, RESULTS

SEEDS = (0, 1, 2)
#: chapter 04's number of epochs (chosen there on the validation curve)
FOUR_LABEL_EPOCHS = 5


def four_labels(data: pipeline.ReducedData, seed: int, epochs: int = FOUR_LABEL_EPOCHS) -> dict:
    """The post's 4-label model with one seed: test after epoch 1 and after the last."""
    training.set_seed(seed)
    model = build_hybrid_model(4)
    start = time.perf_counter()
    first = training.fit_epochs(model, data.x_train, data.y_train, data.x_val, data.y_val,
                                epochs=1, description=f"4 labels, seed {seed}")
    test_epoch1 = training.evaluate(model, data.x_test, data.y_test).accuracy
    rest = training.fit_epochs(model, data.x_train, data.y_train, data.x_val, data.y_val,
                               epochs=epochs - 1, description=f"4 labels, seed {seed}")
    return {
        "seed": seed,
        "val_accuracy_per_epoch": [float(a) for a in first.history["val_categorical_accuracy"]
                                   + rest.history["val_categorical_accuracy"]],
        "test_accuracy_epoch1": test_epoch1,
        "test_accuracy_last": training.evaluate(model, data.x_test, data.y_test).accuracy,
        "epochs": epochs,
        "train_seconds": round(time.perf_counter() - start, 1),
    }


#: The variant table inside the package, where chapter 05 reads it in any folder
#: (``qnn_helpers.variants.load_results()``; package data in pyproject.toml).
PACKAGE_TABLE = REPO / "qnn_helpers" / "variants.json"


def _write(name: str, rows: dict | list) -> None:
    text = json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(text, encoding="utf-8")
    if name == "variants":
        PACKAGE_TABLE.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these 10-label variants")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--no-four-labels", action="store_true",
                        help="skip the 4-label runs")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if not args.no_four_labels:
        data = pipeline.reduced_fashion_mnist(progress=False)
        _write("four_labels", [four_labels(data, seed) for seed in args.seeds])
    path = RESULTS / "variants.json"
    rows = json.loads(path.read_text()) if path.exists() else {}
    rows = {name: runs for name, runs in rows.items() if name in variants.VARIANTS}
    done: dict[str, list[variants.VariantResult]] = {}
    cache: dict[str, pipeline.ReducedData] = {}
    for name in args.names or list(variants.VARIANTS):
        recipe = variants.VARIANTS[name].autoencoder
        if recipe not in cache:
            cache[recipe] = pipeline.reduced_fashion_mnist(labels=range(10), progress=False,
                                                           autoencoder=recipe)
        done[name] = [variants.run(name, cache[recipe], seed)[0] for seed in args.seeds]
        rows[name] = [r.record() for r in done[name]]
        _write("variants", {n: rows[n] for n in variants.VARIANTS if n in rows})
    print(variants.table(done).round(4).to_string())
    readme.refresh_readme()
    print(f"took {(time.perf_counter() - start) / 60:.0f} min in all")


if __name__ == "__main__":
    main()
