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


def _machine(monkeypatch, version=(3, 12, 1), system="linux", machine="x86_64", rosetta=False):
    """This process as if it ran ``version`` of Python on ``system`` ``machine``."""
    monkeypatch.setattr(sys, "version_info", (*version, "final", 0))
    monkeypatch.setattr(sys, "platform", system)
    monkeypatch.setattr(doctor.platform, "machine", lambda: machine)
    monkeypatch.setattr(doctor, "_under_rosetta", lambda: rosetta)


@pytest.mark.parametrize("system,machine", [("linux", "x86_64"), ("linux", "aarch64"),
                                            ("darwin", "arm64"), ("win32", "AMD64")])
@pytest.mark.parametrize("version", [(3, 11, 5), (3, 12, 0), (3, 13, 7)])
def test_the_lock_platforms_and_pythons_pass_the_platform_check(monkeypatch, version, system,
                                                                 machine):
    _machine(monkeypatch, version, system, machine)
    assert doctor.platform_problems() == []
    doctor.check_platform()


@pytest.mark.parametrize("version", [(3, 14, 0), (3, 15, 1), (3, 11, 4), (3, 10, 12)])
def test_the_doctor_says_what_to_do_on_another_python(monkeypatch, capsys, version):
    _machine(monkeypatch, version)
    [problem] = doctor.platform_problems()
    shown = ".".join(map(str, version))
    assert f"Python {shown} cannot run the series: it needs Python 3.11.5 to 3.13" in problem
    for advice in ("Google Colab", "python.org", "pyenv", "conda", "make venv PYTHON="):
        assert advice in problem, advice
    if version >= (3, 14):
        assert "TensorFlow 2.21 has no wheels for Python 3.14" in problem
    with pytest.raises(RuntimeError, match=f"Python {shown} cannot run the series"):
        doctor.check_platform()
    # the doctor stops there: nothing else can be installed on this Python
    monkeypatch.setattr(doctor, "versions", lambda: pytest.fail("looked for packages"))
    assert doctor.main(["--no-timing"]) == 1
    out = capsys.readouterr().out
    assert "platform   linux x86_64" in out
    assert out.endswith(f"to fix:\n  - {problem}\n")


def test_the_doctor_says_what_to_do_on_an_intel_mac(monkeypatch, capsys):
    _machine(monkeypatch, (3, 12, 4), "darwin", "x86_64")
    [problem] = doctor.platform_problems()
    assert problem.startswith("this is an Intel (x86_64) Mac: TensorFlow 2.21 ships no wheels")
    assert "Google Colab" in problem and "another machine" in problem
    assert doctor.main(["--platform-only"]) == 1
    assert "platform   darwin x86_64" in capsys.readouterr().out
    # an Intel Python under Rosetta on an Apple Silicon Mac: an arm64 Python fixes it
    _machine(monkeypatch, (3, 12, 4), "darwin", "x86_64", rosetta=True)
    [problem] = doctor.platform_problems()
    assert "under Rosetta" in problem and "arm64 Python" in problem and "Colab" in problem
    # both at once: each says what to do
    _machine(monkeypatch, (3, 14, 0), "darwin", "x86_64")
    assert [p.split(":")[0] for p in doctor.platform_problems()] == [
        "Python 3.14.0 cannot run the series", "this is an Intel (x86_64) Mac"]


@pytest.mark.parametrize("system,machine", [("win32", "ARM64"), ("linux", "ppc64le")])
def test_the_doctor_names_the_platforms_tensorflow_supports(monkeypatch, system, machine):
    _machine(monkeypatch, (3, 12, 4), system, machine)
    [problem] = doctor.platform_problems()
    assert problem.startswith(f"TensorFlow 2.21 ships no wheels for {system} {machine}")
    assert "Google Colab" in problem and "Linux x86_64" in problem


def test_the_platform_check_needs_nothing_installed(tmp_path):
    """On a machine where TensorFlow cannot be installed nothing else is either: the check
    runs (``python -m qnn_helpers.doctor --platform-only``) with the standard library alone."""
    heavy = ("numpy", "scipy", "pandas", "tensorflow", "keras", "pennylane", "jax", "matplotlib")
    script = (f"import runpy, sys\nsys.modules.update(dict.fromkeys({heavy!r}))\n"
              "sys.argv = ['doctor', '--platform-only']\n"
              "runpy.run_module('qnn_helpers.doctor', run_name='__main__')\n")
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                         text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1] == "this Python and platform can run the series"


def test_make_venv_checks_the_platform_before_installing():
    """``make venv`` (and every target that needs it) says what to do, not pip's "no matching
    distribution", where the series cannot be installed."""
    recipe = (REPO / "Makefile").read_text().split("$(VENV)/.installed:")[1].split("\n\n")[0]
    lines = [line.strip() for line in recipe.splitlines()[1:]]
    assert lines[0].endswith("-m qnn_helpers.doctor --platform-only"), lines
    assert "pip install" in lines[2], lines
