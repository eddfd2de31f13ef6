"""pytest settings for the whole repository: unit tests and notebooks alike.

Under pytest-xdist (``make test`` runs two workers) each worker, and every notebook
kernel it starts, gets its share of the cores for the thread pools of TensorFlow and
of the BLAS libraries: ``cores // workers`` threads.  Left alone, every process sizes
its pools for the whole machine, so two workers on two cores run four busy threads,
and the many small operations of this series wait on each other (measured on 2 cores:
the whole run 1,059 s → 804 s, a chapter's logistic regression 29 s → 5 s).  A value
already set in the environment wins.  The variables must be set before TensorFlow and
NumPy load, which is why this is a conftest at the root.
"""

import os

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


_workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if _workers > 1:
    for _name in THREAD_VARIABLES:
        os.environ.setdefault(_name, str(max(1, _cores() // _workers)))
