"""``python -m tools.study`` (``make variants``): the study's records, over five seeds.

* ``four_labels``: the post's 4-label model, test accuracy after epoch 1 and after
  chapter 04's last epoch, every seed;
* ``variants``: chapter 05's 6-qubit sweep (:data:`tools.study.sweeps.SIX_QUBITS`);
* ``baselines_four``, ``baselines``: chapters 04's and 05's tuned classical baselines;
* ``--ten-qubits``: chapter 07's sweep on whole images (``ten_qubits``,
  :data:`tools.study.sweeps.TEN_QUBITS`) and its baselines (``baselines_ten_qubits``).

Every record is written whole into ``qnn_helpers/recorded/``.  Naming variants trains only
those and writes their record into ``build/study/`` instead (a whole record needs every
variant).  Then refreshes the README's results block.
"""

from __future__ import annotations

import argparse
import time

from qnn_helpers import lessons
from qnn_helpers.records import variant_table
from tools import readme
from tools.study import baselines, store, sweeps


def _sweep(sweep: sweeps.Sweep, names: list[str], seeds: list[int]) -> None:
    runs = sweeps.run_sweep(sweep, names, seeds)
    rows = {name: [r.record() for r in seeds_] for name, seeds_ in runs.items()}
    store.write(sweep.record, rows, store.SCRATCH if names else store.RECORDED)
    print(variant_table(runs).round(4).to_string())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these variants (into build/study/)")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(sweeps.SEEDS))
    parser.add_argument("--no-four-labels", action="store_true", help="skip the 4-label runs")
    parser.add_argument("--no-baselines", action="store_true",
                        help="skip the tuned classical baselines")
    parser.add_argument("--only-baselines", action="store_true",
                        help="only the tuned classical baselines")
    parser.add_argument("--ten-qubits", action="store_true",
                        help="chapter 07's 10-qubit sweep and baselines instead")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    sweep = sweeps.TEN_QUBITS if args.ten_qubits else sweeps.SIX_QUBITS
    if not args.ten_qubits and not (args.no_four_labels or args.only_baselines):
        four = lessons.reduced_fashion_mnist(progress=False)
        store.write("four_labels", {"runs": [sweeps.four_labels(four, s) for s in args.seeds]})
    if not args.only_baselines:
        _sweep(sweep, args.names, args.seeds)
    if not args.no_baselines:
        base_start = time.perf_counter()
        if args.ten_qubits:
            store.write("baselines_ten_qubits", _records(baselines.whole_image_baselines(
                sweeps.whole_images("linear"), args.seeds)))
        else:
            store.write("baselines_four", _records(baselines.four_label_baselines(
                lessons.reduced_fashion_mnist(progress=False), args.seeds)))
            store.write("baselines", _records(baselines.ten_label_baselines(
                sweeps.ten_labels("post"), sweeps.ten_labels("improved"), args.seeds)))
        print(f"baselines took {(time.perf_counter() - base_start) / 60:.0f} min")
    readme.refresh_readme()
    print(f"took {(time.perf_counter() - start) / 60:.0f} min in all")


def _records(tuned: dict) -> dict:
    return {name: b.record() for name, b in tuned.items()}


if __name__ == "__main__":
    main()
