"""Quiet TensorFlow and PennyLane with their own switches, before they are imported.

The one place where the series silences messages on purpose (no output is redirected).  The
environment defaults (a value you set wins) hide TensorFlow's C++ start-up lines and make CPU
results bit-reproducible (no oneDNN optimisations; on x86-64 the same kernels on every CPU with
AVX2, :data:`ISA_CAPS`).  TensorFlow's logger keeps errors only, by a filter (a
Jupyter kernel resets its level): its "casting complex to float" notes drop zero imaginary
parts.  PennyLane's deprecation of its TensorFlow interface is filtered: it works with the
pinned ``pennylane==0.45.1`` and ``tensorflow==2.21.0``.
"""

import logging
import os
import platform
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

#: On x86-64, the instruction sets XLA, oneDNN and OpenBLAS may use, capped at AVX2: each
#: picks its kernels by the CPU it finds, and AVX-512 kernels add in another order than AVX2
#: ones, so two machines of the same kind with other CPUs trained other models (measured: a
#: one-epoch model's weights differ with each of the three caps on an AVX-512 CPU).  With the
#: caps, every x86-64 CPU with AVX2 runs the same kernels.  OpenBLAS reads its variable when
#: NumPy loads, so this module must run first: the tools and the tests import it first.
ISA_CAPS = {"ONEDNN_MAX_CPU_ISA": "AVX2", "OPENBLAS_CORETYPE": "Haswell"}
XLA_ISA_FLAG = "--xla_cpu_max_isa=AVX2"

if platform.machine().lower() in ("x86_64", "amd64"):
    for _name, _value in ISA_CAPS.items():
        os.environ.setdefault(_name, _value)
    if "xla_cpu_max_isa" not in os.environ.get("XLA_FLAGS", ""):
        os.environ["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} {XLA_ISA_FLAG}".strip()


def _errors_only(record: logging.LogRecord) -> bool:
    """TensorFlow's log records at ERROR and above pass."""
    return record.levelno >= logging.ERROR


logging.getLogger("tensorflow").addFilter(_errors_only)
warnings.filterwarnings("ignore", message=r".*TensorFlow interface is deprecated.*")
