"""Engine: exact noisy simulation of the series' circuit, batched over images.

:class:`NoisySimulation` computes for a whole batch what chapter 06's ``noisy_device`` (in
its cells: depolarizing noise after every gate on ``default.mixed``) gives image by image:
``tests/test_hardware.py::test_noisy_simulation_equals_default_mixed`` and its post-circuit
twin prove them equal to 1e-10.
"""

import functools
from dataclasses import dataclass

import numpy as np
import pennylane as qml

from qnn_helpers.engine import circuits

ELEMENTARY_GATES = {"RY", "RZ", "CNOT", "Rot"}


def circuit_tape(features: np.ndarray, weights: np.ndarray, upload_every: int = 2,
                 encoding: circuits.Encoding = "amplitude",
                 cnot_ranges: circuits.CnotRanges = "post") -> qml.tape.QuantumScript:
    """:func:`~qnn_helpers.engine.circuits.reuploading_circuit` as a tape (⟨Z⟩ readout)."""
    with qml.queuing.AnnotatedQueue() as queue:
        circuits.reuploading_circuit(features, weights, upload_every, encoding,
                                     cnot_ranges=cnot_ranges)
    return qml.tape.QuantumScript.from_queue(queue)


def elementary(tape: qml.tape.QuantumScript) -> qml.tape.QuantumScript:
    """``tape`` decomposed into RY, RZ, CNOT and Rot (a SWAP becomes three CNOTs)."""
    [out], _ = qml.transforms.decompose(tape, gate_set=ELEMENTARY_GATES)
    return out


