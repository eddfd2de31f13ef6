"""What produced a record: the commit, the lock, the date, the threads, the versions.

The package does not know the repository, so this is computed here and handed on: the
study tool embeds :func:`provenance` in its records; ``tools.series`` gives the chapter
kernels :func:`environment` (``$QNN_PROVENANCE``), which ``qnn_helpers.results.record``
embeds in every chapter record.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import platform
import subprocess
from importlib import metadata
from typing import Any

from tools.repo import REPO

ENV = "QNN_PROVENANCE"
#: the distributions whose versions a record names
PACKAGES = ("qnn-helpers", "tensorflow", "tensorflow-cpu", "keras", "pennylane", "numpy",
            "scikit-learn", "jax")


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, check=True, capture_output=True,
                          text=True).stdout.strip()


def lock_sha256(text: bytes | None = None) -> str:
    """sha256 of ``requirements.txt`` (or of ``text``)."""
    text = (REPO / "requirements.txt").read_bytes() if text is None else text
    return hashlib.sha256(text).hexdigest()


def threads() -> dict[str, Any]:
    """TensorFlow's intra-op and OpenMP thread settings (``None``: unset, TensorFlow then
    uses every core) and the cores this process may use."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"tf_intra_op": os.environ.get("TF_NUM_INTRAOP_THREADS"),
            "omp": os.environ.get("OMP_NUM_THREADS"), "cores": cores}


def versions() -> dict[str, str]:
    """Python's and the installed :data:`PACKAGES`' versions."""
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def provenance() -> dict[str, Any]:
    """This checkout and process: commit (and whether the tree differs from it), the
    lock's sha256, the UTC date, threads, Keras backend and versions."""
    return {
        "commit": _git("rev-parse", "HEAD"),
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "requirements_sha256": lock_sha256(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "threads": threads(),
        "keras_backend": os.environ.get("KERAS_BACKEND", "tensorflow"),
        "versions": versions(),
    }


def environment() -> dict[str, str]:
    """The environment variable to set for chapter kernels: ``{QNN_PROVENANCE: json}``."""
    return {ENV: json.dumps(provenance(), ensure_ascii=False)}
