"""Pre-flight check for a workshop laptop: ``python -m qnn_helpers.doctor`` (``make doctor``).

Prints the Python version and platform, the versions, data, cache, cores and a training
timing, then ``ready`` or what to fix; ``--fetch`` first downloads the data and trains
:func:`autoencoders`, not to do it in the room.

Where the series cannot be installed (a Python outside 3.11.5-3.13, an Intel Mac: TensorFlow
2.21 has no wheels there) it says what to do instead and stops.  That check,
:func:`platform_problems` (``--platform-only``; :func:`check_platform` raises), needs only the
standard library: importing this module imports neither NumPy nor TensorFlow, so it runs from
a checkout before anything is installed (``python3 -m qnn_helpers.doctor --platform-only``),
and a notebook's first cell can call it.
"""

import argparse
import contextlib
import os
import platform
import subprocess
import sys
import time
from importlib import metadata

#: Versions the series is tested with (requirements.txt pins them).
TESTED = {"pennylane": "0.45.1", "tensorflow": "2.21.0", "keras": "3.15.1"}
PACKAGES = ("pennylane", "tensorflow", "keras", "numpy", "scipy", "scikit-learn", "pandas",
            "matplotlib", "seaborn", "pooch", "tqdm")
#: Chapter 06's simulated device (the ``hardware`` extra).
HARDWARE = ("qiskit", "qiskit-aer", "qiskit-ibm-runtime")
#: Installs the lock: exactly its pins, each file checked against its sha256.
INSTALL_LOCK = "pip install --require-hashes -r requirements.txt"
#: The Python versions the series runs on: pyproject's requires-python (TensorFlow 2.21 has no
#: wheels for 3.14; the lock's soupsieve needs 3.11.5).
PYTHON_RANGE = ((3, 11, 5), (3, 14))
#: (sys.platform, platform.machine()) where TensorFlow 2.21 ships wheels (the lock's platforms).
TENSORFLOW_PLATFORMS = {("linux", "x86_64"): "Linux x86_64", ("linux", "aarch64"): "Linux aarch64",
                        ("darwin", "arm64"): "macOS on Apple Silicon",
                        ("win32", "amd64"): "64-bit Windows"}
#: What to do where the series cannot be installed.
USE_COLAB = "run the chapters on Google Colab (nothing to install)"
OTHER_PYTHON = ("or install Python 3.11, 3.12 or 3.13 (python.org's installer; pyenv: "
                "`pyenv install 3.12`; conda: `conda env create -f environment.yml`) and make "
                "the venv with it: `rm -rf .venv && make venv PYTHON=python3.12`")


def _under_rosetta() -> bool:
    """Whether this process is an x86_64 program translated by Rosetta on an Apple Silicon Mac."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        run = subprocess.run(["sysctl", "-n", "sysctl.proc_translated"], capture_output=True,
                             text=True, timeout=5)
        return run.stdout.strip() == "1"
    return False


def platform_problems() -> list[str]:
    """What stops the series from installing on this Python and platform, each with what to do
    instead (empty where it installs).  Only the standard library: it runs before any install."""
    version = tuple(sys.version_info[:3])
    low, high = PYTHON_RANGE
    shown = ".".join(map(str, version))
    problems = []
    if not low <= version < high:
        why = ("TensorFlow 2.21 has no wheels for Python 3.14 or later" if version >= high
               else "the pinned packages need 3.11.5 or later")
        problems.append(f"Python {shown} cannot run the series: it needs Python 3.11.5 to 3.13 "
                        f"({why}). What to do: {USE_COLAB}, {OTHER_PYTHON}.")
    machine = platform.machine()
    if (sys.platform, machine.lower()) in TENSORFLOW_PLATFORMS:
        return problems
    if sys.platform == "darwin" and machine == "x86_64" and _under_rosetta():
        problems.append("this Python is an Intel (x86_64) build running under Rosetta on an Apple "
                        "Silicon Mac, and TensorFlow 2.21 ships no wheels for Intel Macs. What to "
                        "do: install an arm64 Python 3.11-3.13 (python.org's universal2 installer, "
                        "or pyenv or conda in an arm64 terminal) and make the venv with it: "
                        f"`rm -rf .venv && make venv PYTHON=python3.12`; or {USE_COLAB}.")
    elif sys.platform == "darwin" and machine == "x86_64":
        problems.append("this is an Intel (x86_64) Mac: TensorFlow 2.21 ships no wheels for "
                        f"Intel Macs, so the series cannot be installed here. What to do: "
                        f"{USE_COLAB}, or use another machine (an Apple Silicon Mac, Linux or "
                        "Windows).")
    else:
        supported = ", ".join(TENSORFLOW_PLATFORMS.values())
        problems.append(f"TensorFlow 2.21 ships no wheels for {sys.platform} {machine}, so the "
                        f"series cannot be installed here. What to do: {USE_COLAB}, or use "
                        f"another machine ({supported}).")
    return problems


def check_platform() -> None:
    """``RuntimeError`` saying what to do where the series cannot be installed (see
    :func:`platform_problems`); nothing otherwise.  For a notebook's first cell."""
    problems = platform_problems()
    if problems:
        raise RuntimeError("\n".join(problems))


def _version(name: str) -> str | None:
    """The installed version of a distribution (TensorFlow also as its CPU-only build)."""
    for dist in (name, f"{name}-cpu") if name == "tensorflow" else (name,):
        with contextlib.suppress(metadata.PackageNotFoundError):
            return metadata.version(dist)
    return None


