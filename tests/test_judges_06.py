"""Chapter 06's judges: valid alternatives pass, typical mistakes fail with their message."""

import numpy as np
import pennylane as qml
import pytest

from qnn_helpers import checks, lessons
from qnn_helpers.engine.noise import ELEMENTARY_GATES
from qnn_helpers.judges import hardware_reality as judge

# --- sample_expvals -------------------------------------------------------------------


def shots_one_by_one(z, shots, rng):
    """A valid alternative: every shot drawn, then averaged."""
    z = np.asarray(z, dtype=float)
    p_plus = np.clip((1 + z) / 2, 0, 1)
    outcomes = np.where(rng.random(z.shape + (shots,)) < p_plus[..., None], 1, -1)
    return outcomes.mean(axis=-1)


def minus_count(z, shots, rng):
    """Also valid: the −1 outcomes counted instead."""
    p_minus = np.clip((1 - np.asarray(z)) / 2, 0, 1)
    return 1 - 2 * rng.binomial(shots, p_minus) / shots


@pytest.mark.parametrize("valid", [lessons.sample_expvals, shots_one_by_one, minus_count])
def test_sample_expvals_accepts_any_faithful_sampler(valid):
    assert "spread" in judge.sample_expvals(valid)


def sign_flipped(z, shots, rng):
    p_plus = np.clip((1 - np.asarray(z)) / 2, 0, 1)
    return 2 * rng.binomial(shots, p_plus) / shots - 1


def unchanged(z, shots, rng):
    return np.asarray(z, dtype=float)


def shots_ignored(z, shots, rng):
    p_plus = np.clip((1 + np.asarray(z)) / 2, 0, 1)
    return 2 * rng.binomial(1, p_plus) - 1.0


def fraction(z, shots, rng):
    return rng.binomial(shots, np.clip((1 + np.asarray(z)) / 2, 0, 1)) / shots


def gaussian(z, shots, rng):
    z = np.asarray(z, dtype=float)
    return np.clip(z + rng.normal(size=z.shape) * np.sqrt((1 - z**2) / shots), -1, 1)


def global_rng(z, shots, rng):
    return 2 * np.random.binomial(shots, np.clip((1 + np.asarray(z)) / 2, 0, 1)) / shots - 1


def unclipped(z, shots, rng):
    return 2 * rng.binomial(shots, (1 + np.asarray(z)) / 2) / shots - 1


def summed(z, shots, rng):
    return lessons.sample_expvals(z, shots, rng).mean(axis=0)


@pytest.mark.parametrize("wrong, message", [
    (sign_flipped, r"average −⟨Z⟩.*\(1 \+ ⟨Z⟩\)/2, not"),
    (unchanged, "unchanged"),
    (shots_ignored, "does not shrink with the shots"),
    (fraction, "fraction of \\+1 outcomes"),
    (gaussian, "not multiples of 2/N"),
    (global_rng, "rng"),
    (unclipped, "clip"),
    (summed, "shape"),
])
def test_sample_expvals_names_the_mistake(wrong, message):
    with pytest.raises(checks.Mistake, match=message):
        judge.sample_expvals(wrong)


# --- noisy_device ---------------------------------------------------------------------


def make_noisy_device(*, readout=True, one_qubit=True, two_qubit=True, decompose=True):
    """A noisy device as a learner might build it (the faithful one by default)."""

    def noisy_device(n_qubits, p1, p2=None, readout_error=0.0):
        p2 = p1 if p2 is None else p2

        @qml.transform
        def add_noise(tape):
            if decompose:
                [tape], _ = qml.transforms.decompose(tape, gate_set=ELEMENTARY_GATES)
            ops = []
            for op in tape.operations:
                ops.append(op)
                two = len(op.wires) == 2
                if (two and two_qubit) or (not two and one_qubit):
                    ops += [qml.DepolarizingChannel(p2 if two else p1, wires=w)
                            for w in op.wires]
            if readout:
                ops += [qml.BitFlip(readout_error, wires=w) for w in range(n_qubits)]
            return [tape.copy(operations=ops)], lambda results: results[0]

        return add_noise(qml.device("default.mixed", wires=n_qubits))

    return noisy_device


