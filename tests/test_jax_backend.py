"""The engine's tests again on Keras' JAX backend.

Keras picks its backend once per process, so they run in a pytest of their own with
``KERAS_BACKEND=jax``; as one test here, a worker runs them beside the other tests instead of
after them all.
"""

import os
import subprocess
import sys

import pytest

from tools.repo import REPO

#: The engine's tests: the layer, the 10-qubit layer, signed features and the models.
ENGINE_TESTS = ("tests/test_layers.py", "tests/test_ten_qubits.py",
                "tests/test_signed_features.py", "tests/test_models.py")


@pytest.mark.slow
def test_the_engine_tests_pass_on_the_jax_backend(tmp_path):
    pytest.importorskip("jax", reason="the jax extra is not installed")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")}
    # JAX's compilation cache, on disk for this run only: the tests build many models of the
    # same shapes, whose training steps then compile once
    cache = tmp_path / "jax-cache"
    env |= {"KERAS_BACKEND": "jax", "JAX_COMPILATION_CACHE_DIR": str(cache),
            "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
            "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "0"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-o", "addopts=",
                          "--strict-markers", "-q", "--no-header", *ENGINE_TESTS],
                         cwd=REPO, env=env, capture_output=True, text=True)
    assert run.returncode == 0, f"on the JAX backend:\n{run.stdout[-6000:]}\n{run.stderr[-2000:]}"