def versions() -> tuple[dict[str, str | None], list[str]]:
    """Installed versions of the packages the chapters need, and the problems found."""
    found = {name: _version(name) for name in PACKAGES}
    problems = [f"{name} is not installed: {INSTALL_LOCK}"
                for name, have in found.items() if have is None]
    problems += [f"{name} {found[name]} is installed; the series is tested with {tested} "
                 f"({INSTALL_LOCK})" for name, tested in TESTED.items()
                 if found[name] and found[name].split(".")[:2] != tested.split(".")[:2]]
    hardware = {name: _version(name) for name in HARDWARE}
    missing = [name for name, have in hardware.items() if have is None]
    if missing:
        problems.append(f"chapter 06's simulated device needs {', '.join(missing)}: "
                        f'pip install "qnn-helpers[hardware]" (or {INSTALL_LOCK})')
    return found | hardware, problems


def autoencoders() -> tuple[tuple[tuple[int, ...], str], ...]:
    """The autoencoders the chapters load: (labels, recipe), each trained once by ``--fetch``."""
    from qnn_helpers import data

    return (
        (data.ORIGINAL_LABELS, "post"),  # chapters 01, 04 and 06 (and an exercise of 03)
        (tuple(range(10)), "post"),  # chapters 03 and 05
        (tuple(range(10)), "improved"),  # chapters 01 and 05
        ((0, 2, 4, 6), "post"),  # chapter 04, exercise 2 (the four tops)
    )


def fetch(train: bool = True) -> list[str]:
    """Download the data sets into the cache, then train :func:`autoencoders` (if ``train``)
    unless they are there; return the problems found."""
    from qnn_helpers import data

    try:
        data.load_fashion_mnist()
        data.load_mnist()  # exercise 2 of chapter 01
    except data.DataNotFoundError as exc:
        return [f"the data could not be downloaded:\n{exc}"]
    if train:
        from qnn_helpers import config, lessons

        # both modes' autoencoders: each chapter's QUICK may choose either (unless QNN_QUICK
        # is set, which then decides for every chapter, and here both rounds train the same)
        for quick in (True, False):
            config.use_quick(quick)
            for labels, recipe in autoencoders():
                print(f"autoencoder ({'quick mode' if config.is_quick() else 'full size'}): "
                      f"recipe {recipe!r}, labels {list(labels)}", flush=True)
                lessons.reduced_fashion_mnist(labels, autoencoder=recipe)
    return []


def training_timing(seconds: float = 10.0, batch_size: int = 8) -> dict[str, float]:
    """Train the post's 4-label model on random features for ``seconds``: its compile time
    (about 10 s), images per second after it and the estimated 4-label epoch."""
    import numpy as np

    from qnn_helpers import training
    from qnn_helpers.engine.models import build_hybrid_model

    training.set_seed(0)
    rng = np.random.default_rng(0)
    x = rng.uniform(0.05, 1.0, (1024, 64)).astype(np.float32)
    y = training.one_hot(rng.integers(0, 4, len(x)), 4)
    start = time.perf_counter()
    model = build_hybrid_model(4)
    model.fit(x[:batch_size], y[:batch_size], batch_size=batch_size, verbose=0)
    compile_s = time.perf_counter() - start
    images, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        model.fit(x, y, batch_size=batch_size, verbose=0)
        images += len(x)
    rate = images / max(time.perf_counter() - start, 1e-9)
    return {"compile_seconds": compile_s, "images_per_second": rate,
            "epoch_seconds_4_labels": 24000 / rate if rate else float("inf")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fetch", action="store_true",
                        help="download the data and train the chapters' autoencoders first")
    parser.add_argument("--no-timing", action="store_true", help="skip the training timing")
    parser.add_argument("--platform-only", action="store_true",
                        help="check only the Python version and the platform (needs nothing "
                             "installed)")
    args = parser.parse_args(argv)
    problems = platform_problems()
    print(f"Python     {platform.python_version()} ({sys.executable})")
    print(f"platform   {sys.platform} {platform.machine()}")
    if problems or args.platform_only:  # nothing below can be installed here
        return _report(problems, ok="this Python and platform can run the series")
    from qnn_helpers import config, data

    found, bad = versions()
    problems += bad
    print("packages   " + ", ".join(f"{k} {v or 'MISSING'}" for k, v in found.items()))
    can_train = not any(name in p for p in problems for name in ("tensorflow", "pennylane",
                                                                 "keras"))
    mode = "quick (QNN_QUICK=1)" if config.is_quick() else "as each chapter's QUICK says"
    print(f"mode       {mode}")
    print(f"cache      {config.cache_root()}")
    if args.fetch:
        problems += fetch(train=can_train)
    try:
        where = data.locate(data.FASHION_MNIST, download=False)
    except data.DataNotFoundError:
        where = "not found"
        problems.append("Fashion-MNIST is not on this machine: with internet, run "
                        "`make doctor FETCH=1` (python -m qnn_helpers.doctor --fetch); "
                        "offline, copy the four .gz files to a folder and set QNN_DATA_DIR to it")
    print(f"data       {where}")
    cores = os.cpu_count() or 1
    print(f"cores      {cores}")
    if cores < 2:
        problems.append("one core only: training will be slow; use quick mode (QUICK = "
                        "True in each chapter's first cell)")
    if can_train and not args.no_timing:
        timing = training_timing()
        print(f"training   compile {timing['compile_seconds']:.1f} s, then "
              f"{timing['images_per_second']:,.0f} images/s (a full 4-label epoch: "
              f"{timing['epoch_seconds_4_labels']:.0f} s)")
        if timing["images_per_second"] < 1000:
            problems.append("training is slow on this machine: use quick mode (QUICK = True "
                            "in each chapter's first cell)")
    return _report(problems)


def _report(problems: list[str], ok: str = "ready") -> int:
    """Print ``ok`` or what to fix; the exit status."""
    print("\nto fix:\n" + "\n".join(f"  - {p}" for p in problems) if problems else f"\n{ok}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