#: The one-qubit Pauli matrices I, X, Y, Z: the basis of the simulation below.
PAULIS = np.array([[[1, 0], [0, 1]], [[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]])


def pauli_transfer_matrix(unitary: np.ndarray) -> np.ndarray:
    """``R[a, b] = Tr(P_a U P_b U†) / 2**k`` of a (batch of) k-qubit unitary (k = 1, 2; Pauli
    index ``4 * a0 + a1`` is ``P_a0 ⊗ P_a1``)."""
    k = int(np.log2(np.shape(unitary)[-1]))
    basis = PAULIS if k == 1 else np.einsum("aij,bkl->abikjl", PAULIS, PAULIS).reshape(16, 4, 4)
    u = np.asarray(unitary, dtype=np.complex128)
    r = np.einsum("aij,...jk,bkl,...il->...ab", basis, u, basis, u.conj(), optimize=True)
    return r.real / 2**k


def amplitude_damping_ptm(gamma: float) -> np.ndarray:
    """Pauli transfer matrix of amplitude damping: decay |1⟩ → |0⟩ with probability
    ``gamma``.  It shrinks ⟨X⟩, ⟨Y⟩ by ``sqrt(1 - gamma)`` and maps ⟨Z⟩ to
    ``gamma + (1 - gamma) ⟨Z⟩``: a shift towards +1, not only a shrink."""
    s = np.sqrt(1 - gamma)
    return np.array([[1, 0, 0, 0], [0, s, 0, 0], [0, 0, s, 0], [gamma, 0, 0, 1 - gamma]])


@dataclass
class _Gate:
    """One gate of a decomposed circuit, as a Pauli transfer matrix."""

    wires: tuple[int, ...]
    ptm: np.ndarray  # (4**k, 4**k), or (batch, 4**k, 4**k) when its angle depends on the image
    applied: np.ndarray | None = None  # (batch,) False where the image's own circuit omits it
    steps: tuple[int, ...] = ()  # per wire: time steps since its last gate, this one included
    idle: bool = False  # no gate: the steps left at the end of the circuit


def _schedule(gates: list[_Gate], n_wires: int) -> list[_Gate]:
    """Each gate starts once all its wires are free and takes one time step (the depth's
    schedule); ``steps`` counts each wire's steps since its last gate.  At the end an
    identity on every wire counts its steps to the circuit's last one."""
    free = [0] * n_wires
    for gate in gates:
        start = max(free[w] for w in gate.wires)
        gate.steps = tuple(start + 1 - free[w] for w in gate.wires)
        for w in gate.wires:
            free[w] = start + 1
    depth = max(free)
    return gates + [_Gate((w,), np.eye(4), None, (depth - free[w],), idle=True)
                    for w in range(n_wires)]


def _decomposed_gates(features: np.ndarray, weights: np.ndarray, upload_every: int,
                      encoding: str, cnot_ranges: str = "post") -> tuple[list[_Gate], list[int]]:
    """A batch's template circuit as PennyLane decomposes it, and its ⟨Z⟩ readout's wires.
    The decomposition omits zero rotations (and their noise) per circuit: ``applied`` marks
    the images whose own circuit has a gate that the batch keeps."""
    tape = circuit_tape(features, weights, upload_every, encoding, cnot_ranges)
    tape = elementary(tape)
    gates = []
    for op in tape.operations:
        if op.name not in ELEMENTARY_GATES:
            raise ValueError(f"unexpected operation {op.name} in the decomposition")
        applied = None
        if encoding == "amplitude" and op.batch_size is not None:
            angle = np.asarray(op.data[0])
            applied = np.abs(angle) > np.finfo(angle.dtype).eps
        wires = tuple(int(w) for w in op.wires)
        gates.append(_Gate(wires, pauli_transfer_matrix(qml.matrix(op)), applied))
    return gates, [int(m.wires[0]) for m in tape.measurements]


def _fuse(gates: list[_Gate]) -> list[_Gate]:
    """The same (noisy) channel in about half the sweeps: every one-qubit gate multiplied
    into the next gate on its wire."""
    pending: dict[int, np.ndarray] = {}  # wire → product of its one-qubit gates so far
    fused = []
    for gate in gates:
        if len(gate.wires) == 1:
            (wire,) = gate.wires
            pending[wire] = gate.ptm @ pending[wire] if wire in pending else gate.ptm
            continue
        if any(w in pending for w in gate.wires):
            before = pending.pop(gate.wires[0], np.eye(4))
            for wire in gate.wires[1:]:
                m = pending.pop(wire, np.eye(4))
                d = before.shape[-1]
                before = np.einsum("...ij,...kl->...ikjl", before, m).reshape(
                    np.broadcast_shapes(before.shape[:-2], m.shape[:-2]) + (4 * d, 4 * d))
            gate = _Gate(gate.wires, gate.ptm @ before)
        fused.append(gate)
    return fused + [_Gate((wire,), ptm) for wire, ptm in pending.items()]


class NoisySimulation:
    """Exact noisy ⟨Z⟩ of the template circuit for a batch of images, on each state's ``4**n``
    coefficients ``c_P = Tr(ρ P)``: a gate is a real matrix on its wires'
    (:func:`pauli_transfer_matrix`), depolarizing ``p`` scales those with X, Y or Z on its wire
    by ``1 - 4p/3``, amplitude damping is :func:`amplitude_damping_ptm` on its wire."""

    def __init__(self, features: np.ndarray, weights: np.ndarray, upload_every: int = 2,
                 encoding: circuits.Encoding = "amplitude",
                 cnot_ranges: circuits.CnotRanges = "post"):
        features = np.asarray(features)
        self.n_images = len(features)
        self.n_qubits = int(np.shape(weights)[1])
        # signed images decompose with the RZ (phase) cascade: a gate sequence of their own
        phases = np.zeros(len(features), bool)
        if encoding == "amplitude":
            state = np.asarray(circuits.normalize(features))
            phases = np.array([not np.allclose(np.angle(s), 0) for s in state])
        self.groups = []
        for idx in (np.flatnonzero(~phases), np.flatnonzero(phases)):
            if len(idx):
                gates, readout = _decomposed_gates(features[idx], weights, upload_every,
                                                   encoding, cnot_ranges)
                self.groups.append((idx, _schedule(gates, self.n_qubits), readout))

    def expvals(self, p1: float, p2: float | None = None, readout_error: float = 0.0,
                relaxation: float = 0.0, chunk: int = 32) -> np.ndarray:
        """``(n_images, n_qubits)`` ⟨Z⟩ with depolarizing ``p1`` (one-qubit gates), ``p2``
        (CNOTs; ``None``: ``p1``), readout bit-flip probability, and ``relaxation``: the
        amplitude damping of every wire in every time step, busy or idle (after each gate,
        on each of its wires, for the steps since that wire's last gate; at the end, for
        the steps left), so a deeper circuit decays more."""
        p2 = p1 if p2 is None else p2
        for name, value in {"p1": p1, "p2": p2, "readout_error": readout_error,
                            "relaxation": relaxation}.items():
            if not 0 <= value <= 1:
                raise ValueError(f"{name} is a probability, between 0 and 1: got {value}")
        out = np.empty((self.n_images, self.n_qubits))
        for idx, gates, readout in self.groups:
            noisy = _fuse([self._with_noise(g, p1 if len(g.wires) == 1 else p2, relaxation)
                           for g in gates])
            for start in range(0, len(idx), chunk):
                rows = slice(start, start + chunk)
                out[idx[rows]] = self._run(noisy, rows, len(idx[rows]), readout)
        return out * (1 - 2 * readout_error)

    @staticmethod
    def _with_noise(gate: _Gate, p: float, gamma: float = 0.0) -> _Gate:
        """The gate, then depolarizing ``p`` and amplitude damping for its ``steps`` on each
        of its wires (an identity: damping only), one matrix."""
        depolarizing = np.diag([1.0] + [1 - 4 * p / 3] * 3)
        if gate.idle:  # the steps left at the end: no gate, no gate error
            depolarizing = np.eye(4)
        damping = [amplitude_damping_ptm(1 - (1 - gamma) ** t) for t in gate.steps]
        noise = functools.reduce(np.kron, [d @ depolarizing for d in damping])
        ptm = noise @ gate.ptm
        if gate.applied is not None:  # images whose circuit omits the gate: its step passes
            idle = functools.reduce(np.kron, damping)
            ptm = np.where(gate.applied[:, None, None], ptm, idle)
        return _Gate(gate.wires, ptm)

    def _run(self, gates: list[_Gate], rows: slice, batch: int, readout: list[int]
             ) -> np.ndarray:
        n = self.n_qubits
        c = np.zeros((batch,) + (4,) * n)
        for bits in np.ndindex(*(2,) * n):  # |0…0⟩⟨0…0| = Π (I + Z) / 2: c = 1 on {I, Z}^n
            c[(slice(None),) + tuple(3 * b for b in bits)] = 1
        for gate in gates:
            k = len(gate.wires)
            axes = [1 + w for w in gate.wires]
            moved = np.moveaxis(c, axes, range(-k, 0))
            shape = moved.shape
            flat = moved.reshape(batch, -1, 4**k)
            ptm = gate.ptm if gate.ptm.ndim == 2 else gate.ptm[rows]
            flat = flat @ np.swapaxes(ptm, -1, -2)
            c = np.moveaxis(flat.reshape(shape), range(-k, 0), axes)
        return np.stack([c[(slice(None),) + tuple(3 if w == i else 0 for w in range(n))]
                         for i in readout], axis=-1)
