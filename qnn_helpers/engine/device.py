"""Engine: the series' circuit on a simulated real device, with the field's own tools.

Chapter 06 exports its trained circuit to Qiskit, transpiles it for a fake backend (the
calibration snapshot of a real IBM device, shipped with ``qiskit-ibm-runtime``, offline)
and runs it on Aer with that device's noise: gate errors, T1/T2 relaxation during gates and
(scheduled) idle times, and readout errors (one rate per qubit in the fake backends).
It needs the ``hardware`` extra; ``tests/test_device.py`` proves the transpiled circuit
computes the PennyLane circuit's ⟨Z⟩.
"""

from __future__ import annotations

import copy
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from qnn_helpers.engine import circuits
from qnn_helpers.engine.noise import circuit_tape, elementary

INSTALL = 'pip install "qnn-helpers[hardware]" (or pip install -r requirements.txt)'
#: Operations that are not gates on the circuit's qubits (scheduling, noise, bookkeeping).
NOT_GATES = {"delay", "barrier", "quantum_channel", "measure"}
#: Angles (radians) of the fixed one-qubit Z and X rotations, for :func:`rotation_sums`.
FIXED_TURNS = {"z": ("z", math.pi), "s": ("z", math.pi / 2), "sdg": ("z", -math.pi / 2),
               "t": ("z", math.pi / 4), "tdg": ("z", -math.pi / 4),
               "x": ("x", math.pi), "sx": ("x", math.pi / 2), "sxdg": ("x", -math.pi / 2)}
#: Largest change of a qubit's total Z or X rotation (radians) that a guarded pass may make.
ROTATION_TOLERANCE = 1e-11


def require_qiskit() -> None:
    """Raise a clear error, naming the install command, where Qiskit is missing."""
    try:
        import qiskit  # noqa: F401
        import qiskit_aer  # noqa: F401
        import qiskit_ibm_runtime  # noqa: F401
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError(
            f"the simulated device needs Qiskit, Aer and qiskit-ibm-runtime ({exc.name} is "
            f"missing): {INSTALL}") from exc


def fake_backend(name: str) -> Any:
    """A fake backend of ``qiskit_ibm_runtime.fake_provider`` by name, e.g. ``"FakeFez"``."""
    require_qiskit()
    from qiskit_ibm_runtime import fake_provider
    names = sorted(n for n in dir(fake_provider) if n.startswith("Fake") and n[4:5].isupper())
    if name not in names:
        raise ValueError(f"no fake backend {name!r}; choose one of {', '.join(names)}")
    return getattr(fake_provider, name)()


def to_qiskit(features: np.ndarray, weights: np.ndarray, upload_every: int = 2,
              encoding: circuits.Encoding = "amplitude",
              cnot_ranges: circuits.CnotRanges = "post") -> tuple[Any, np.ndarray]:
    """The circuit of a batch of feature vectors as one Qiskit circuit, measured.

    PennyLane decomposes the template circuit into RY, RZ, CNOT and Rot (= RZ RY RZ); each
    angle that depends on the image becomes a Qiskit ``Parameter``, the trained angles stay
    numbers.  Returns the circuit and the ``(batch, n_parameters)`` angles of the images.
    Qubit i is measured into bit i.  The angles are computed in double precision: a
    PennyLane reference computed from float32 features differs from them (its encoding
    angles in single precision: up to about 5e-7 in ⟨Z⟩ at 6 qubits), so compare with one
    computed from ``features.astype(np.float64)``.
    """
    require_qiskit()
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter

    features = np.atleast_2d(np.asarray(features, dtype=np.float64))
    if encoding == "amplitude" and not np.allclose(np.angle(circuits.normalize(features)), 0):
        raise ValueError("to_qiskit exports unsigned amplitude features only (the RY cascade); "
                         "shift signed features first, as the series does")
    tape = elementary(circuit_tape(features, weights, upload_every, encoding, cnot_ranges))
    n = int(np.shape(weights)[1])
    qc = QuantumCircuit(n)
    values = []
    for op in tape.operations:
        wires = [int(w) for w in op.wires]
        angles = [float(a) for a in op.data] if op.batch_size is None else []
        if op.batch_size is not None:  # an angle of the encoding: one per image
            values.append(np.asarray(op.data[0], dtype=np.float64))
            angles = [Parameter(f"x{len(values) - 1:04d}")]
        if op.name == "CNOT":
            qc.cx(*wires)
        elif op.name == "RY":
            qc.ry(angles[0], wires[0])
        elif op.name == "RZ":
            qc.rz(angles[0], wires[0])
        elif op.name == "Rot":
            phi, theta, omega = angles
            qc.rz(phi, wires[0])
            qc.ry(theta, wires[0])
            qc.rz(omega, wires[0])
        else:
            raise ValueError(f"unexpected operation {op.name} in the decomposition")
    qc.measure_all()
    return qc, np.stack(values, axis=1) if values else np.zeros((len(features), 0))


