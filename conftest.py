"""pytest settings for the whole repository: unit tests and notebooks alike.

Under pytest-xdist (``make test`` runs two workers) each worker, and every notebook
kernel it starts, gets its share of the cores for the thread pools of TensorFlow and
of the BLAS libraries: ``cores // workers`` threads.  Left alone, every process sizes
its pools for the whole machine, so two workers on two cores run four busy threads,
and the many small operations of this series wait on each other (measured on 2 cores:
the whole run 1,059 s → 804 s, a chapter's logistic regression 29 s → 5 s).  A value
already set in the environment wins.  The variables must be set before TensorFlow and
NumPy load, which is why this is a conftest at the root.

It also hands the scopes out longest first (see ``LONGEST_FIRST``).
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


# The longest scopes (a notebook, a test class or module), longest first, as measured in one
# fresh-clone run of `make test` (seconds in the comments, 2 workers). xdist hands scopes out in
# collection order (`--no-loadscope-reorder` in pyproject); long ones first, so that at the
# end no worker runs a long one alone while the other waits. Scopes not listed follow, in
# pytest's order; only the order matters, so the list needs no update for small changes.
LONGEST_FIRST = (
    "notebooks/05_ten_label_gallery.ipynb",  # 252 (trains the improved autoencoder if cold)
    "notebooks/03_data_reuploading.ipynb",  # 177
    "notebooks/04_four_label_training.ipynb",  # 161
    "tests/test_learner_notebooks.py::TestLearner03DataReuploading",  # 116
    "notebooks/06_hardware_reality.ipynb",  # 104
    "tests/test_install.py",  # 88
    "tests/test_standalone.py",  # 85 (measured alone, autoencoders not cached)
    "tests/test_layers.py",  # 78
    "tests/test_layers.py::TestLayerMatchesPlainQnodeAmplitude2FalsePost",  # 71
    "tests/test_learner_notebooks.py::TestLearner05TenLabelGallery",  # 65
    "tests/test_learner_notebooks.py::TestLearner04FourLabelTraining",  # 65
    "tests/test_learner_notebooks.py::TestLearner06HardwareReality",  # 62
    "tests/test_models.py",  # 51
    "tests/test_signed_features.py",  # 40
    "tests/test_learner_notebooks.py::TestLearner01DataReduction",  # 34
    "tests/test_site.py",  # 34
    "notebooks/01_data_reduction.ipynb",  # 34
)


def _scope(nodeid: str) -> str:
    """The unit xdist's loadscope gives to one worker: the node id without its last part."""
    return nodeid.rsplit("::", 1)[0]


def pytest_collection_modifyitems(items):
    rank = {scope: i for i, scope in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(_scope(item.nodeid), len(rank)))  # stable
