"""Figures of the series: labelled axes, class names, colour-blind-safe colours."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns

PALETTE = sns.color_palette("colorblind")
HEATMAP = "cividis"


def use_style() -> None:
    """Seaborn style with the colour-blind palette, sized for notebook width."""
    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind")
    plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (8, 4.5)})


def image_grid(images: np.ndarray, labels: np.ndarray, class_names: Sequence[str],
               per_class: int = 6, title: str = "Examples per class") -> plt.Figure:
    """A grid: one row per class, the first ``per_class`` images of that class."""
    classes = sorted(set(np.asarray(labels).tolist()))
    fig, axes = plt.subplots(len(classes), per_class,
                             figsize=(1.1 * per_class + 1.6, 1.1 * len(classes)), squeeze=False)
    for row, c in enumerate(classes):
        idx = np.flatnonzero(labels == c)[:per_class]
        for col in range(per_class):
            ax = axes[row, col]
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            if col < len(idx):
                ax.imshow(images[idx[col]].reshape(28, 28), cmap="gray_r")
        axes[row, 0].set_ylabel(class_names[c], rotation=0, ha="right", va="center")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def reconstructions(originals: np.ndarray, rows: dict[str, np.ndarray], n: int = 8,
                    title: str = "Originals and reconstructions") -> plt.Figure:
    """Originals on the first row, each reconstruction method on a row below."""
    names = ["original", *rows]
    data = [originals, *rows.values()]
    fig, axes = plt.subplots(len(names), n, figsize=(1.1 * n + 1.6, 1.2 * len(names)),
                             squeeze=False)
    for r, (name, images) in enumerate(zip(names, data, strict=True)):
        for c in range(n):
            ax = axes[r, c]
            ax.imshow(np.asarray(images[c]).reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
        axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def learning_curves(history: dict[str, list[float]], title: str = "Learning curves") -> plt.Figure:
    """Loss and accuracy per epoch, training and (if present) validation."""
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3.8))
    epochs = np.arange(1, len(history["loss"]) + 1)
    for key, ax in [("loss", ax_loss), ("categorical_accuracy", ax_acc)]:
        ax.plot(epochs, history[key], marker="o", color=PALETTE[0], label="training")
        if f"val_{key}" in history:
            ax.plot(epochs, history[f"val_{key}"], marker="s", color=PALETTE[1],
                    label="validation")
        ax.set_xlabel("epoch")
        ax.set_xticks(epochs)
        ax.legend()
    ax_loss.set_ylabel("cross-entropy loss")
    ax_acc.set_ylabel("accuracy")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def confusion_heatmap(confusion: np.ndarray, class_names: Sequence[str],
                      title: str = "Confusion matrix (test set)", normalize: bool = True
                      ) -> plt.Figure:
    """Heatmap: rows are true classes, columns predictions; fractions of each row."""
    values = confusion / confusion.sum(axis=1, keepdims=True) if normalize else confusion
    size = 2.2 + 0.65 * len(class_names)
    fig, ax = plt.subplots(figsize=(size + 1.5, size))
    sns.heatmap(values, annot=True, fmt=".2f" if normalize else "d", cmap=HEATMAP,
                xticklabels=class_names, yticklabels=class_names, ax=ax, vmin=0,
                vmax=1 if normalize else None, cbar_kws={"label": "fraction of true class"})
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title)
    plt.setp(ax.get_xticklabels(), rotation=40, ha="right")
    plt.setp(ax.get_yticklabels(), rotation=0)
    fig.tight_layout()
    return fig


def prediction_gallery(images: np.ndarray, probabilities: np.ndarray, labels: np.ndarray,
                       class_names: Sequence[str], captions: Sequence[str],
                       title: str = "What the model sees") -> plt.Figure:
    """One row per example: the image on the left, class probabilities on the right."""
    n = len(images)
    fig, axes = plt.subplots(n, 2, figsize=(10, 2.3 * n), squeeze=False,
                             gridspec_kw={"width_ratios": [1, 3.2]})
    for i in range(n):
        ax_img, ax_bar = axes[i]
        ax_img.imshow(images[i].reshape(28, 28), cmap="gray_r")
        ax_img.set_xticks([])
        ax_img.set_yticks([])
        ax_img.grid(False)
        ax_img.set_title(captions[i], fontsize=10)
        pred = int(np.argmax(probabilities[i]))
        colors = [PALETTE[7]] * len(class_names)
        colors[pred] = PALETTE[3]
        colors[int(labels[i])] = PALETTE[0]
        ax_bar.barh(np.arange(len(class_names)), probabilities[i], color=colors)
        ax_bar.set_yticks(np.arange(len(class_names)), class_names)
        ax_bar.invert_yaxis()
        ax_bar.set_xlim(0, 1)
        ax_bar.set_xlabel("predicted probability")
    handles = [plt.Rectangle((0, 0), 1, 1, color=PALETTE[k]) for k in (0, 3)]
    fig.legend(handles, ["true class", "predicted (if wrong)"], loc="upper right")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def basis_state_bars(values: Any, ylabel: str = "amplitude", title: str = "",
                     ax: plt.Axes | None = None, tick_every: int = 1) -> plt.Figure:
    """Bar chart of one real value per basis state |0…0⟩ … |1…1⟩ (amplitudes or probabilities).

    ``values`` has ``2**n`` entries, wire 0 is the leftmost bit of each label (as in
    PennyLane); ``tick_every`` labels only every k-th basis state.
    """
    values = np.asarray(values)
    if np.iscomplexobj(values):
        if not np.allclose(values.imag, 0):
            raise ValueError("basis_state_bars draws real values; take abs(...)**2 or .real first")
        values = values.real
    n_states = len(values)
    n_qubits = int(np.log2(n_states))
    if ax is None:
        fig, ax = plt.subplots(figsize=(max(4.0, 0.13 * n_states + 2.5), 3.8))
    else:
        fig = ax.figure
    ax.bar(np.arange(n_states), values, color=PALETTE[0])
    ticks = np.arange(0, n_states, tick_every)
    ax.set_xticks(ticks, [rf"$|{k:0{n_qubits}b}\rangle$" for k in ticks],
                  rotation=90 if n_qubits > 3 else 0)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel("basis state")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    fig.tight_layout()
    return fig
