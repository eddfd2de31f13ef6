"""Chapter 06's findings over five seeds: noise, relaxation, mitigation and the device.

Chapter 06 takes one trained model to hardware.  Its conclusions (how noise shrinks and
shifts ⟨Z⟩, what each correction recovers, what the simulated IBM device leaves) must hold
for the post's model whichever seed trained it, so this repeats the chapter's measurements
for the post's 4-label model trained with each seed (the study's ``post's settings`` row of
``four_labels``: Adam 0.01, batch 8, one epoch, cached by the runner), on the chapter's
images: 500 test and 200 validation images (100 of them on the device).

One job per seed (:func:`one_seed`); ``record`` gathers them into ``hardware.json``.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from tools.study import runner
from tools.study.tables import FOUR_LABELS, POST_SETTINGS

P2_VALUES = np.logspace(-4, -1, 7)  # the chapter's sweep of the CNOT error rate
GAMMAS = (1e-4, 3e-4, 1e-3, 3e-3)  # amplitude damping per step (relaxation)
N_TEST, N_VAL, N_DEVICE, N_DEVICE_VAL, N_IDLE = 500, 200, 500, 100, 100
MITIGATION_SHOTS = 10_000
DEVICE_SHOTS = (4000, 1_000_000)
KINDS = ("none", "rescaled", "affine", "refit softmax")
BACKEND = "FakeFez"  # an IBM Heron r2 device, 156 qubits, as in the chapter


def describe() -> dict[str, Any]:
    """What every seed's measurements used."""
    return {"model": "the post's 4-label model, Adam 0.01, batch 8, one epoch",
            "test images": N_TEST, "validation images": N_VAL,
            "device images (test, validation)": [N_DEVICE, N_DEVICE_VAL], "device": BACKEND,
            "p2 values": [float(p) for p in P2_VALUES], "gammas": list(GAMMAS),
            "mitigation shots": MITIGATION_SHOTS, "device shots": list(DEVICE_SHOTS)}


def noise_model(p2: float) -> dict[str, float]:
    """The chapter's noise model: one number, the CNOT error rate."""
    return {"p1": p2 / 10, "p2": p2, "readout_error": p2}


def one_seed(seed: int) -> dict[str, Any]:
    """Every measurement of chapter 06 for the post's model trained with ``seed``."""
    import pennylane as qml
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from qnn_helpers import lessons
    from qnn_helpers.engine import device

    start = time.perf_counter()
    spec = next(r for r in FOUR_LABELS.rows if r.fixed == POST_SETTINGS)
    lr, epochs, batch = POST_SETTINGS
    model, _ = runner._model_at(spec, lr, seed, batch, epochs)
    data = runner.data(spec.features)
    exported = lessons.export_classifier(model)
    test = np.random.default_rng(0).choice(len(data.y_test), N_TEST, replace=False)
    val = np.random.default_rng(1).choice(len(data.y_val), N_VAL, replace=False)
    x_t, y_t = data.x_test[test], data.y_test[test]
    x_v, y_v = data.x_val[val], data.y_val[val]
    qnode = exported.qnode(qml.device("default.qubit", wires=6))
    z_exact = np.stack(qnode(x_t, exported.circuit_weights), axis=-1)
    z_val_exact = np.stack(qnode(x_v, exported.circuit_weights), axis=-1)
    sim_t, sim_v = exported.noisy_simulation(x_t), exported.noisy_simulation(x_v)

    def score(z, labels=y_t):
        return float(np.mean(exported.classify(z).argmax(axis=1) == labels))

    def signal(z, exact=z_exact):
        return float(np.abs(z).mean() / np.abs(exact[:len(z)]).mean())

    def corrected(z_t, z_v, z_v_exact, labels_t, labels_v):
        slope, offset = lessons.affine_correction(z_v, z_v_exact)
        refit = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(
            z_v, labels_v)
        return dict(zip(KINDS, (
            score(z_t, labels_t),
            score(z_t * lessons.rescaling_factors(z_v, z_v_exact), labels_t),
            score(z_t * slope + offset, labels_t),
            float(np.mean(refit.predict(z_t) == labels_t))), strict=True))

    def shots(z_t, z_v, n):
        rng = np.random.default_rng(0)
        return lessons.sample_expvals(z_t, n, rng), lessons.sample_expvals(z_v, n, rng)

    out: dict[str, Any] = {"seed": seed, "noiseless_accuracy": score(z_exact)}
    depolarizing = []
    for p2 in P2_VALUES:
        z_t, z_v = sim_t.expvals(**noise_model(p2)), sim_v.expvals(**noise_model(p2))
        depolarizing.append({
            "p2": float(p2), "signal_left": signal(z_t), "accuracy": score(z_t),
            "corrected_exact": corrected(z_t, z_v, z_val_exact, y_t, y_v),
            "corrected_shots": corrected(*shots(z_t, z_v, MITIGATION_SHOTS), z_val_exact,
                                         y_t, y_v)})
    out["depolarizing"] = depolarizing
    relaxation = []
    for gamma in GAMMAS:
        z_t, z_v = sim_t.expvals(0.0, relaxation=gamma), sim_v.expvals(0.0, relaxation=gamma)
        relaxation.append({
            "gamma": gamma, "mean_shift": float((z_t - z_exact).mean()),
            "signal_left": signal(z_t), "accuracy": score(z_t),
            "corrected_exact": corrected(z_t, z_v, z_val_exact, y_t, y_v)})
    out["relaxation"] = relaxation

    backend = device.fake_backend(BACKEND)
    qc, angles = device.to_qiskit(np.concatenate([x_t[:N_DEVICE], x_v[:N_DEVICE_VAL]]),
                                  exported.circuit_weights)
    test_angles, val_angles = angles[:N_DEVICE], angles[N_DEVICE:]
    on_device = device.transpile_for(backend, qc, seed=0)
    z_dev, z_dev_val = on_device.expvals(test_angles), on_device.expvals(val_angles)
    z_busy = device.transpile_for(backend, qc, seed=0, idle_errors=False).expvals(
        test_angles[:N_IDLE])
    out["device"] = {
        "backend": on_device.backend_name, "two_qubit_gates": on_device.two_qubit_gates,
        "duration_us": on_device.duration * 1e6, "error_free": on_device.error_free,
        "signal_left": signal(z_dev), "mean_shift": float((z_dev - z_exact[:N_DEVICE]).mean()),
        "signal_left_first_100": signal(z_dev[:N_IDLE]),
        "signal_left_first_100_no_idle_errors": signal(z_busy),
        "accuracy": {f"{n:,} shots": corrected(
            *shots(z_dev, z_dev_val, n), z_val_exact[:N_DEVICE_VAL], y_t[:N_DEVICE],
            y_v[:N_DEVICE_VAL]) for n in DEVICE_SHOTS}}
    out["seconds"] = round(time.perf_counter() - start, 1)
    return out
