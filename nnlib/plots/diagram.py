"""Networks drawn as nodes and edges, with a small heatmap per neuron where wanted."""

import numpy as np
from matplotlib.collections import LineCollection

from .style import CLASS_COLORS, HEATMAP


class NetworkDiagram:
    """A network drawn as nodes and edges on one Axes.

    Each node's colour shows its activation for one sample (orange low,
    blue high); each edge's colour shows the sign of its weight (blue
    positive, vermillion negative) and its width the size. Call ``update``.
    """

    def __init__(self, ax, sizes, labels=True):
        self.ax, self.sizes = ax, list(sizes)
        # node j of layer l at x = l, first node on top
        self.xy = [np.column_stack([np.full(n, l), (n - 1) / 2 - np.arange(n)]) for l, n in enumerate(sizes)]
        segments = [[p, q] for l in range(len(sizes) - 1) for p in self.xy[l] for q in self.xy[l + 1]]
        self.edges = LineCollection(segments, zorder=1)
        ax.add_collection(self.edges)
        all_xy = np.concatenate(self.xy)
        cmap = HEATMAP.with_extremes(bad="#EEEEEE")  # light grey: no value yet
        self.nodes = ax.scatter(*all_xy.T, s=900, c=np.zeros(len(all_xy)), cmap=cmap, vmin=0, vmax=1,
                                edgecolors="black", linewidths=1.2, zorder=2)
        self.texts = [ax.text(x, y, "", ha="center", va="center", fontsize=8, zorder=3) for x, y in all_xy]
        ax.set_xlim(-0.5, len(sizes) - 0.5)
        top = max(sizes) / 2
        ax.set_ylim(-top, top)
        ax.set_axis_off()
        if labels:
            names = ["input"] + ["hidden"] * (len(sizes) - 2) + ["output"]
            for l, name in enumerate(names):
                ax.text(l, -top + 0.05, name, ha="center", va="bottom", fontsize=9, color="0.3")

    @property
    def moving(self):
        return [self.edges, self.nodes, *self.texts]

    def update(self, weights, activations=None, value_range=(0, 1)):
        """Show the weights (a list of (n_in, n_out) arrays) and, optionally, one sample's activations."""
        w = np.concatenate([W.ravel() for W in weights])  # same order as the segments: input-major
        biggest = max(np.abs(w).max(), 1e-12)
        self.edges.set_linewidths(0.5 + 5 * np.abs(w) / biggest)
        self.edges.set_colors([CLASS_COLORS[1] if v >= 0 else CLASS_COLORS[3] for v in w])
        if activations is not None:  # NaN marks a node with nothing to show yet: left blank
            a = np.concatenate([np.ravel(x) for x in activations])
            self.nodes.set_array(np.ma.masked_invalid(a))
            self.nodes.set_clim(*value_range)
            for text, value in zip(self.texts, a):
                text.set_text("" if np.isnan(value) else f"{value:.2f}")


def plot_network(net, x=None, ax=None):
    """Draw net as a diagram (weights as edges; with a sample x, activations on the nodes); return the Axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.figure(figsize=(1.8 * len(net.sizes), 0.7 * max(net.sizes) + 1), layout="constrained").add_subplot()
    diagram = NetworkDiagram(ax, net.sizes)
    activations = None if x is None else [a[0] for a in net.forward_all(np.atleast_2d(x))[1]]
    diagram.update(net.weights, activations)
    return ax


class NeuronThumbnails:
    """A small heatmap for each neuron, drawn at its place in a NetworkDiagram's Axes.

    Each shows what that neuron outputs over the whole input plane, the way
    TensorFlow Playground does.
    """

    def __init__(self, ax, positions, resolution, size=0.7):
        self.images = [ax.imshow(np.zeros((resolution, resolution)), origin="lower", cmap=HEATMAP, zorder=3,
                                 extent=(x - size / 2, x + size / 2, y - size / 2, y + size / 2))
                       for x, y in positions]
        ax.set_aspect("auto")

    @property
    def moving(self):
        return self.images

    def update(self, values, value_range):
        """values: one (G, G) array per neuron."""
        for image, v in zip(self.images, values):
            image.set_data(v)
            image.set_clim(*value_range)
