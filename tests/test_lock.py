"""requirements.txt is a real lock of pyproject's ranges, for every learner platform.

``make lock`` writes one universal lock (uv): every package pinned, with markers
where a pin applies to some platforms or Python versions only, and the sha256 of
every file of each pin, which every install of it checks (``--require-hashes``).
The last test resolves it, without installing anything, for each platform a
learner may have and each Python version that requires-python admits: it needs
the PyPI index, not the platform.
"""

import re
import subprocess
import sys
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from uv import find_uv_bin

from tools.repo import REPO

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
PINNED = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)\s*(?:;\s*(.+?))?\s*$")
HASH = re.compile(r"\s+--hash=sha256:([0-9a-f]{64})")
#: On Linux x86_64 the lock installs TensorFlow's CPU-only build in tensorflow's place.
BUILDS = {"tensorflow": ("tensorflow", "tensorflow-cpu")}
#: uv's names of the learners' platforms (manylinux_2_28: TensorFlow's wheels need glibc 2.27).
PLATFORMS = ["x86_64-manylinux_2_28", "aarch64-manylinux_2_28", "aarch64-apple-darwin",
             "x86_64-pc-windows-msvc"]


#: Compiled packages that must come as wheels for every platform (no learner builds them).
COMPILED = ["tensorflow", "tensorflow-cpu", "jaxlib", "qiskit", "qiskit-aer"]
#: Chapter 06's simulated device (the ``hardware`` extra), on every platform.
HARDWARE = {"qiskit", "qiskit-aer", "qiskit-ibm-runtime"}


def _lock_entries() -> list[tuple[str, str, str | None, list[str]]]:
    """(name, version, marker or None, sha256 hashes) of every requirement of
    requirements.txt (a requirement and its ``--hash`` options span continued lines)."""
    return _entries((REPO / "requirements.txt").read_text())


def _entries(text: str) -> list[tuple[str, str, str | None, list[str]]]:
    entries = []
    for line in re.sub(r"\\\n", " ", text).splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PINNED.match(HASH.sub("", " " + line).strip())
        assert match, f"not an exact pin: {line[:200]!r}"
        entries.append((canonicalize_name(match[1]), match[2], match[3],
                        HASH.findall(" " + line)))
    return entries


def _pins() -> dict[str, set[str]]:
    """The pinned versions of each package (more than one where markers split it)."""
    pins = {}
    for name, version, _, _ in _lock_entries():
        pins.setdefault(name, set()).add(version)
    return pins


def _declared() -> list[Requirement]:
    reqs = list(PROJECT["dependencies"])
    for extra in PROJECT["optional-dependencies"].values():
        reqs += extra
    return [Requirement(r) for r in reqs]


def _python_versions() -> list[str]:
    """requires-python's lowest version, then every later minor version it admits."""
    requires = SpecifierSet(PROJECT["requires-python"])
    lowest = min(s.version for s in requires if s.operator == ">=")
    major, minor = (int(n) for n in lowest.split(".")[:2])
    later = [f"{major}.{m}" for m in range(minor + 1, minor + 10) if f"{major}.{m}.0" in requires]
    return [lowest, *later]


def test_every_declared_dependency_is_pinned_inside_its_range():
    pins = _pins()
    for req in _declared():
        names = BUILDS.get(canonicalize_name(req.name), (canonicalize_name(req.name),))
        versions = set().union(*(pins.get(n, set()) for n in names))
        assert versions, f"{req.name} is declared in pyproject.toml but not pinned"
        for version in versions:
            assert req.specifier.contains(version, prereleases=True), (
                f"{req.name}=={version} is outside pyproject's range {req.specifier}")


def test_every_pin_carries_the_hashes_of_its_files():
    """``pip install --require-hashes`` installs only files whose sha256 the lock holds: each
    pin carries every file's hash (for a compiled package, one wheel per platform and Python)."""
    entries = _lock_entries()
    missing = [f"{name}=={version}" for name, version, _, hashes in entries if not hashes]
    assert not missing, f"pins without --hash=sha256: {missing} (run make lock)"
    hashes = {name: len(h) for name, _, _, h in entries}
    assert hashes["numpy"] > 10 and hashes["tensorflow"] > 3, hashes
    for name, version, _, h in entries:
        assert len(set(h)) == len(h), f"{name}=={version} repeats a hash"
    makefile = (REPO / "Makefile").read_text()
    assert "--generate-hashes" in makefile.split("\nlock:")[1].split("\n\n")[0]


