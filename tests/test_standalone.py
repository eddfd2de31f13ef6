"""Chapters stand alone: a notebook downloaded from the site runs in any folder.

Chapter 05 reads the variant table that ``make variants`` records; it comes with the
package (``qnn_helpers/variants.json``, package data), not from ``../results``.  Every
chapter runs alone in an empty folder in ``tests/test_chapters.py``.
"""

import json
import shutil
import subprocess
import sys
import zipfile

from qnn_helpers import lessons
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
