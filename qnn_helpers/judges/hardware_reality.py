"""Judges of chapter 06's pieces (notebooks/06_hardware_reality.ipynb): ``sample_expvals``,
``noisy_device`` and ``parameter_shift``.

Each runs the learner's piece and returns what it showed, or raises
:class:`~qnn_helpers.checks.Mistake` naming a typical mistake and what to change.
"""

from collections.abc import Callable
from typing import Any

import numpy as np
import pennylane as qml

from qnn_helpers.checks import Mistake
from qnn_helpers.engine import circuits
from qnn_helpers.engine.noise import ELEMENTARY_GATES, NoisySimulation

# --- sample_expvals -------------------------------------------------------------------

#: exact ⟨Z⟩ the judge estimates: spread over (-1, 1), off the grid of any shot count
_Z = np.random.default_rng(7).uniform(-0.95, 0.95, (1000, 4))


def _estimates(candidate: Callable, z: np.ndarray, shots: int, seed: int) -> np.ndarray:
    out = np.asarray(candidate(z, shots, np.random.default_rng(seed)))
    if out.shape != z.shape:
        raise Mistake(f"returns shape {out.shape} for ⟨Z⟩ of shape {z.shape}: give one "
                      "estimate per entry, in the same shape (no sum or mean over entries)")
    if not np.isrealobj(out):
        raise Mistake("returns complex numbers: an estimate is a real mean of ±1 outcomes")
    return out.astype(np.float64)


def sample_expvals(candidate: Callable) -> str:
    """Finite-shot estimates of ⟨Z⟩: the mean of ``shots`` outcomes ±1, +1 with probability
    (1 + ⟨Z⟩)/2, drawn from the given ``rng``; judged statistically."""
    shots = 100
    out = _estimates(candidate, _Z, shots, seed=0)
    if np.allclose(out, _Z):
        raise Mistake("returns ⟨Z⟩ unchanged: draw the shots' outcomes (no noise added)")
    if out.min() < -1 - 1e-12 or out.max() > 1 + 1e-12:
        raise Mistake(f"gives estimates from {out.min():.3g} to {out.max():.3g}, outside "
                      "[-1, 1]: the mean of N outcomes ±1 is (2 n₊ − N) / N, with n₊ the "
                      "number of +1 outcomes (not n₊ itself)")
    spreads = {n: float(_estimates(candidate, np.zeros(4000), n, seed=1).std())
               for n in (10, 1000)}
    if spreads[10] < 2 * spreads[1000]:
        raise Mistake(f"gives estimates whose spread does not shrink with the shots "
                      f"({spreads[10]:.3g} at 10 shots, {spreads[1000]:.3g} at 1,000): "
                      "average `shots` outcomes per entry, not a fixed number")
    steps = (out + 1) * shots / 2
    if not np.allclose(steps, np.round(steps), atol=1e-6):
        fraction = out.min() >= 0 and np.allclose(out * shots, np.round(out * shots))
        raise Mistake(
            "gives the fraction of +1 outcomes, in [0, 1]: the mean of the outcomes ±1 is "
            "2 · fraction − 1" if fraction else
            f"gives estimates that are not multiples of 2/N (N = {shots} shots): the mean "
            "of N outcomes ±1 is (2 n₊ − N) / N, n₊ a whole number drawn from the "
            "binomial distribution (not ⟨Z⟩ plus Gaussian noise)")
    slope = float((out * _Z).sum() / (_Z**2).sum())
    if slope < -0.8:
        raise Mistake(f"gives estimates that average −⟨Z⟩ (slope {slope:.2f} against the "
                      "exact ⟨Z⟩): an outcome is +1 with probability (1 + ⟨Z⟩)/2, not "
                      "(1 − ⟨Z⟩)/2")
    residual = out - _Z
    error = np.sqrt((1 - _Z**2) / shots)
    bias = residual.mean() / np.sqrt((error**2).mean() / residual.size)
    if abs(slope - 1) > 0.05 or abs(bias) > 5:
        raise Mistake(f"gives estimates that do not average ⟨Z⟩ (slope {slope:.2f} against "
                      f"the exact ⟨Z⟩, mean error {residual.mean():+.3g}): +1 comes with "
                      "probability (1 + ⟨Z⟩)/2, and the estimate is 2 · (fraction of +1) − 1")
    ratio = float(np.sqrt(((residual / error) ** 2).mean()))
    if not 0.85 < ratio < 1.15 or not all(
            0.85 < spreads[n] * np.sqrt(n) < 1.15 for n in spreads):
        raise Mistake(f"gives a spread {ratio:.2f} times √((1 − ⟨Z⟩²)/N), the spread of "
                      "the mean of N outcomes ±1: draw each of the N shots independently, "
                      "+1 with probability (1 + ⟨Z⟩)/2")
    if not np.array_equal(_estimates(candidate, _Z, shots, seed=0), out):
        raise Mistake("gives other estimates from an rng of the same seed: draw with the "
                      "`rng` it is given (rng.binomial, rng.random), not np.random")
    if np.array_equal(_estimates(candidate, _Z, shots, seed=1), out):
        raise Mistake("gives the same estimates from rngs of different seeds: draw with the "
                      "`rng` it is given")
    edges = np.array([[1.0, -1.0, 0.0], [1 + 4e-16, -1 - 4e-16, 0.0]])
    try:
        at_edges = _estimates(candidate, edges, shots, seed=2)
    except ValueError as exc:
        raise Mistake(f"fails at a ⟨Z⟩ a rounding error outside [-1, 1] ({exc}): clip the "
                      "probability of +1 to [0, 1] (np.clip)") from exc
    if not np.array_equal(at_edges[:, :2], [[1, -1], [1, -1]]):
        raise Mistake(f"estimates ⟨Z⟩ = ±1 as {at_edges[:, :2].tolist()}: at ⟨Z⟩ = 1 every "
                      "outcome is +1, at −1 every one is −1")
    return ("averages ⟨Z⟩ with the spread √((1 − ⟨Z⟩²)/N), in steps of 2/N within "
            "[−1, 1], shape kept, drawn from the rng it is given")


