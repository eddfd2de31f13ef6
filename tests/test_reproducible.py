"""Same command, same numbers, whatever ran before it.

``make test`` runs each pytest worker, and every kernel it starts, with fewer TensorFlow
threads than ``make series`` (``conftest.py``), and TensorFlow's intra-op thread count
changes the order of the sums, so the trained weights.  A cached autoencoder trained
under one setting must never be loaded under the other.
"""

import os
import subprocess
import sys

import pytest

from tools.repo import REPO

TRAIN = """
import numpy as np
from qnn_helpers import lessons, reduction
x = np.random.default_rng(0).uniform(0, 1, (64, 784)).astype(np.float32)
reduction.load_or_train_autoencoder(x, build=lessons.build_autoencoder, epochs=1, batch_size=32,
                                    progress=False)
"""


def _train(cache, threads: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TF_NUM_INTRAOP_THREADS"}
    env.update(QNN_CACHE_DIR=str(cache), PYTHONPATH=str(REPO))
    if threads is not None:
        env["TF_NUM_INTRAOP_THREADS"] = threads
    subprocess.run([sys.executable, "-c", TRAIN], env=env, check=True, timeout=300)


def test_runs_with_other_thread_settings_share_no_autoencoder(tmp_path):
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: a test worker and the series both train with one thread")
    _train(tmp_path, "1")  # a test worker on two cores (conftest.py)
    _train(tmp_path, None)  # make series: TensorFlow's default, one thread per core
    cached = sorted(p.name for p in (tmp_path / "models").glob("autoencoder-*.keras"))
    assert len(cached) == 2, f"both runs used one cached autoencoder: {cached}"
