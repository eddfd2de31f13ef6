"""Looking at results: garment families, gallery examples chosen by rule, angle features."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import PCA

#: Garment families of Fashion-MNIST, by class index.
FAMILIES: dict[str, tuple[int, ...]] = {
    "tops": (0, 2, 3, 4, 6),  # T-shirt/top, Pullover, Dress, Coat, Shirt
    "shoes": (5, 7, 9),  # Sandal, Sneaker, Ankle boot
    "trousers": (1,),
    "bags": (8,),
}


def family_index(n_classes: int = 10) -> np.ndarray:
    """Family number of every class (order of :data:`FAMILIES`)."""
    out = np.full(n_classes, -1)
    for f, members in enumerate(FAMILIES.values()):
        out[list(members)] = f
    if (out < 0).any():
        raise ValueError("every class must belong to a family")
    return out


@dataclass(frozen=True)
class FamilyErrors:
    """Where the mistakes of a 10-class confusion matrix land.

    ``errors`` wrong predictions, ``within_family`` of them inside the true
    class's family (``within_fraction`` of all), against ``chance_fraction``:
    the fraction expected if wrong predictions were spread evenly over the other
    nine classes.
    """

    errors: int
    within_family: int
    within_fraction: float
    chance_fraction: float


def family_errors(confusion: np.ndarray) -> FamilyErrors:
    """How many mistakes stay inside the true class's family (see :class:`FamilyErrors`)."""
    fam = family_index(confusion.shape[0])
    same = fam[:, None] == fam[None, :]
    off_diag = ~np.eye(len(fam), dtype=bool)
    errors = int(confusion[off_diag].sum())
    within = int(confusion[same & off_diag].sum())
    row_errors = confusion.sum(axis=1) - np.diag(confusion)
    chance = (same & off_diag).sum(axis=1) / (len(fam) - 1)
    return FamilyErrors(
        errors=errors,
        within_family=within,
        within_fraction=within / errors if errors else float("nan"),
        chance_fraction=float((row_errors * chance).sum() / max(row_errors.sum(), 1)),
    )


def _entropy(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-12, 1)
    return -(p * np.log(p)).sum(axis=-1)


def pick_gallery(
    probs: np.ndarray, labels: np.ndarray, class_names: Sequence[str], n_mistakes: int = 3
) -> list[tuple[int, str]]:
    """Test examples for the failure gallery, chosen by rule (10-class Fashion-MNIST).

    * the most confident correctly classified Trouser;
    * the Shirt whose probability is most spread over the top-like classes
      (highest entropy among shirts with at least 80 % of the mass on tops);
    * the shoe whose probability is most spread over the shoe classes
      (same rule with the shoe family);
    * the ``n_mistakes`` most confident mistakes.

    Returns ``[(test index, caption), ...]``.
    """
    pred = probs.argmax(axis=1)
    conf = probs.max(axis=1)
    picks: list[tuple[int, str]] = []
    trousers = np.flatnonzero((labels == 1) & (pred == 1))
    if trousers.size:
        i = int(trousers[np.argmax(conf[trousers])])
        picks.append((i, "Trouser, predicted right"))
    for family, classes in [("tops", (6,)), ("shoes", FAMILIES["shoes"])]:
        members = list(FAMILIES[family])
        mass = probs[:, members].sum(axis=1)
        cand = np.flatnonzero(np.isin(labels, classes) & (mass >= 0.8))
        if cand.size:
            i = int(cand[np.argmax(_entropy(probs[cand][:, members]))])
            picks.append((i, f"{class_names[labels[i]]}: probability spread over {family}"))
    wrong = np.flatnonzero(pred != labels)
    for i in wrong[np.argsort(-conf[wrong])][:n_mistakes]:
        picks.append((int(i), f"{class_names[labels[i]]} taken for {class_names[pred[i]]}"))
    return picks


def angle_features(
    x_train: np.ndarray, x_test: np.ndarray, n_components: int = 6, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """The 64 features summarised to ``n_components`` numbers in ``[0, 1]`` for angle encoding.

    PCA fitted on the training features, then scaled by the training range
    (test values clipped to it).
    """
    pca = PCA(n_components=n_components, random_state=seed).fit(x_train)
    z_train, z_test = pca.transform(x_train), pca.transform(x_test)
    lo, hi = z_train.min(axis=0), z_train.max(axis=0)

    def scale(z: np.ndarray) -> np.ndarray:
        return np.clip((z - lo) / (hi - lo), 0, 1).astype(np.float32)

    return scale(z_train), scale(z_test)