def test_every_install_of_the_lock_requires_its_hashes():
    """A room installs the audited files only: every ``pip install -r requirements.txt`` the
    repository runs or tells a reader to run passes ``--require-hashes`` (pip then refuses
    any file whose sha256 the lock lacks, and any requirement without hashes)."""
    for where in ("Makefile", "README.md", "qnn_helpers/doctor.py"):
        flat = " ".join((REPO / where).read_text().replace("\\\n", " ").split())
        commands = re.findall(r"pip install (?:--?[\w-]+ )*-r \S*requirements\.txt", flat)
        assert commands, f"{where} no longer installs requirements.txt?"
        for command in commands:
            assert "--require-hashes" in command, f"{where}: {command}"
    env = (REPO / "environment.yml").read_text()  # conda hands these lines to pip
    assert re.search(r"^\s+- --require-hashes\s*$", env, re.M)
    binder = (REPO / "binder/requirements.txt").read_text()
    assert re.search(r"^--require-hashes$", binder, re.M) and "-r ../requirements.txt" in binder


def test_make_installs_uv_by_its_pin_in_the_lock():
    """``make venv`` installs uv first (tools/uv-lock.txt, hash-checked by pip), then the lock
    with uv: that file is the lock's own uv entry, hashes and all."""
    def uv_entry(text):
        return [e for e in _entries(text) if e[0] == "uv"]

    lock = uv_entry((REPO / "requirements.txt").read_text())
    assert lock and uv_entry((REPO / "tools/uv-lock.txt").read_text()) == lock, (
        "tools/uv-lock.txt differs from requirements.txt's uv (run make lock)")
    assert "-r tools/uv-lock.txt" in (REPO / "Makefile").read_text()


def test_transitive_packages_are_pinned_too():
    pins = _pins()
    # a few that no pyproject range names, pulled in by pooch, tensorflow and nbconvert
    assert {"requests", "protobuf", "mistune"} <= set(pins)
    assert len(pins) > 2 * len(_declared())


def test_python_versions_agree_with_requires_python():
    versions = _python_versions()
    assert versions == ["3.11.5", "3.12", "3.13"], versions  # what the README promises
    assert f"--python-version {versions[0]}" in (REPO / "Makefile").read_text()
    env = (REPO / "environment.yml").read_text()
    assert re.search(r"^\s+- -r requirements\.txt\s*$", env, re.M)
    conda = SpecifierSet(re.search(r"^\s+- python\s*([<>=!][^\s#]*)", env, re.M)[1])
    runtime = re.fullmatch(r"python-(\d+\.\d+)\s*", (REPO / "binder/runtime.txt").read_text())[1]
    requires = SpecifierSet(PROJECT["requires-python"])
    for version in ("3.11.4", "3.11.5", "3.11.14", "3.12.0", "3.13.0"):  # conda picks a patch
        if version in conda:
            assert version in requires, f"environment.yml admits Python {version}"
    assert f"{runtime}.99" in requires and f"{runtime}.99" in conda, runtime


@pytest.fixture(scope="module")
def resolutions() -> dict[tuple[str, str], subprocess.CompletedProcess]:
    """uv resolves requirements.txt alone for every platform and Python version, all at once.

    They wait mostly for the index, so they run side by side.
    """
    runs = {(platform, python): subprocess.Popen(
        [find_uv_bin(), "pip", "compile", "--quiet", "--no-header", "--no-annotate",
         "--python-platform", platform, "--python-version", python, "requirements.txt",
         "--python", sys.executable, "--no-python-downloads",
         *[f"--only-binary={name}" for name in COMPILED]],  # builds nothing: no Python needed
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
        for platform in PLATFORMS for python in _python_versions()}
    done = {}
    for key, run in runs.items():
        out, err = run.communicate(timeout=600)
        done[key] = subprocess.CompletedProcess(run.args, run.returncode, out, err)
    return done


@pytest.mark.parametrize("python", _python_versions())
@pytest.mark.parametrize("platform", PLATFORMS)
def test_lock_resolves_on_every_learner_platform(resolutions, platform, python):
    """Nothing missing, nothing from outside the lock, one TensorFlow, PennyLane and Keras."""
    run = resolutions[platform, python]
    assert run.returncode == 0, f"{platform}, Python {python}:\n{run.stderr[-3000:]}"
    resolved = {}
    for line in run.stdout.splitlines():
        name, version, _ = PINNED.match(line).groups()
        resolved[canonicalize_name(name)] = version
    pins = _pins()
    for name, version in resolved.items():
        assert version in pins.get(name, set()), f"{name}=={version} is not in the lock"
    tensorflow = [n for n in BUILDS["tensorflow"] if n in resolved]
    assert len(tensorflow) == 1, f"{platform}, Python {python}: TensorFlow builds {tensorflow}"
    assert {"pennylane", "keras"} <= set(resolved), f"{platform}, Python {python}"
    assert HARDWARE <= set(resolved), f"{platform}, Python {python}: {HARDWARE - set(resolved)}"
