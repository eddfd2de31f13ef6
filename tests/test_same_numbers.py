"""The same command gives the same numbers: on every x86-64 CPU with AVX2, and however busy.

Importing the package caps the instruction sets of XLA, oneDNN and OpenBLAS at AVX2
(``qnn_helpers._quiet``), and ``training.set_seed`` switches on TensorFlow's op determinism.
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


def test_set_seed_switches_on_op_determinism(monkeypatch):
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "tensorflow":
        pytest.skip("op determinism is TensorFlow's switch")
    import tensorflow as tf

    from qnn_helpers import training

    calls = []
    monkeypatch.setattr(tf.config.experimental, "enable_op_determinism",
                        lambda: calls.append("on"))
    training.set_seed(3)
    assert calls == ["on"]
