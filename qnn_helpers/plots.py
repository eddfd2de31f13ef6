"""Figures of the series: labelled axes, class names, colour-blind-safe colours."""

import matplotlib.pyplot as plt
import seaborn as sns

PALETTE = sns.color_palette("colorblind")
HEATMAP = "cividis"


def use_style() -> None:
    """Seaborn style with the colour-blind palette, sized for notebook width."""
    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind")
    plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (8, 4.5)})
