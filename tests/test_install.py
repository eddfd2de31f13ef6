"""A plain ``pip install .`` gives a working package, and keeps a TensorFlow already there.

As on Colab, where ``tensorflow`` (2.20) comes preinstalled: a fresh virtual
environment gets ``tensorflow==2.20.0`` first, then only ``pip install
<repository>``, whose other dependencies come from pyproject.toml's ranges, not
from requirements.txt.  Afterwards that TensorFlow is still the only one (no
``tensorflow-cpu`` beside it), ``qnn_helpers.engine.layers`` imports and the post's
model trains one batch.
"""

import subprocess
import sys
import venv

import pytest

from tools.repo import REPO

TRAIN_ONE_BATCH = """
import numpy as np
from qnn_helpers import training
from qnn_helpers.engine import layers
from qnn_helpers.engine.models import build_hybrid_model
training.set_seed(0)
x = np.random.default_rng(0).uniform(0.05, 1, (8, 64)).astype("float32")
model = build_hybrid_model(4)
history = model.fit(x, training.one_hot(np.arange(8) % 4, 4), batch_size=8, verbose=0)
print("trained", np.isfinite(history.history["loss"][0]), layers.QuantumLayer.__name__)
"""


COLAB_TENSORFLOW = "2.20.0"
#: Every installed distribution that owns TensorFlow's files (tensorflow, tensorflow-cpu, ...).
TENSORFLOW_OWNERS = """
from importlib import metadata
for dist in metadata.distributions():
    if any(str(f) == "tensorflow/__init__.py" for f in dist.files or ()):
        print(f"{dist.metadata['Name']}=={dist.version}")
"""


@pytest.mark.network
@pytest.mark.skipif(sys.platform != "linux", reason="checked on the Linux CI machine")
def test_pip_install_dot_keeps_the_tensorflow_there_and_works(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"

    # --no-compile: no bytecode for the ~11,000 installed modules, most never imported
    # here (about 30 s less); the resolution and the installed files are the same.
    for what in (f"tensorflow=={COLAB_TENSORFLOW}", str(REPO)):
        install = subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-compile", what],
                                 capture_output=True, text=True, timeout=1500)
        assert install.returncode == 0, install.stderr[-3000:]
    owners = subprocess.run([python, "-c", TENSORFLOW_OWNERS], capture_output=True, text=True,
                            check=True).stdout.split()
    assert owners == [f"tensorflow=={COLAB_TENSORFLOW}"], owners
    run = subprocess.run([python, "-c", TRAIN_ONE_BATCH], capture_output=True, text=True,
                         timeout=600, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip().endswith("trained True QuantumLayer")
    # chapter 06's device stays an extra: a plain install brings no Qiskit, and says so
    missing = subprocess.run([python, "-c", "from qnn_helpers.engine import device; "
                              "device.fake_backend('FakeFez')"], capture_output=True, text=True,
                             cwd=tmp_path)
    assert missing.returncode != 0 and "qnn-helpers[hardware]" in missing.stderr, missing.stderr
