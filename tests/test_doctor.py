"""The doctor (``make doctor``) finds what a learner's notebooks find.

A learner starts Jupyter without make: chapter 01 downloads the data into the user cache
(``~/.cache/qnn_helpers``), with no ``QNN_*`` variable set.  ``make doctor`` must look
there too, whatever the Makefile sets for its own runs.
"""

import os
import shutil
import subprocess
import sys

import pytest

from qnn_helpers import data, doctor
from tools.repo import REPO

#: What a learner's Jupyter does not have: the variables the Makefile or a test run sets.
NOT_A_LEARNERS = ("QNN_DATA_DIR", "QNN_MNIST_DIR", "QNN_CACHE_DIR", "QNN_QUICK",
                  "MAKEFLAGS", "MAKELEVEL", "MFLAGS")


def _learner_home(tmp_path):
    """A home whose user cache holds Fashion-MNIST, as after a learner's first chapter 01."""
    try:
        source = data.locate(data.FASHION_MNIST, download=False)
    except data.DataNotFoundError as exc:
        pytest.skip(f"Fashion-MNIST is not on this machine:\n{exc}")
    cache = tmp_path / "home" / ".cache" / "qnn_helpers" / data.FASHION_MNIST.name
    cache.mkdir(parents=True)
    for name in data.FILES:
        (cache / name).symlink_to(source / name)
    return tmp_path / "home", cache


def test_make_doctor_is_ready_after_a_learners_first_run(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    home, cache = _learner_home(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in NOT_A_LEARNERS}
    env.update(HOME=str(home), PYTHONPATH=str(REPO))
    # -o venv: the environment running this test is the one to check (make installs nothing)
    run = subprocess.run(["make", "--no-print-directory", "-o", "venv", "doctor",
                          f"PY={sys.executable}", "TIMING=0"],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert f"data       {cache}" in lines
    assert lines[-1] == "ready"


def test_the_doctor_says_how_to_get_missing_data(tmp_path, monkeypatch, capsys):
    for name in NOT_A_LEARNERS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert doctor.main(["--no-timing"]) == 1
    out = capsys.readouterr().out
    assert f"cache      {tmp_path / '.cache' / 'qnn_helpers'}" in out
    assert "data       not found" in out and "make doctor FETCH=1" in out