@dataclass
class DeviceCircuit:
    """A circuit transpiled for one device, cut down to the physical qubits it uses."""

    backend_name: str
    circuit: Any  # transpiled, on its qubits only (0, 1, … in ``qubits`` order), ⟨Z⟩ saved
    ideal_circuit: Any  # the same without the idle relaxation channels
    qubits: list[int]  # the device's physical qubits it uses
    noise_model: Any  # Aer's gate noise of those qubits, numbered as in ``circuit``
    readout: np.ndarray  # (2, n_bits): a measured ⟨Z⟩ is readout[0] + readout[1] · ⟨Z⟩
    two_qubit_gates: int
    depth: int  # time steps of its gates (delays not counted)
    duration: float  # seconds, from the calibrated gate durations
    error_free: float  # chance of no gate or readout error (calibrated rates; idling excluded)

    def expvals(self, values: np.ndarray, noise: bool = True) -> np.ndarray:
        """``(batch, n_qubits)`` exact ⟨Z⟩ of the images with angles ``values`` under the
        device's noise (``noise=False``: none): Aer's density matrix gives ⟨Z⟩ before the
        readout, the calibrated readout errors then act on it (an affine map per qubit).
        Draw shots from it with ``sample_expvals``, as many as the budget allows."""
        from qiskit_aer import AerSimulator

        sim = AerSimulator(method="density_matrix", fusion_threshold=2,
                           max_parallel_experiments=0,
                           noise_model=self.noise_model if noise else None)
        circuit = self.circuit if noise else self.ideal_circuit
        values = np.atleast_2d(values)
        binds = {p: values[:, i].tolist() for i, p in enumerate(circuit.parameters)}
        result = sim.run([circuit], parameter_binds=[binds], shots=1).result()
        n_bits = self.readout.shape[1]
        z = np.array([[result.data(row)[f"z{b}"] for b in range(n_bits)]
                      for row in range(len(values))])
        return self.readout[0] + self.readout[1] * z if noise else z


_GATE_ERRORS: dict[str, list] = {}  # backend name → Aer's gate errors (slow to build)


def rotation_sums(dag: Any) -> dict[tuple[int, str], float]:
    """Per qubit, the total angle of its Z rotations and of its X rotations, each modulo 2π
    (summed exactly, ``math.fsum``): ``{(qubit, "z" | "x"): angle}``.  Merging commuting
    rotations, or cancelling a pair of X, keeps them; dropping a rotation by δ changes one
    by δ.  Parameterized gates are left out (no pass merges them)."""
    terms: dict[tuple[int, str], list[float]] = defaultdict(list)
    for node in dag.op_nodes():
        op = node.op
        if op.num_qubits != 1 or op.is_parameterized():
            continue
        if op.name in ("rz", "p", "u1", "rx"):
            axis, angle = ("x" if op.name == "rx" else "z"), float(op.params[0])
        elif op.name in FIXED_TURNS:
            axis, angle = FIXED_TURNS[op.name]
        else:
            continue
        terms[dag.find_bit(node.qargs[0]).index, axis].append(math.remainder(angle, 2 * math.pi))
    return {key: math.remainder(math.fsum(angles), 2 * math.pi) for key, angles in terms.items()}