# --- noisy_device ---------------------------------------------------------------------

#: a small circuit: the template on 2 qubits (4 features), 2 layers, one upload each
_X = np.random.default_rng(0).uniform(0.1, 1, (3, 4))
_W = np.random.default_rng(1).normal(size=(2, 2, 3))
_P1, _P2, _Q = 0.02, 0.1, 0.05


def _run(dev: Any) -> np.ndarray:
    qnode = circuits.make_qnode(2, 1, device=dev, interface="numpy", diff_method=None)
    return np.stack(qnode(_X, _W), axis=-1)


def _variant(p1: float, p2: float, q: float, *, cnot_wires: slice = slice(None),
             readout: str = "flip",
             before: bool = False) -> np.ndarray:
    """⟨Z⟩ of the small circuit on a noisy ``default.mixed`` built in one of the ways a
    learner might: the judge's recomputation of typical mistakes."""

    @qml.transform
    def add_noise(tape):
        [tape], _ = qml.transforms.decompose(tape, gate_set=ELEMENTARY_GATES)
        ops = []
        for op in tape.operations:
            two = len(op.wires) == 2
            wires = list(op.wires)[cnot_wires] if two else list(op.wires)
            noise = [qml.DepolarizingChannel(p2 if two else p1, wires=w) for w in wires]
            ops += [*noise, op] if before else [op, *noise]
        channel = qml.BitFlip if readout == "flip" else qml.DepolarizingChannel
        ops += [channel(q, wires=w) for w in range(2)]
        return [tape.copy(operations=ops)], lambda results: results[0]

    return _run(add_noise(qml.device("default.mixed", wires=2)))


def noisy_device(candidate: Callable) -> str:
    """``default.mixed`` with a depolarizing channel after every elementary gate on each
    of its wires (``p1`` one-qubit, ``p2`` CNOT) and a bit flip before the readout: the
    small circuit's ⟨Z⟩ against :class:`NoisySimulation` (to 1e-10), typical mistakes
    recomputed."""
    got = _run(candidate(2, _P1, _P2, readout_error=_Q))
    want = NoisySimulation(_X, _W, upload_every=1).expvals(_P1, _P2, _Q)
    if got.shape != want.shape:
        raise Mistake(f"gives ⟨Z⟩ of shape {got.shape} on a 2-qubit circuit of 3 images, "
                      f"expected {want.shape}")
    if not np.allclose(got, want, rtol=0, atol=1e-10):
        simulation = NoisySimulation(_X, _W, upload_every=1)
        mistakes = [
            (simulation.expvals(0.0), "gives the noiseless ⟨Z⟩: the transform's channels "
             "never reach the circuit (return add_noise(the device))"),
            (simulation.expvals(_P1, _P2, 0.0), "has no readout error: end with a "
             "BitFlip(readout_error) on every wire"),
            (simulation.expvals(0.0, _P2, _Q), "puts noise only after the two-qubit gates: "
             "one-qubit gates get DepolarizingChannel(p1)"),
            (simulation.expvals(_P1, 0.0, _Q), "puts noise only after the one-qubit gates: "
             "each CNOT gets DepolarizingChannel(p2) on both its wires"),
            (simulation.expvals(_P1, _P1, _Q), "ignores p2: CNOTs get "
             "DepolarizingChannel(p2), one-qubit gates p1"),
            (simulation.expvals(_P2, _P1, _Q), "swaps p1 and p2: p1 follows one-qubit "
             "gates, p2 the CNOTs"),
            (_variant(_P1, _P2, _Q, cnot_wires=slice(1, None)), "puts the CNOT's noise on "
             "one wire only: DepolarizingChannel(p2) on each of its two wires"),
            (_variant(_P1, _P2, _Q, cnot_wires=slice(0, 1)), "puts the CNOT's noise on "
             "one wire only: DepolarizingChannel(p2) on each of its two wires"),
            (_variant(_P1, _P2, _Q, before=True), "puts each gate's noise before the "
             "gate: the channels follow it"),
            (_variant(_P1, _P2, _Q, readout="depolarizing"), "reads out through a "
             "DepolarizingChannel: a readout error flips the bit, qml.BitFlip"),
        ]
        for wrong, message in mistakes:
            if np.allclose(got, wrong, rtol=0, atol=1e-8):
                raise Mistake(message)
        raise Mistake(f"gives ⟨Z⟩ up to {np.abs(got - want).max():.2g} away from the "
                      "noise model's: each elementary gate, then DepolarizingChannel on "
                      "each of its wires (p1 after one-qubit gates, p2 after CNOTs), and a "
                      "BitFlip(readout_error) on every wire at the end")
    default = _run(candidate(2, _P1))
    by_default = NoisySimulation(_X, _W, upload_every=1).expvals(_P1)
    if not np.allclose(default, by_default, rtol=0, atol=1e-10):
        raise Mistake("gives the right ⟨Z⟩ with p2 and readout_error given, but not with "
                      "their defaults: p2=None means p1 on the CNOTs too, and "
                      "readout_error=0.0 no readout error")
    return ("gives the noise model's ⟨Z⟩ on a small circuit (to 1e-10): depolarizing after "
            "every elementary gate, p1 and p2, bit flips before the readout")


