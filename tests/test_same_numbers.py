"""The same command gives the same numbers: on every x86-64 CPU with AVX2, and however busy.

Importing the package caps the instruction sets of XLA, oneDNN and OpenBLAS at AVX2
(``qnn_helpers._quiet``).  TensorFlow's op determinism stays off (Keras compiles no model with
XLA while it is on): the same training gives the same bits without it, on a busy machine too.
"""

import json
import os
import platform
import subprocess
import sys

import pytest

from tools.repo import REPO

SHOW = """
import json, os
import qnn_helpers
print(json.dumps({k: os.environ.get(k) for k in
                  ("XLA_FLAGS", "ONEDNN_MAX_CPU_ISA", "OPENBLAS_CORETYPE")}))
"""


def _environment(**preset: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("XLA_FLAGS", "ONEDNN_MAX_CPU_ISA", "OPENBLAS_CORETYPE")}
    env.update(PYTHONPATH=str(REPO), **preset)
    run = subprocess.run([sys.executable, "-c", SHOW], env=env, capture_output=True, text=True,
                         check=True)
    return json.loads(run.stdout)


@pytest.mark.skipif(platform.machine().lower() not in ("x86_64", "amd64"),
                    reason="the caps are for x86-64 CPUs")
def test_importing_the_package_caps_the_instruction_sets_at_avx2():
    assert _environment() == {"XLA_FLAGS": "--xla_cpu_max_isa=AVX2",
                              "ONEDNN_MAX_CPU_ISA": "AVX2", "OPENBLAS_CORETYPE": "Haswell"}
    # a value the user set wins; other XLA flags are kept
    mine = _environment(OPENBLAS_CORETYPE="Zen", XLA_FLAGS="--xla_dump_to=/tmp/x")
    assert mine["OPENBLAS_CORETYPE"] == "Zen"
    assert mine["XLA_FLAGS"] == "--xla_dump_to=/tmp/x --xla_cpu_max_isa=AVX2"


TRAIN = """
import hashlib
import numpy as np
from qnn_helpers import lessons, training
from qnn_helpers.engine.models import build_hybrid_model
rng = np.random.default_rng(0)
x = rng.uniform(0.05, 1, (64, 16)).astype("float32")
training.set_seed(0)
model = build_hybrid_model(4, n_qubits=4, n_layers=2, upload_every=1)  # XLA-compiled
model.fit(x, training.one_hot(np.arange(64) % 4, 4), batch_size=8, verbose=0)
images = rng.uniform(0, 1, (128, 784)).astype("float32")
training.set_seed(0)
auto = lessons.build_autoencoder(64, "post", input_dim=784)
auto.fit(images, images, batch_size=32, verbose=0)
weights = model.get_weights() + auto.get_weights()
print(hashlib.sha256(b"".join(w.tobytes() for w in weights)).hexdigest())
"""

BUSY = "import time\nend = time.time() + 120\nwhile time.time() < end: pass"


def _train() -> str:
    env = dict(os.environ, PYTHONPATH=str(REPO), TF_NUM_INTRAOP_THREADS="2")
    run = subprocess.run([sys.executable, "-c", TRAIN], env=env, capture_output=True,
                         text=True, check=True, timeout=600)
    return run.stdout.strip()


def test_the_same_training_gives_the_same_bits_on_a_busy_machine():
    """Two threads each, once alone and once beside a process that keeps a core busy (the
    threads then wait for each other in another order)."""
    alone = _train()
    busy = [subprocess.Popen([sys.executable, "-c", BUSY])]
    try:
        loaded = _train()
    finally:
        for process in busy:
            process.kill()
            process.wait()
    assert alone == loaded
