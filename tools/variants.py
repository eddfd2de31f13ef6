"""``python -m tools.variants`` (``make variants``): train every 10-label variant.

Trains each variant of :data:`qnn_helpers.variants.VARIANTS` on the same
10-label features with seed 0 and writes ``results/variants.json``; then
refreshes the README's results block.  About 10 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json

from qnn_helpers import pipeline, variants
from tools import readme
from tools.repo import RESULTS


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these variants")
    args = parser.parse_args(argv)
    data = pipeline.reduced_fashion_mnist(labels=range(10), progress=False)
    path = RESULTS / "variants.json"
    rows = json.loads(path.read_text()) if path.exists() else {}
    done = {}
    for name in args.names or list(variants.VARIANTS):
        done[name], _ = variants.run(name, data)
        rows[name] = done[name].record()
        RESULTS.mkdir(exist_ok=True)
        path.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    print(variants.table(done).to_string())
    readme.refresh_readme()


if __name__ == "__main__":
    main()
