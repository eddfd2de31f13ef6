"""The study's tables: which models each compares, under which protocol.

Each :class:`Table` becomes one record (``qnn_helpers/recorded/<record>.json``).  Every
tuned row of a table, quantum or classical, follows the table's :class:`Protocol`; a fixed
row (the post's settings) is trained as the post trained it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.study.protocol import Protocol
from tools.study.runner import Spec

#: the encoder's trained parameters (784 → 196 → 64 → 64, both recipes): what the 64
#: features cost before any classifier sees them
ENCODER_PARAMETERS = 784 * 196 + 196 + 196 * 64 + 64 + 64 * 64 + 64
#: the post's own training: Adam 0.01, one epoch, batch 8
POST_SETTINGS = (0.01, 1, 8)


@dataclass(frozen=True)
class Table:
    record: str
    protocol: Protocol
    rows: tuple[Spec, ...]

    def __post_init__(self) -> None:
        names = [row.name for row in self.rows]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.record}: two rows share a name")


def upstream_parameters(spec: Spec) -> int:
    """Parameters trained (or fitted) before the model: the encoder of the 64 features,
    and a PCA's components and mean where principal components are the inputs."""
    n = ENCODER_PARAMETERS if spec.features in ("post", "improved", "four") else 0
    if spec.transform.startswith("pca"):
        n_in = 1024 if spec.features in ("linear", "sqrt") else 64
        n += int(spec.transform[3:]) * n_in + n_in
    return n


def hybrid(name: str, description: str, features: str, ablation: bool = False,
           transform: str = "none", fixed=None, **model) -> Spec:
    return Spec(name, description, features, "hybrid", tuple(sorted(model.items())),
                transform, ablation, fixed)


def classical(name: str, description: str, features: str, hidden: str,
              transform: str = "none") -> Spec:
    return Spec(name, description, features, "classical", (("hidden", hidden),), transform)


def logistic(name: str, description: str, features: str, transform: str = "none") -> Spec:
    return Spec(name, description, features, "logistic", (), transform)


#: chapter 04: the post's four labels, its model as the post trained it and tuned
FOUR_LABELS = Table("four_labels", Protocol(max_epochs=6), (
    hybrid("post's settings", "the post's model, Adam 0.01, batch 8, one epoch (the "
           "reproduction)", "four", fixed=POST_SETTINGS),
    hybrid("post, tuned", "the post's model, learning rate and epochs chosen on validation",
           "four"),
))

BASELINES_FOUR = Table("baselines_four", FOUR_LABELS.protocol, (
    logistic("logistic regression, as given", "64 → softmax", "four"),
    logistic("logistic regression, L2-normalised", "64 → softmax", "four", "l2"),
    classical("6-unit bottleneck, as given", "twin of 6 ⟨Z⟩", "four", "bottleneck"),
    classical("6-unit bottleneck, L2-normalised", "twin of 6 ⟨Z⟩", "four", "bottleneck",
              "l2"),
    classical("MLP (32 hidden), as given", "64 → 32 ReLU → softmax", "four", "mlp"),
    classical("MLP (32 hidden), L2-normalised", "64 → 32 ReLU → softmax", "four", "mlp",
              "l2"),
    classical("softmax on pairwise products", "2,080 products zᵢzⱼ → softmax", "four",
              "linear", "products"),
))

#: chapter 05: ten labels on 6 qubits; the post's model, ablations and variants
SIX_QUBITS = Table("variants", Protocol(max_epochs=6), (
    hybrid("post's settings", "the post's model, Adam 0.01, batch 8, one epoch", "post",
           fixed=POST_SETTINGS),
    hybrid("post", "the post's model: 6 ⟨Z⟩ → softmax", "post"),
    hybrid("frozen circuit", "ablation: random circuit weights kept, only the softmax "
           "trains", "post", ablation=True, freeze_circuit=True),
    hybrid("no layer CNOTs", "ablation: no CNOTs in the trainable layers (the uploads "
           "still entangle)", "post", ablation=True, cnot_ranges="none"),
    hybrid("1 upload", "ablation: the features uploaded once, before layer 0", "post",
           ablation=True, upload_every=8),
    hybrid("2 uploads", "ablation: the features uploaded before layers 0 and 4", "post",
           ablation=True, upload_every=4),
    hybrid("angle encoding", "6 principal components of the features as RY angles, "
           "4 uploads", "post", transform="pca6", encoding="angle"),
    hybrid("cycling ranges", "CNOT ranges 1, 2, 3, 4, 5, 1, 2, 3 (one 8-layer template "
           "call)", "post", cnot_ranges="cycling"),
    hybrid("correlators", "6 ⟨Z⟩ + 15 ⟨ZZ⟩ → softmax", "post", readout="zz"),
    hybrid("improved autoencoder", "the post's model on the improved autoencoder's "
           "features", "improved"),
    hybrid("improved + correlators", "improved autoencoder, 6 ⟨Z⟩ + 15 ⟨ZZ⟩", "improved",
           readout="zz"),
))

