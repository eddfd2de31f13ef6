"""Engine: the circuits the series trains, in every variant, and their fast operations.

Proven equal to chapter 02's ``post_circuit`` (notebooks/02_circuit_design.ipynb, the cell
marked ``#@save``; ``qnn_helpers.lessons``) by ``tests/test_lessons.py``: outputs and
gradients, template and compact forms.  Every option (encodings, readouts, CNOT ranges,
other sizes) is proven equal to the templates by ``tests/test_circuits.py``.
"""

from collections.abc import Callable, Sequence
from typing import Any, Literal, get_args

import numpy as np
import pennylane as qml

# default.qubit applies every operation with ``apply_operation``, a functools.singledispatch
# on which the fast kernels below are registered for the engine's two operations: the one
# extension point the engine uses that PennyLane documents as internal ("subject to change
# without a deprecation cycle"; listed in its API reference as qml.devices.qubit.apply_operation).
# tests/test_circuits.py fails, naming it, if default.qubit stops routing them through it.
try:
    from pennylane.devices.qubit import apply_operation
except ImportError:  # moved or removed in a newer PennyLane
    apply_operation = None
if not hasattr(apply_operation, "register"):
    raise ImportError(
        f"PennyLane {qml.__version__} has no functools.singledispatch function "
        "pennylane.devices.qubit.apply_operation, the internal function on which "
        "qnn_helpers.engine.circuits registers the kernels of its operations: find how "
        "default.qubit now applies operations and register them there, or install the tested "
        "PennyLane (pip install --require-hashes -r requirements.txt)")

#: How the features enter the circuit: "amplitude" (Möttönen, the post) or "angle".
Encoding = Literal["amplitude", "angle"]
ENCODINGS: tuple[str, ...] = get_args(Encoding)
#: What the circuit returns: "z" ⟨Z_i⟩ on every qubit (the post), "zz" also the ⟨Z_i Z_j⟩,
#: "probs" all basis-state probabilities.
Readout = Literal["z", "zz", "probs"]
READOUTS: tuple[str, ...] = get_args(Readout)
#: The post's normalisation ``x / sqrt(max(sum(x**2), 0.001))``: in a compiled graph, where
#: features are not checked, an all-zero vector then leaves the state unchanged, not NaN.
POST_MIN_NORM_SQUARED = 0.001
#: CNOT ranges of the entangling layers: "post" — 1 in every layer (the post's one-layer
#: calls ``StronglyEntanglingLayers(weights[i:i + 1])``); "cycling" — those of one call
#: (1, 2, 3, 4, 5, 1, 2, 3 for 8 layers on 6 qubits); "none" — Rot gates only (an ablation).
CnotRanges = Literal["post", "cycling", "none"]
CNOT_RANGES: tuple[str, ...] = get_args(CnotRanges)
#: The largest number of qubits the engine takes: a state vector of 2**20 complex amplitudes
#: is 16 MiB per sample (its dense fallbacks, 2**n-square matrices, far more).
MAX_QUBITS = 20