# --- parameter_shift ------------------------------------------------------------------

_ANGLES = np.random.default_rng(3).uniform(-np.pi, np.pi, (2, 2, 3))


def _f(w: np.ndarray) -> np.ndarray:
    """Three "expectation values": in each angle a + b cos α + c sin α, as a circuit's."""
    w = np.asarray(w, dtype=np.float64)
    return np.array([
        np.cos(w[0, 0, 0]) * np.sin(w[1, 1, 2]) + 0.5 * np.cos(w[0, 1, 1] - w[1, 0, 0]),
        np.sin(w[0, 0, 0] + w[0, 1, 1]) * np.cos(w[1, 0, 0]) + 0.2 * np.sin(w[1, 1, 2]),
        np.cos(w[1, 1, 2]) * np.cos(w[0, 0, 0]) - 0.3 * np.sin(w[0, 1, 1]),
    ])


def _gradient(w: np.ndarray, index: tuple[int, ...], h: float = 1e-5) -> np.ndarray:
    """The exact derivative of :func:`_f` by ``w[index]`` (a five-point stencil: to about 1e-11)."""
    def at(d):
        shifted = np.array(w, dtype=np.float64)
        shifted[index] += d
        return _f(shifted)
    return (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h)


def _all_shifted(w: np.ndarray, shift: float) -> np.ndarray:
    return (_f(w + shift) - _f(w - shift)) / 2


def parameter_shift(candidate: Callable) -> str:
    """``d f / d weights[index]`` from f at the angle ±π/2: against the exact derivative of
    a function of the circuit's form, for three angles."""
    largest = 0.0
    for index in [(0, 0, 0), (0, 1, 1), (1, 1, 2)]:
        weights = _ANGLES.copy()
        got = np.asarray(candidate(_f, weights, index), dtype=np.float64)
        if not np.array_equal(weights, _ANGLES):
            raise Mistake("changes the weights it is given: shift copies of them "
                          "(np.array(weights, dtype=float)), one +π/2, one −π/2")
        want = _gradient(_ANGLES, index)
        if got.shape != want.shape:
            raise Mistake(f"gives shape {got.shape} for an f of {want.shape[0]} outputs: "
                          "the derivative of every output, (f(plus) − f(minus)) / 2")
        if np.allclose(got, want, rtol=0, atol=1e-8):
            largest = max(largest, float(np.abs(got - want).max()))
            continue
        mistakes = [
            (0.0 * want, "gives 0: shift two separate copies of the weights, one by +π/2 "
             "and one by −π/2 (a shift of π gives f(α + π) = f(α − π))"),
            (2 * want, "gives twice the derivative: divide f(α + π/2) − f(α − π/2) by 2"),
            (-want, "gives the negative of the derivative: f(α + π/2) − f(α − π/2), the "
             "plus shift first"),
            (want / np.sqrt(2), "gives the derivative times sin(π/4) = 0.71: shift by "
             "π/2, not π/4"),
            (np.sqrt(2) * want, "gives the derivative times 2 sin(π/4): shift by π/2, not "
             "π/4, and divide by 2"),
            (_all_shifted(_ANGLES, np.pi / 2), "shifts every angle at once: shift only "
             "weights[index]"),
        ]
        for wrong, message in mistakes:
            if np.allclose(got, wrong, rtol=0, atol=1e-8):
                raise Mistake(message)
        raise Mistake(f"differs from the exact derivative by up to "
                      f"{np.abs(got - want).max():.2g} at angle {index}: "
                      "(f(weights with weights[index] + π/2) − f(… − π/2)) / 2")
    return f"gives the exact derivative for three angles (to {max(largest, 1e-16):.0e})"
