"""Static charts for the lessons: activations, loss curves, confusion matrices, digits."""

import numpy as np

from .. import activations as act
from .style import CLASS_COLORS


def plot_activations(activations, z=None):
    """Plot each named activation (solid) and its derivative (dashed); return the Figure."""
    import matplotlib.pyplot as plt

    z = np.linspace(-5, 5, 401) if z is None else z
    columns = min(3, len(activations))
    rows = -(-len(activations) // columns)  # ceiling division
    fig, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 2.4 * rows), sharey=True,
                             squeeze=False, layout="constrained")
    for ax, name in zip(axes.ravel(), activations):
        f, df = act.get(name)
        ax.plot(z, f(z), color=CLASS_COLORS[1], lw=2, label="f(z)")
        ax.plot(z, df(z), color=CLASS_COLORS[0], lw=2, ls="--", label="f'(z)")
        ax.axhline(0, color="grey", lw=0.5)
        ax.axvline(0, color="grey", lw=0.5)
        ax.set_title(name)
        ax.set_xlabel("z")
        ax.set_ylim(-1.5, 2)
    axes[0, 0].legend(loc="upper left", fontsize=8)
    return fig


def plot_loss_curve(losses, ax=None, label="training loss"):
    """Plot a loss per epoch; return the Axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.figure(figsize=(5, 3), layout="constrained").add_subplot()
    ax.plot(np.arange(1, len(losses) + 1), losses, color=CLASS_COLORS[1], lw=2, label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.legend()
    return ax


def plot_confusion_matrix(C, ax=None):
    """Draw a confusion matrix (rows: true class, columns: predicted) with its counts; return the Axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.figure(figsize=(5, 4.4), layout="constrained").add_subplot()
    k = len(C)
    ax.imshow(C, cmap="Blues")
    for i in range(k):
        for j in range(k):
            ax.text(j, i, C[i, j], ha="center", va="center", fontsize=8,
                    color="white" if C[i, j] > C.max() / 2 else "black")
    ax.set(xticks=range(k), yticks=range(k), xlabel="predicted class", ylabel="true class")
    return ax


def plot_digit_gallery(images, true, predicted, probabilities, shape=(8, 8), columns=6):
    """Show digit images with their true label, the prediction and its probability; return the Figure."""
    import matplotlib.pyplot as plt

    n = len(images)
    rows = max(1, -(-n // columns))
    fig, axes = plt.subplots(rows, columns, figsize=(1.5 * columns, 1.8 * rows), squeeze=False,
                             layout="constrained")
    for ax in axes.ravel():
        ax.set_axis_off()
    for ax, image, t, p, probs in zip(axes.ravel(), images, true, predicted, probabilities):
        ax.imshow(np.reshape(image, shape), cmap="gray_r")
        ax.set_title(f"true {t}, said {p}\n{probs[p]:.0%} sure ({probs[t]:.0%} for {t})", fontsize=7)
    return fig