def check_choice(name: str, value: Any, choices: tuple[str, ...]) -> None:
    """``ValueError`` unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")


def check_n_qubits(n_qubits: Any) -> int:
    """``n_qubits`` as an int, or ``ValueError`` naming the valid range."""
    if (isinstance(n_qubits, bool) or not isinstance(n_qubits, (int, np.integer))
            or not 1 <= n_qubits <= MAX_QUBITS):
        raise ValueError(f"n_qubits must be a whole number from 1 to {MAX_QUBITS}, "
                         f"got {n_qubits!r}")
    return int(n_qubits)


def readout_size(n_qubits: int, readout: Readout = "z") -> int:
    """How many numbers a readout gives: n, n + n(n-1)/2, or 2**n."""
    check_choice("readout", readout, READOUTS)
    return {"z": n_qubits, "zz": n_qubits + n_qubits * (n_qubits - 1) // 2,
            "probs": 2**n_qubits}[readout]


def parity_matrix(n_qubits: int, readout: Readout = "zz") -> np.ndarray:
    """``(2**n, k)`` ±1 matrix turning ``qml.probs`` into the ⟨Z_i⟩ (and ⟨Z_i Z_j⟩, i < j)."""
    bits = (np.arange(2**n_qubits)[:, None] >> np.arange(n_qubits - 1, -1, -1)[None, :]) & 1
    z = 1 - 2 * bits  # +1 for |0>, -1 for |1>
    cols = [z[:, i] for i in range(n_qubits)]
    if readout == "zz":
        cols += [z[:, i] * z[:, j] for i in range(n_qubits) for j in range(i + 1, n_qubits)]
    elif readout != "z":
        raise ValueError(f"parity readout must be 'z' or 'zz', got {readout!r}")
    return np.stack(cols, axis=1).astype(np.float64)


def measure(wires: Sequence[int], readout: Readout = "z") -> Any:
    """The measurements of a readout (see :data:`READOUTS`)."""
    readout_size(len(wires), readout)  # validates
    if readout == "probs":
        return qml.probs(wires=list(wires))
    out = [qml.expval(qml.PauliZ(w)) for w in wires]
    if readout == "zz":
        out += [qml.expval(qml.PauliZ(a) @ qml.PauliZ(b))
                for i, a in enumerate(wires) for b in wires[i + 1:]]
    return out


def check_features(features: Any, n_qubits: int, encoding: Encoding = "amplitude") -> None:
    """``ValueError`` unless ``features`` have ``2**n`` (amplitude, not all zero) or ``n``
    (angle) real, finite values per sample; in a compiled graph only the shape is checked."""
    check_choice("encoding", encoding, ENCODINGS)
    expected = 2**n_qubits if encoding == "amplitude" else n_qubits
    got = qml.math.shape(features)[-1]
    if got != expected:
        raise ValueError(f"{encoding} encoding on {n_qubits} qubits needs {expected} features "
                         f"per sample, got {got}")
    if qml.math.is_abstract(features):
        return
    values = qml.math.to_numpy(features)
    if np.iscomplexobj(values):
        raise ValueError("features must be real numbers; got complex values")
    if not np.all(np.isfinite(values)):
        rows = np.unique(np.nonzero(~np.isfinite(values))[0]).tolist()
        where = f" (rows {rows[:5]}{'...' if len(rows) > 5 else ''})" if values.ndim > 1 else ""
        raise ValueError(f"features contain NaN or infinite values{where}: check the data and "
                         "the feature reduction before the circuit")
    if encoding == "amplitude" and np.any(np.all(values == 0, axis=-1)):
        raise ValueError("an all-zero feature vector cannot be amplitude-encoded: it has no "
                         "direction to normalise (drop the sample or add an offset)")


def normalize(features: Any, min_norm_squared: float = 0.0) -> Any:
    """L2-normalise ``features`` along the last axis, the squared norm at least
    ``min_norm_squared`` (the post's: :data:`POST_MIN_NORM_SQUARED`)."""
    norm2 = qml.math.sum(features**2, axis=-1)
    if min_norm_squared:
        norm2 = qml.math.maximum(norm2, min_norm_squared)
    return features / qml.math.expand_dims(qml.math.sqrt(norm2), -1)


def layer_ranges(n_layers: int, n_qubits: int, cnot_ranges: CnotRanges = "post") -> list[int]:
    """The CNOT range of each entangling layer (see :data:`CnotRanges`)."""
    check_choice("cnot_ranges", cnot_ranges, CNOT_RANGES)
    if n_qubits == 1 or cnot_ranges == "none":
        return [0] * n_layers
    if cnot_ranges == "post":
        return [1] * n_layers
    return [(layer % (n_qubits - 1)) + 1 for layer in range(n_layers)]


def upload_layers(n_layers: int, upload_every: int) -> list[int]:
    """Indices of the layers that the encoding is uploaded in front of."""
    if upload_every < 1 or n_layers < 1:
        raise ValueError("n_layers and upload_every must be at least 1")
    return list(range(0, n_layers, upload_every))


def weight_shape(n_layers: int, n_qubits: int) -> tuple[int, int, int]:
    """Shape of the trainable weights: three Rot angles per qubit and layer."""
    return qml.StronglyEntanglingLayers.shape(n_layers=n_layers, n_wires=n_qubits)


def mottonen_encoding(features: Any, wires: Sequence[int]) -> None:
    """Amplitude-encode L2-normalised ``features`` with the Mottonen template."""
    qml.MottonenStatePreparation(normalize(features), wires=wires)


def _safe_sqrt(v: Any) -> Any:
    """``sqrt(v)`` (``v >= 0``) with gradient 0, not infinite, at ``v = 0``; NaN stays NaN."""
    zero = v == 0
    root = qml.math.sqrt(qml.math.where(zero, qml.math.ones_like(v), v))
    return qml.math.where(zero, qml.math.zeros_like(v), root)


def _ucry_blocks(features: Any, n_qubits: int) -> list[Any]:
    """Per wire ``t``, the ``([batch,] 2**t, 2, 2)`` RY blocks of the Mottonen cascade:
    ``sin(alpha_j / 2) = sqrt(p(wire t = 1 | wires 0..t-1 hold j))``."""
    a2 = qml.math.abs(features) ** 2
    batch_shape = (-1,) if qml.math.ndim(a2) > 1 else ()
    blocks = []
    for t in range(n_qubits):
        p = qml.math.reshape(a2, batch_shape + (2**t, 2, 2 ** (n_qubits - t - 1)))
        p = qml.math.sum(p, axis=-1)
        p0, p1 = p[..., 0], p[..., 1]
        den = p0 + p1
        empty = den == 0  # no amplitude below: no rotation (a NaN stays NaN)
        safe = qml.math.where(empty, qml.math.ones_like(den), den)
        cos = qml.math.where(empty, qml.math.ones_like(den), _safe_sqrt(p0 / safe))
        sin = qml.math.where(empty, qml.math.zeros_like(den), _safe_sqrt(p1 / safe))
        rows = [qml.math.stack([cos, -sin], axis=-1), qml.math.stack([sin, cos], axis=-1)]
        blocks.append(qml.math.stack(rows, axis=-2))  # (..., 2**t, 2, 2)
    return blocks


class UniformlyControlledRotation(qml.operation.Operation):
    """``block_diag(*blocks)`` on ``k + 1`` wires (``blocks``: ``([batch,] 2**k, 2, 2)``):
    block ``j`` acts on the last wire when the first ``k`` hold ``j``."""

    num_params = 1
    ndim_params = (3,)
    grad_method = None

    def __init__(self, blocks: Any, wires: Sequence[int]) -> None:
        shape = qml.math.shape(blocks)
        if len(shape) not in (3, 4) or tuple(shape[-3:]) != (2 ** (len(wires) - 1), 2, 2):
            raise ValueError(f"blocks of shape {shape} do not fit {len(wires)} wires")
        super().__init__(blocks, wires=wires)

    @staticmethod
    def compute_matrix(blocks: Any) -> Any:
        n = qml.math.shape(blocks)[-3]
        eye = qml.math.cast_like(np.eye(n), blocks)
        dense = qml.math.einsum("...jst,jk->...jskt", blocks, eye)
        return qml.math.reshape(dense, tuple(qml.math.shape(blocks)[:-3]) + (2 * n, 2 * n))

    @staticmethod
    def compute_decomposition(blocks: Any, wires: Sequence[int]) -> list:
        return [qml.QubitUnitary(UniformlyControlledRotation.compute_matrix(blocks), wires=wires)]


def _apply_dense(op: qml.operation.Operation, state: Any, is_state_batched: bool,
                 debugger: Any) -> Any:
    """``op`` as a dense matrix, on wires the fast kernels do not take."""
    return apply_operation(qml.QubitUnitary(op.matrix(), wires=op.wires), state,
                           is_state_batched=is_state_batched, debugger=debugger)


@apply_operation.register
def _apply_uniformly_controlled(op: UniformlyControlledRotation, state: Any,
                                is_state_batched: bool = False, debugger=None, **_: Any) -> Any:
    """``new[j, s] = sum_t blocks[j, s, t] * state[j, t]`` on the reshaped state."""
    shape = tuple(int(d) for d in qml.math.shape(state))
    n_wires = len(shape) - int(is_state_batched)
    k = len(op.wires) - 1
    if [int(w) for w in op.wires] != list(range(k + 1)):  # not the leading wires
        return _apply_dense(op, state, is_state_batched, debugger)
    blocks = qml.math.cast_like(op.data[0], state)
    if op.batch_size is None:
        blocks = qml.math.expand_dims(blocks, 0)
    s = qml.math.reshape(state, (shape[0] if is_state_batched else 1, 2**k, 2, -1))
    s0, s1 = s[:, :, 0:1, :], s[:, :, 1:2, :]  # (b, 2**k, 1, rest)
    new = blocks[..., 0][..., None] * s0 + blocks[..., 1][..., None] * s1  # (b, 2**k, 2, rest)
    batched = is_state_batched or op.batch_size is not None
    return qml.math.reshape(new, ((-1,) if batched else ()) + (2,) * n_wires)


def compact_mottonen_ops(features: Any, n_qubits: int) -> Callable[[Sequence[int]], None]:
    """The compact Mottonen encoding, computed once: a function that queues it on ``wires``."""
    # The angles depend only on ratios of the amplitudes, so the clamp of tiny norms
    # changes nothing but the all-zero vector (no rotation instead of NaN).
    x = normalize(features, POST_MIN_NORM_SQUARED)
    blocks = _ucry_blocks(x, n_qubits)
    # The template's phase cascade, for real features, flips the sign of the negative
    # amplitudes: diag(signs) @ M scales row (j, s) of the last block j, at no extra cost.
    signs = qml.math.where(qml.math.real(x) < 0, -qml.math.ones_like(x), qml.math.ones_like(x))
    signs = qml.math.reshape(signs, tuple(qml.math.shape(blocks[-1])[:-1]))
    blocks[-1] = qml.math.expand_dims(signs, -1) * blocks[-1]
    blocks = [qml.math.cast(b, np.complex128) for b in blocks]

    def apply(wires: Sequence[int]) -> None:
        for t, block in enumerate(blocks):
            UniformlyControlledRotation(block, wires=list(wires[: t + 1]))

    return apply


def compact_angle_ops(features: Any, n_qubits: int) -> Callable[[Sequence[int]], None]:
    """``AngleEmbedding(pi * features, rotation="Y")`` as :class:`UniformlyControlledRotation`
    s whose blocks are all one ``RY``: the Mottonen cascade's kernel, which takes any number
    of wires (PennyLane's broadcast ``RY`` fails on TensorFlow from 8 wires on)."""
    half = qml.math.cast(features, np.float64) * (np.pi / 2)  # ([batch,] n)
    cos, sin = qml.math.cos(half), qml.math.sin(half)
    rows = [qml.math.stack([cos, -sin], axis=-1), qml.math.stack([sin, cos], axis=-1)]
    ry = qml.math.cast(qml.math.stack(rows, axis=-2), np.complex128)  # ([batch,] n, 2, 2)
    blocks = [ry[..., t, None, :, :] * qml.math.cast_like(np.ones((2**t, 1, 1)), ry)
              for t in range(n_qubits)]  # ([batch,] 2**t, 2, 2): the same RY whatever j

    def apply(wires: Sequence[int]) -> None:
        for t, block in enumerate(blocks):
            UniformlyControlledRotation(block, wires=list(wires[: t + 1]))

    return apply


def compact_mottonen(features: Any, wires: Sequence[int]) -> None:
    """:func:`mottonen_encoding`'s unitary (up to a global phase, real features), fewer ops."""
    compact_mottonen_ops(features, len(wires))(wires)


def _cnot_ring_rows(n_qubits: int, rng: int) -> np.ndarray:
    """Rows ``inv`` with ``P @ M == M[inv]`` for one layer's CNOT ring ``P``."""
    image = np.arange(2**n_qubits)
    if rng == 0:  # no CNOTs
        return image
    for i in range(n_qubits):
        control, target = n_qubits - 1 - i, n_qubits - 1 - (i + rng) % n_qubits  # bit positions
        image = image ^ (((image >> control) & 1) << target)
    return np.argsort(image)


def _rot_matrices(weights: Any) -> Any:
    """``(n_layers, n, 2, 2)`` complex matrices of the ``Rot`` gates of StronglyEntanglingLayers."""
    n_layers, n = qml.math.shape(weights)[0], qml.math.shape(weights)[1]
    flat = qml.math.reshape(weights, (n_layers * n, 3))
    rots = qml.Rot.compute_matrix(flat[:, 0], flat[:, 1], flat[:, 2])
    return qml.math.reshape(qml.math.cast(rots, np.complex128), (n_layers, n, 2, 2))


def _kron(rots: Any) -> Any:
    """``(n_layers, 2**k, 2**k)``: per layer ``rots[:, 0] ⊗ ... ⊗ rots[:, k-1]``."""
    n_layers, k = qml.math.shape(rots)[0], qml.math.shape(rots)[1]
    mats = rots[:, 0]
    for i in range(1, k):
        d = 2**i
        mats = qml.math.reshape(
            mats[:, :, None, :, None] * rots[:, i][:, None, :, None, :], (n_layers, 2 * d, 2 * d))
    return mats


class EntanglingBlock(qml.operation.Operation):
    """``StronglyEntanglingLayers(weights, wires, ranges)`` as one operation (not broadcast)."""

    num_params = 1
    ndim_params = (3,)
    grad_method = None

    def __init__(self, weights: Any, wires: Sequence[int], ranges: Sequence[int]) -> None:
        self._hyperparameters = {"ranges": tuple(int(r) for r in ranges)}
        super().__init__(weights, wires=wires)

    @staticmethod
    def compute_matrix(weights: Any, ranges: Sequence[int]) -> Any:
        # layer l is P_l (Rot_0 ⊗ ... ⊗ Rot_{n-1}): rows permuted by its CNOT ring
        n_layers, n = qml.math.shape(weights)[0], qml.math.shape(weights)[1]
        mats = _kron(_rot_matrices(weights))
        if n > 1:
            rows = np.concatenate([k * 2**n + _cnot_ring_rows(n, r) for k, r in enumerate(ranges)])
            mats = qml.math.reshape(
                qml.math.take(qml.math.reshape(mats, (n_layers * 2**n, 2**n)), rows, axis=0),
                (n_layers, 2**n, 2**n))
        out = mats[0]
        for layer in range(1, n_layers):
            out = qml.math.matmul(mats[layer], out)
        return out

    @staticmethod
    def compute_decomposition(weights: Any, wires: Sequence[int], ranges: Sequence[int]) -> list:
        if len(wires) > 1 and not any(ranges):  # no CNOTs: the Rot gates only
            return [qml.Rot(*weights[layer, i], wires=w)
                    for layer in range(qml.math.shape(weights)[0]) for i, w in enumerate(wires)]
        ranges = list(ranges) if len(wires) > 1 else None
        return [qml.StronglyEntanglingLayers(weights, wires=wires, ranges=ranges)]


@apply_operation.register
def _apply_entangling_block(op: EntanglingBlock, state: Any, is_state_batched: bool = False,
                            debugger=None, **_: Any) -> Any:
    """Each layer's Rots ``A ⊗ B`` as ``A psi B^T`` (for 6 qubits two 8 x 8 products, a
    quarter of one 64 x 64's multiplications), then its CNOT ring as a permutation."""
    shape = tuple(int(d) for d in qml.math.shape(state))
    n_wires = len(shape) - int(is_state_batched)
    if [int(w) for w in op.wires] != list(range(n_wires)):  # not all wires in order
        return _apply_dense(op, state, is_state_batched, debugger)
    rots = qml.math.cast_like(_rot_matrices(op.data[0]), state)
    h = n_wires // 2
    first = _kron(rots[:, :h]) if h else None
    second = _kron(rots[:, h:])
    psi = qml.math.reshape(state, (-1, 2**h, 2 ** (n_wires - h)))
    for layer, rng in enumerate(op.hyperparameters["ranges"]):
        if first is None:  # one wire
            psi = qml.math.einsum("xkl,jl->xkj", psi, second[layer])
        else:
            psi = qml.math.einsum("ik,xkl,jl->xij", first[layer], psi, second[layer])
        if n_wires > 1 and rng:
            flat = qml.math.reshape(psi, (-1, 2**n_wires))
            flat = qml.math.take(flat, _cnot_ring_rows(n_wires, rng), axis=1)
            psi = qml.math.reshape(flat, (-1, 2**h, 2 ** (n_wires - h)))
    return qml.math.reshape(psi, shape)


def reuploading_circuit(features: Any, weights: Any, upload_every: int = 2,
                        encoding: Encoding = "amplitude", compact: bool = False,
                        readout: Readout = "z", fuse_layers: bool = False,
                        cnot_ranges: CnotRanges = "post") -> Any:
    """The post's circuit: ``features`` ``([batch,] 2**n)`` (amplitude, Mottonen) or
    ``([batch,] n)`` (angle: RY of ``pi * x``) encoded before layers ``0, upload_every, ...``
    of StronglyEntanglingLayers ``weights`` ``(n_layers, n, 3)``, then :func:`measure`.
    ``compact`` and ``fuse_layers`` use the fast operations (same unitary)."""
    n_layers, n_qubits = qml.math.shape(weights)[0], qml.math.shape(weights)[1]
    check_features(features, n_qubits, encoding)
    wires = list(range(n_qubits))
    if encoding == "angle" and compact:
        encode = compact_angle_ops(features, n_qubits)
    elif encoding == "angle":
        def encode(w):
            qml.AngleEmbedding(np.pi * features, wires=w, rotation="Y")
    elif compact:
        encode = compact_mottonen_ops(features, n_qubits)
    else:
        def encode(w):
            mottonen_encoding(features, w)
    ranges = layer_ranges(n_layers, n_qubits, cnot_ranges)
    for start in upload_layers(n_layers, upload_every):
        stop = min(start + upload_every, n_layers)
        encode(wires)
        if fuse_layers:
            EntanglingBlock(weights[start:stop], wires=wires, ranges=ranges[start:stop])
        elif cnot_ranges == "none":  # the Rot gates of the layers, no CNOTs
            for layer in range(start, stop):
                for w in wires:
                    qml.Rot(*weights[layer, w], wires=w)
        elif cnot_ranges == "post":  # the post: one layer per call, so range 1 everywhere
            for layer in range(start, stop):
                qml.StronglyEntanglingLayers(weights[layer:layer + 1], wires=wires)
        else:
            block_ranges = ranges[start:stop] if n_qubits > 1 else None  # one qubit: no CNOTs
            qml.StronglyEntanglingLayers(weights[start:stop], wires=wires, ranges=block_ranges)
    return measure(wires, readout)


def make_qnode(n_qubits: int = 6, upload_every: int = 2, encoding: Encoding = "amplitude",
               compact: bool = False, interface: str = "auto", diff_method: str = "backprop",
               device: Any = None, readout: Readout = "z", fuse_layers: bool = False,
               cnot_ranges: CnotRanges = "post") -> qml.QNode:
    """A QNode ``circuit(features, weights)`` of :func:`reuploading_circuit`."""
    dev = device if device is not None else qml.device("default.qubit", wires=n_qubits)

    def circuit(features, weights):
        return reuploading_circuit(features, weights, upload_every, encoding, compact, readout,
                                   fuse_layers, cnot_ranges)

    return qml.QNode(circuit, dev, interface=interface, diff_method=diff_method)
