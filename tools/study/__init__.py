"""The study: multi-seed sweeps and tuned classical baselines (``make variants``).

Run as ``python -m tools.study`` (see :mod:`tools.study.__main__`).  Each sweep trains
every variant with the same seeds; each record is written whole, with its provenance,
into ``qnn_helpers/recorded/`` (:mod:`tools.study.store`), where the chapters read it
(:mod:`qnn_helpers.records`).

    sweeps      the variants of chapters 05 (6 qubits) and 07 (10 qubits), one runner
    baselines   the classical models of chapters 04, 05 and 07, tuned on validation
    store       records written whole, with provenance
"""