def exact_pass_manager(backend: Any, seed: int = 0, scheduling_method: str | None = None,
                       optimization_level: int = 3) -> Any:
    """Qiskit's preset pass manager for ``backend``, without the rounding of near-identity
    gates that it does whatever ``approximation_degree`` says (it is 1.0, "no approximation",
    already):

    - ``RemoveIdentityEquivalent`` drops a gate whose average gate infidelity is below 1e-12
      (a rotation by less than 2.4e-6 rad): left out (on the series' circuits it removes
      nothing else);
    - ``CommutativeCancellation`` merges commuting Z (X) rotations and drops the merged one
      when its angle is within 1e-5 × 4π (1.3e-4 rad) of a multiple of 4π, or 1e-5 × 2π of
      one of 2π: guarded.  Where a run changed a qubit's total rotation
      (:func:`rotation_sums`) by more than :data:`ROTATION_TOLERANCE`, it runs again with
      that qubit's rotations hidden from it (as parameters, which it leaves alone).

    Either would change ⟨Z⟩ by up to about the dropped angle, where a trained angle, or a
    merged one, falls near 0 or 2π.  Everything else is the preset's (``transpile`` builds
    the same): layout, routing, translation, the optimization loop, scheduling.  Where
    nothing is rounded, the compiled circuit is the preset's, gate for gate.  Qiskit's
    two-qubit synthesis keeps a fixed tolerance of its own (a block within average gate
    fidelity 1 − 1e-9 of a simpler kind is synthesised as that kind); in the series'
    circuits, trained or random, no block came that close.
    """
    from qiskit.circuit import Parameter
    from qiskit.passmanager import BaseController
    from qiskit.transpiler import PassManager, TransformationPass, generate_preset_pass_manager
    from qiskit.transpiler.passes import CommutativeCancellation, RemoveIdentityEquivalent

    class GuardedCommutativeCancellation(TransformationPass):
        """``CommutativeCancellation`` that drops no rotation: where it would, the rotations
        of that qubit are hidden from it (the rest of the circuit is optimised as usual)."""

        def __init__(self, inner: CommutativeCancellation) -> None:
            super().__init__()
            self.inner = inner

        def run(self, dag: Any) -> Any:
            before = rotation_sums(dag)
            guarded: set[int] = set()
            while True:
                work, hidden = copy.deepcopy(dag), {}
                for node in work.op_nodes():
                    op = node.op
                    if (op.name in ("rz", "p", "u1", "rx") and not op.is_parameterized()
                            and work.find_bit(node.qargs[0]).index in guarded):
                        hidden[stand_in := Parameter(f"kept{len(hidden)}")] = op
                        work.substitute_node(node, type(op)(stand_in))
                out = self.inner.run(work)
                for node in out.op_nodes():
                    if node.op.params and isinstance(node.op.params[0], Parameter) \
                            and node.op.params[0] in hidden:
                        out.substitute_node(node, hidden[node.op.params[0]])
                after = rotation_sums(out)
                changed = {key[0] for key in before.keys() | after.keys()
                           if abs(math.remainder(after.get(key, 0.0) - before.get(key, 0.0),
                                                 2 * math.pi)) > ROTATION_TOLERANCE}
                if not changed:
                    return out
                if changed <= guarded:  # not from merged rotations: leave the circuit as it was
                    return dag
                guarded |= changed

    def exact(task: Any) -> Any:
        if isinstance(task, BaseController):
            task.tasks = tuple(kept for kept in map(exact, task.tasks) if kept is not None)
            return task
        if isinstance(task, RemoveIdentityEquivalent):
            return None
        if isinstance(task, CommutativeCancellation):
            return GuardedCommutativeCancellation(task)
        return task

    staged = generate_preset_pass_manager(
        optimization_level, backend=backend, seed_transpiler=seed,
        scheduling_method=scheduling_method, approximation_degree=1.0)
    for name in staged.expanded_stages:
        stage = getattr(staged, name, None)
        if isinstance(stage, PassManager):
            setattr(staged, name, PassManager([exact(stage.to_flow_controller())]))
    return staged


