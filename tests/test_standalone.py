"""Chapters stand alone: a notebook downloaded from the site runs in any folder.

Chapter 05 reads the variant table that ``make variants`` records; it comes with the
package (``qnn_helpers/variants.json``, package data), not from ``../results``.
"""

import json
import shutil
import subprocess
import sys
import zipfile

import pytest

from qnn_helpers import data, lessons
from tools import series
from tools.repo import REPO, RESULTS

CHAPTER_05 = REPO / "notebooks" / "05_ten_label_gallery.ipynb"


def test_the_package_carries_the_recorded_variant_table():
    packaged = json.loads((REPO / "qnn_helpers" / "variants.json").read_text(encoding="utf-8"))
    recorded = json.loads((RESULTS / "variants.json").read_text(encoding="utf-8"))
    assert packaged == recorded, "run `make variants` (it writes both files)"
    assert set(lessons.load_variant_results()) == set(lessons.VARIANTS)


def test_the_wheel_ships_the_variant_table(tmp_path):
    """``pip install .`` installs the table: it is declared as package data."""
    source = tmp_path / "source"
    shutil.copytree(REPO / "qnn_helpers", source / "qnn_helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", source)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(tmp_path / "wheel"), str(source)],
                   check=True, capture_output=True)
    [wheel] = (tmp_path / "wheel").glob("*.whl")
    assert "qnn_helpers/variants.json" in zipfile.ZipFile(wheel).namelist()


def test_chapter_05_runs_alone_in_an_empty_folder(tmp_path, monkeypatch):
    """Only the notebook in a new folder, quick mode, the data from the offline variables."""
    try:
        monkeypatch.setenv("QNN_DATA_DIR", str(data.locate(data.FASHION_MNIST, download=False)))
    except data.DataNotFoundError as exc:
        pytest.skip(f"Fashion-MNIST is not on this machine:\n{exc}")
    monkeypatch.setenv("QNN_QUICK", "1")
    monkeypatch.delenv("QNN_RESULTS_DIR", raising=False)
    alone = tmp_path / CHAPTER_05.name
    shutil.copy(CHAPTER_05, alone)
    nb, _, _ = series.run(alone, timeout=900)
    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    printed = "".join(out.get("text", "") for out in outputs)
    assert "chosen on the validation images: improved + correlators" in printed
    assert list(tmp_path.iterdir()) == [alone], "the chapter wrote into its folder"
