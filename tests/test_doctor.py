"""The doctor looks where a learner's notebook looks, and each make command has its own cache.

A learner who started Jupyter by hand has the data in the user cache
(``~/.cache/qnn_helpers``) and no ``QNN_DATA_DIR``: ``make doctor`` must then say
``ready``.  ``make series`` must not reuse autoencoders that ``make test``'s
one-thread workers trained (other numbers), so their caches differ.
"""

import os
import re
import shutil
import subprocess
import sys

import pytest

from qnn_helpers import data
from tools.repo import REPO


def test_doctor_is_ready_after_a_learners_first_run(tmp_path):
    source = os.environ.get("QNN_DATA_DIR")
    if not source:
        pytest.skip("QNN_DATA_DIR is not set: no offline copy of the data to place")
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items()
           if k not in ("QNN_DATA_DIR", "QNN_MNIST_DIR", "QNN_CACHE_DIR")}
    env["HOME"] = str(home)
    # where chapter 01 downloads the files on a learner's laptop
    cache = home / ".cache" / "qnn_helpers" / data.FASHION_MNIST.name
    cache.mkdir(parents=True)
    for name in data.FILES:
        shutil.copy(os.path.join(source, name), cache / name)
    run = subprocess.run([sys.executable, "-m", "qnn_helpers.doctor", "--timing-seconds", "1"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert str(cache) in run.stdout, run.stdout
    assert run.returncode == 0 and run.stdout.strip().endswith("ready"), run.stdout + run.stderr


def _recipe_lines(*targets: str) -> list[str]:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    out = subprocess.run(["make", "-n", *targets, "FETCH=1"], cwd=REPO, capture_output=True,
                         text=True, check=True).stdout
    return out.splitlines()


def _cache_of(lines: list[str], command: str) -> set[str | None]:
    caches = set()
    for line in lines:
        if command in line:
            found = re.search(r"QNN_CACHE_DIR=(\S+)", line)
            caches.add(found[1] if found else None)
    assert caches, f"no recipe line runs {command}"
    return caches


def test_series_and_test_use_separate_caches_and_the_doctor_the_learners():
    lines = _recipe_lines("series", "test", "doctor")
    series, test = _cache_of(lines, "tools.series"), _cache_of(lines, " pytest")
    assert len(series) == 1 and None not in series
    assert len(test) == 1 and None not in test and not series & test
    assert _cache_of(lines, "qnn_helpers.doctor --fetch") == {None}
