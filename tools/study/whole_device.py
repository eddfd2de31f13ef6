"""Chapter 07's hardware answer from signal against shots: the 10-qubit model on FakeFez.

Chapter 06 measured what a device leaves of the circuit's output: the *signal left*, the
mean |⟨Z⟩| under the device's noise over the noiseless one.  Noise that shrinks ⟨Z⟩ by a
factor s can be undone by rescaling, but the shot noise is rescaled with it: an estimate
from N shots then errs like one from N·s² shots of the noiseless circuit.  So a circuit
that keeps signal s needs 1/s² times the shots of the noiseless one for the same accuracy.

This measures s for the post's circuit on 10 qubits (the exact Möttönen encoding of whole
images, 4 uploads), trained as the ``ten_qubits`` table chose, transpiled for FakeFez and
simulated with its calibrated noise (gate, idle and readout errors) on Aer's density matrix,
on a few test images (each costs seconds to minutes).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from tools.study import runner
from tools.study.tables import TEN_QUBITS

BACKEND = "FakeFez"
ROW = "post, 10 qubits"  # the ⟨Z⟩-readout model the chapter's export handles
N_IMAGES = 20
NOISELESS_SHOTS = 4000  # the chapter's everyday budget


def estimate(learning_rate: float, epochs: int, seed: int = 0, n_images: int = N_IMAGES,
             row: str = ROW, backend_name: str = BACKEND) -> dict[str, Any]:
    """Signal left and what it implies, for ``row`` of the 10-qubit table at its choice."""
    import pennylane as qml

    from qnn_helpers import lessons
    from qnn_helpers.engine import device

    spec = next(r for r in TEN_QUBITS.rows if r.name == row)
    batch = TEN_QUBITS.protocol.batch_size
    model, _ = runner._model_at(spec, learning_rate, seed, batch, epochs)
    exported = lessons.export_classifier(model)
    data = runner.data(spec.features)
    pick = np.random.default_rng(0).choice(len(data.y_test), n_images, replace=False)
    x = data.x_test[pick].astype(np.float64)
    qnode = exported.qnode(qml.device("default.qubit", wires=exported.n_qubits))
    z_exact = np.stack(qnode(x, exported.circuit_weights), axis=-1)
    start = time.perf_counter()
    qc, angles = device.to_qiskit(x, exported.circuit_weights, exported.upload_every)
    backend = device.fake_backend(backend_name)
    on_device = device.transpile_for(backend, qc, seed=0)
    transpile_seconds = time.perf_counter() - start
    start = time.perf_counter()
    z = on_device.expvals(angles)
    seconds_per_image = (time.perf_counter() - start) / n_images
    signal = float(np.abs(z).mean() / np.abs(z_exact).mean())
    t2 = float(np.median([backend.qubit_properties(q).t2 for q in on_device.qubits]))
    return {
        "row": row, "seed": seed, "chosen": {"learning_rate": learning_rate, "epochs": epochs},
        "backend": on_device.backend_name, "qubits": on_device.qubits, "images": n_images,
        "two_qubit_gates": on_device.two_qubit_gates, "depth": on_device.depth,
        "duration_us": on_device.duration * 1e6, "t2_median_us": t2 * 1e6,
        "duration_over_t2": on_device.duration / t2, "error_free": on_device.error_free,
        "signal_left": signal,
        "mean_abs_exact": float(np.abs(z_exact).mean()),
        "mean_abs_device": float(np.abs(z).mean()),
        "noiseless_shots": NOISELESS_SHOTS,
        "shots_for_the_same_error": NOISELESS_SHOTS / signal**2,
        "transpile_seconds": round(transpile_seconds, 1),
        "simulation_seconds_per_image": round(seconds_per_image, 1),
    }
