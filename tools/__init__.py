"""Publishing tools of the series, run from the repository root (``python -m tools.NAME``).

They are not part of ``qnn_helpers``: they know the repository's layout.

    series      execute the chapters in order, record their times, then refresh
                the learner notebooks, the README tables and the site
    readme      results/*.json → results/results.md and the README's results block
    exercises   learner notebooks in exercises/ from the solution notebooks
    study       the study: multi-seed sweeps and tuned baselines (qnn_helpers/recorded/)
    provenance  what produced a record (commit, lock, date, threads, versions)
    benchmark   training speed (results/benchmark.json)
    build_site  the documentation site (Sphinx + myst-nb) in site/
"""

# First, before any tool imports TensorFlow: the package's quiet and reproducible
# TensorFlow switches (qnn_helpers._quiet), as in the notebooks.
import qnn_helpers  # noqa: E402, F401