def transpile_for(backend: Any, circuit: Any, seed: int = 0,
                  idle_errors: bool = True) -> DeviceCircuit:
    """``circuit`` as ``backend`` runs it, with that device's noise.

    Qiskit's preset pass manager (optimization level 3: native gates, SABRE layout and
    routing, seeded) compiles it, without rounding near-identity gates away
    (:func:`exact_pass_manager`), so that without noise it gives the circuit's ⟨Z⟩ to
    double precision, whatever the trained angles.  ``idle_errors`` schedules it as late as
    possible, so that idle times become delays, and adds T1/T2 relaxation to every delay
    (``RelaxationNoisePass``).  The noise model (``basic_device_gate_errors``: depolarizing
    and thermal relaxation per gate and qubit; ``basic_device_readout_errors``) comes from
    the backend's calibration.  The measurements become saved ⟨Z⟩ values.  Only the qubits
    the circuit uses are kept, so Aer simulates their density matrix and nothing else.
    """
    require_qiskit()
    from qiskit import QuantumCircuit
    from qiskit.circuit import Delay
    from qiskit.quantum_info import Pauli
    from qiskit_aer.noise import NoiseModel, RelaxationNoisePass
    from qiskit_aer.noise.device import basic_device_gate_errors, basic_device_readout_errors

    target = backend.target
    full = exact_pass_manager(backend, seed, "alap" if idle_errors else None).run(circuit)
    gates = [inst for inst in full.data if inst.operation.name not in NOT_GATES]
    used = sorted({full.find_bit(q).index for inst in gates for q in inst.qubits})
    depth = full.depth(lambda inst: inst.operation.name not in NOT_GATES)
    duration = float(full.estimate_duration(target, unit="s"))
    if idle_errors:
        props = [backend.qubit_properties(q) for q in range(backend.num_qubits)]
        full = RelaxationNoisePass([p.t1 for p in props],
                                   [min(p.t2, 2 * p.t1) for p in props],  # T2 ≤ 2 T1
                                   dt=backend.dt, op_types=Delay, target=target)(full)
    index = {q: i for i, q in enumerate(used)}
    measured = {}  # clbit → compact qubit
    circuits_out = [QuantumCircuit(len(used)), QuantumCircuit(len(used))]  # noisy, ideal
    for inst in full.data:
        qubits = [full.find_bit(q).index for q in inst.qubits]
        if not all(q in index for q in qubits):
            if inst.operation.name not in NOT_GATES:
                raise ValueError(f"{inst.operation.name} on unused qubits {qubits}")
            continue
        if inst.operation.name == "measure":
            measured[full.find_bit(inst.clbits[0]).index] = index[qubits[0]]
            continue
        for kept in circuits_out[: 1 if inst.operation.name == "quantum_channel" else 2]:
            kept.append(inst.operation, [index[q] for q in qubits])
    for kept in circuits_out:
        for bit in range(len(measured)):
            kept.save_expectation_value(Pauli("Z"), [measured[bit]], label=f"z{bit}")
    if backend.name not in _GATE_ERRORS:
        _GATE_ERRORS[backend.name] = basic_device_gate_errors(target=target)
    model = NoiseModel(basis_gates=list(target.operation_names))
    for name, qubits, error in _GATE_ERRORS[backend.name]:
        if all(q in index for q in qubits):
            model.add_quantum_error(error, name, [index[q] for q in qubits])
    readout = np.zeros((2, len(measured)))
    physical = {index[q]: q for q in used}
    for qubits, error in basic_device_readout_errors(target=target):
        for bit, qubit in measured.items():
            if [physical[qubit]] == list(qubits):
                (p00, p01), (p10, p11) = error.probabilities  # [prepared][measured]
                readout[:, bit] = ((p00 - p01) + (p10 - p11)) / 2, ((p00 - p01) - (p10 - p11)) / 2

    ok = 1.0
    for inst in gates + [i for i in full.data if i.operation.name == "measure"]:
        qargs = tuple(full.find_bit(q).index for q in inst.qubits)
        error = target[inst.operation.name][qargs].error
        ok *= 1 - (error or 0.0)
    return DeviceCircuit(
        backend_name=backend.name,
        circuit=circuits_out[0],
        ideal_circuit=circuits_out[1],
        qubits=used,
        noise_model=model,
        readout=readout,
        two_qubit_gates=sum(inst.operation.num_qubits == 2 for inst in gates),
        depth=depth,
        duration=duration,
        error_free=ok,
    )