def noisy_by_name(n_qubits, p1, p2=None, readout_error=0.0):
    """A valid alternative: the channels chosen by the gate's name, one readout channel
    per wire before the gates' noise is even looked at."""
    p2 = p1 if p2 is None else p2

    @qml.transform
    def add_noise(tape):
        [tape], _ = qml.transforms.decompose(tape, gate_set=ELEMENTARY_GATES)
        ops = []
        for op in tape.operations:
            p = p2 if op.name == "CNOT" else p1
            ops += [op] + [qml.DepolarizingChannel(p, wires=w) for w in op.wires]
        flips = [qml.BitFlip(readout_error, wires=w) for w in reversed(range(n_qubits))]
        return [tape.copy(operations=ops + flips)], lambda results: results[0]

    return add_noise(qml.device("default.mixed", wires=n_qubits))


@pytest.mark.parametrize("valid", [lessons.noisy_device, make_noisy_device(), noisy_by_name,
                                   make_noisy_device(decompose=False)])
def test_noisy_device_accepts_the_noise_model_however_built(valid):
    # without its own decomposition the transform still sees elementary gates:
    # default.mixed decomposes the templates before a transform added to it runs
    assert "depolarizing" in judge.noisy_device(valid)


@pytest.mark.parametrize("wrong, message", [
    (make_noisy_device(readout=False), "no readout error"),
    (make_noisy_device(one_qubit=False), "only after the two-qubit gates"),
    (make_noisy_device(two_qubit=False), "only after the one-qubit gates"),
])
def test_noisy_device_names_the_mistake(wrong, message):
    with pytest.raises(checks.Mistake, match=message):
        judge.noisy_device(wrong)


def test_noisy_device_wants_p2_to_default_to_p1():
    faithful = make_noisy_device()

    def no_default(n_qubits, p1, p2=None, readout_error=0.0):
        return faithful(n_qubits, p1, 0.0 if p2 is None else p2, readout_error)

    with pytest.raises(checks.Mistake, match="p2=None means p1"):
        judge.noisy_device(no_default)


# --- parameter_shift ------------------------------------------------------------------


def shifted(shift, divide=2.0, every=False, sign=1):
    """The rule with a shift of ``shift`` (every angle at once if ``every``)."""

    def rule(f, weights, index):
        plus, minus = np.array(weights, dtype=float), np.array(weights, dtype=float)
        if every:
            plus, minus = plus + shift, minus - shift
        else:
            plus[index] += shift
            minus[index] -= shift
        return sign * (np.asarray(f(plus)) - np.asarray(f(minus))) / divide

    return rule


def any_shift(f, weights, index):
    """Valid: the general two-term rule, (f(α + s) − f(α − s)) / (2 sin s), for s = π/3."""
    return shifted(np.pi / 3, divide=2 * np.sin(np.pi / 3))(f, weights, index)


@pytest.mark.parametrize("valid", [lessons.parameter_shift, shifted(np.pi / 2), any_shift])
def test_parameter_shift_accepts_exact_two_term_rules(valid):
    assert "exact derivative" in judge.parameter_shift(valid)


def in_place(f, weights, index):
    weights[index] += np.pi / 2
    plus = np.asarray(f(weights))
    weights[index] -= np.pi
    return (plus - np.asarray(f(weights))) / 2


@pytest.mark.parametrize("wrong, message", [
    (shifted(np.pi / 4), "not π/4"),
    (shifted(np.pi), "gives 0"),
    (shifted(np.pi / 2, divide=1), "twice the derivative"),
    (shifted(np.pi / 2, sign=-1), "negative"),
    (shifted(np.pi / 2, every=True), "every angle at once"),
    (in_place, "changes the weights"),
])
def test_parameter_shift_names_the_mistake(wrong, message):
    with pytest.raises(checks.Mistake, match=message):
        judge.parameter_shift(wrong)
