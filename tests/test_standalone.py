"""Chapters stand alone: a notebook downloaded from the site runs in any folder.

The chapters read the study's records that ``make variants`` writes; they come with the
package (``qnn_helpers/recorded/*.json``, package data), not from ``../results``.  Every
chapter runs alone in an empty folder in ``tests/test_chapters.py``.
"""

import shutil
import subprocess
import sys
import zipfile

from qnn_helpers import records
from tools.repo import REPO
from tools.study import store, sweeps

CHAPTER_05 = REPO / "notebooks" / "05_ten_label_gallery.ipynb"


def test_the_package_carries_the_study_records():
    assert set(records.load_runs("variants")) == set(sweeps.SIX_QUBITS.variants)
    assert set(records.load_runs("ten_qubits")) == set(sweeps.TEN_QUBITS.variants)


def test_the_wheel_ships_the_study_records(tmp_path):
    """``pip install .`` installs the records: they are declared as package data."""
    source = tmp_path / "source"
    shutil.copytree(REPO / "qnn_helpers", source / "qnn_helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", source)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(tmp_path / "wheel"), str(source)],
                   check=True, capture_output=True)
    [wheel] = (tmp_path / "wheel").glob("*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    assert {f"qnn_helpers/recorded/{p.name}" for p in store.RECORDED.glob("*.json")} <= shipped
