"""A plain ``pip install .`` gives a working package (as on Colab, Binder or a JupyterHub).

A fresh virtual environment gets only ``pip install <repository>``: the
dependencies come from pyproject.toml's ranges, not from requirements.txt.
Then ``qnn_helpers.layers`` must import and the post's model must train one batch.
"""

import subprocess
import sys
import venv

import pytest

from tools.repo import REPO

TRAIN_ONE_BATCH = """
import numpy as np
from qnn_helpers import layers, training
from qnn_helpers.models import build_hybrid_model
training.set_seed(0)
x = np.random.default_rng(0).uniform(0.05, 1, (8, 64)).astype("float32")
model = build_hybrid_model(4)
history = model.fit(x, training.one_hot(np.arange(8) % 4, 4), batch_size=8, verbose=0)
print("trained", np.isfinite(history.history["loss"][0]), layers.QuantumLayer.__name__)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="checked on the Linux CI machine")
def test_pip_install_dot_gives_a_working_package(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # --no-compile: no bytecode for the ~11,000 installed modules, most never imported
    # here (about 30 s less); the resolution and the installed files are the same.
    install = subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-compile", str(REPO)],
                             capture_output=True, text=True, timeout=1500)
    assert install.returncode == 0, install.stderr[-3000:]
    run = subprocess.run([python, "-c", TRAIN_ONE_BATCH], capture_output=True, text=True,
                         timeout=600, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip().endswith("trained True QuantumLayer")