BASELINES_SIX = Table("baselines", SIX_QUBITS.protocol, (
    logistic("logistic regression, post's features", "64 → softmax", "post"),
    logistic("logistic regression, L2-normalised", "64 → softmax", "post", "l2"),
    logistic("logistic regression, improved features", "64 → softmax", "improved"),
    classical("softmax on pairwise products", "2,080 products zᵢzⱼ → softmax", "post",
              "linear", "products"),
    classical("6-unit bottleneck, post's features", "twin of 6 ⟨Z⟩", "post", "bottleneck"),
    classical("6-unit bottleneck, L2-normalised", "twin of 6 ⟨Z⟩", "post", "bottleneck",
              "l2"),
    classical("MLP (32 hidden), post's features", "64 → 32 ReLU → softmax", "post", "mlp"),
    classical("6-unit bottleneck + products, improved features", "twin of 6 ⟨Z⟩ + 15 ⟨ZZ⟩",
              "improved", "bottleneck + products"),
    classical("MLP (32 hidden), improved features", "64 → 32 ReLU → softmax", "improved",
              "mlp"),
))

#: chapter 07: whole images on 10 qubits.  An epoch costs about 12 times one on 6 qubits,
#: so the learning rate and the epoch are chosen on one seed, then five seeds confirm.
TEN_QUBIT_PROTOCOL = Protocol(max_epochs=5, tuning_seeds=(0,))
TEN = {"n_qubits": 10}
TEN_QUBITS = Table("ten_qubits", TEN_QUBIT_PROTOCOL, (
    hybrid("post, 10 qubits", "the post's circuit on 10 qubits: 8 layers, 4 uploads, "
           "10 ⟨Z⟩ → softmax", "linear", **TEN),
    hybrid("correlators", "10 ⟨Z⟩ + 45 ⟨ZZ⟩ → softmax", "linear", readout="zz", **TEN),
    hybrid("2 uploads", "the image uploaded before layers 0 and 4 only", "linear",
           upload_every=4, **TEN),
    hybrid("2 uploads + correlators", "the image before layers 0 and 4, 10 ⟨Z⟩ + 45 ⟨ZZ⟩",
           "linear", upload_every=4, readout="zz", **TEN),
    hybrid("1 upload", "the image uploaded once, before layer 0", "linear", upload_every=8,
           **TEN),
    hybrid("no layer CNOTs", "ablation: no CNOTs in the trainable layers (the uploads "
           "still entangle)", "linear", ablation=True, cnot_ranges="none", **TEN),
    hybrid("16 layers", "16 layers, the image before every fourth: 4 uploads", "linear",
           n_layers=16, upload_every=4, **TEN),
    hybrid("square-root pixels", "the square roots of the pixels as amplitudes", "sqrt",
           **TEN),
    hybrid("angle encoding", "10 principal components of the pixels as RY angles, "
           "4 uploads", "linear", transform="pca10", encoding="angle", **TEN),
))

BASELINES_TEN = Table("baselines_ten_qubits", TEN_QUBIT_PROTOCOL, (
    logistic("logistic regression, pixels", "1,024 pixels → softmax", "linear"),
    logistic("logistic regression, 10 principal components",
             "10 principal components → softmax (the angle encoding's inputs)", "linear",
             "pca10"),
    classical("CNN, 349 parameters", "parameter-matched CNN", "linear", "cnn"),
))

#: every table, in the order ``make variants`` runs them (cheapest first)
TABLES = (FOUR_LABELS, BASELINES_FOUR, SIX_QUBITS, BASELINES_SIX, BASELINES_TEN,
          TEN_QUBITS)
