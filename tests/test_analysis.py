"""Garment families and gallery rules."""

import numpy as np

from qnn_helpers import lessons
from qnn_helpers.data import CLASS_NAMES


def test_families_cover_every_class_once():
    members = sorted(c for fam in lessons.FAMILIES.values() for c in fam)
    assert members == list(range(10))


def test_family_errors_counts_mistakes_inside_a_family():
    cm = np.zeros((10, 10), dtype=int)
    np.fill_diagonal(cm, 90)
    cm[6, 0] = 6  # shirt -> T-shirt: inside tops
    cm[5, 7] = 3  # sandal -> sneaker: inside shoes
    cm[1, 8] = 1  # trouser -> bag: across families
    out = lessons.family_errors(cm)
    assert (out.errors, out.within_family) == (10, 9)
    assert out.within_fraction == 0.9
    assert 0 < out.chance_fraction < 0.5


def test_pick_gallery_follows_its_rules():
    labels = np.array([1, 1, 6, 6, 7, 0])
    probs = np.full((6, 10), 0.001)
    probs[0, 1], probs[1, 1] = 0.6, 0.95  # second trouser is the more confident
    probs[2, [0, 2, 6]] = [0.3, 0.3, 0.3]  # spread over tops
    probs[3, 6] = 0.9  # confident shirt
    probs[4, [5, 7, 9]] = [0.3, 0.35, 0.3]  # spread over shoes
    probs[5, 8] = 0.99  # T-shirt taken for Bag, very confident
    probs /= probs.sum(axis=1, keepdims=True)
    picks = lessons.pick_gallery(probs, labels, CLASS_NAMES, n_mistakes=1)
    assert [i for i, _ in picks] == [1, 2, 4, 5]
    assert picks[-1][1] == "T-shirt/top taken for Bag"
    assert picks[1][1] == "Shirt: probability spread over tops"
