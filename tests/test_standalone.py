"""Chapters stand alone: a notebook downloaded from the site runs in any folder.

The chapters read the study's records that ``make variants`` writes; they come with the
package (``qnn_helpers/recorded/*.json``, package data), not from ``../results``.
"""

import shutil
import subprocess
import sys
import zipfile

import pytest

from qnn_helpers import data, records
from tools import series
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
