"""XLA's compiled programs are kept on disk and loaded again by a later process."""

import os
import subprocess
import sys

import pytest

from qnn_helpers import xla_cache

COMPILE = """
import qnn_helpers
import tensorflow as tf
print(tf.function(lambda x: tf.sin(x) * 3.0 + x, jit_compile=True)(tf.ones(5)).numpy().sum())
"""


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    monkeypatch.delenv("TF_XLA_FLAGS", raising=False)
    monkeypatch.delenv("QNN_XLA_CACHE", raising=False)
    monkeypatch.setenv("QNN_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_the_folder_is_in_the_cache_and_named_by_the_tensorflow_version(clean_env, monkeypatch):
    monkeypatch.setenv("TF_XLA_FLAGS", "--tf_xla_auto_jit=0")
    path = xla_cache.enable()
    assert path.parent == clean_env
    assert path.name == f"xla-tf{xla_cache._tensorflow_version()}"
    assert os.environ["TF_XLA_FLAGS"] == f"--tf_xla_auto_jit=0 {xla_cache.FLAG}={path}"
    assert xla_cache.folder() == path


def test_a_folder_set_by_the_user_wins_and_the_switch_turns_it_off(clean_env, monkeypatch):
    monkeypatch.setenv("TF_XLA_FLAGS", f"{xla_cache.FLAG}=/somewhere/else")
    assert str(xla_cache.enable()) == "/somewhere/else"
    assert os.environ["TF_XLA_FLAGS"] == f"{xla_cache.FLAG}=/somewhere/else"
    xla_cache.use("/another/folder")
    assert os.environ["TF_XLA_FLAGS"] == f"{xla_cache.FLAG}=/another/folder"
    monkeypatch.delenv("TF_XLA_FLAGS")
    monkeypatch.setenv("QNN_XLA_CACHE", "0")
    assert xla_cache.enable() is None
    assert "TF_XLA_FLAGS" not in os.environ


def test_no_cache_where_the_folder_cannot_be_written(clean_env, monkeypatch):
    not_a_folder = clean_env / "a-file"
    not_a_folder.write_text("")
    monkeypatch.setenv("QNN_CACHE_DIR", str(not_a_folder))
    assert xla_cache.enable() is None
    assert "TF_XLA_FLAGS" not in os.environ


def test_a_second_process_loads_the_program_instead_of_compiling_it(clean_env):
    def run():
        done = subprocess.run([sys.executable, "-c", COMPILE], env=dict(os.environ),
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    folder = clean_env / f"xla-tf{xla_cache._tensorflow_version()}"
    first = run()
    saved = xla_cache.saved_programs(folder)
    assert saved, "the compiled program was not saved"
    second = run()
    # A second compile would write the same file again: its time stamp must not move.
    assert xla_cache.saved_programs(folder) == saved
    assert first == second


def test_a_temporary_folder_is_empty_and_the_setting_comes_back(clean_env, monkeypatch):
    monkeypatch.setenv("TF_XLA_FLAGS", "--tf_xla_auto_jit=0")
    with xla_cache.temporary() as path:
        assert xla_cache.folder() == path
        assert not any(path.iterdir())
    assert os.environ["TF_XLA_FLAGS"] == "--tf_xla_auto_jit=0"
    assert not path.exists()
