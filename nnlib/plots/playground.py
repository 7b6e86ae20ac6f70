"""The playground's picture: the network, the plane with the data, and the learning curves.

Built once; after that every change (new data, a new network, another
problem type, another epoch) moves or repaints artists that exist already, so
the still background is drawn once and each picture costs a few milliseconds.
"""

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize, to_rgb, to_rgba_array
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from . import style
from .boundary import contour_segments
from .fast import FastFigure
from .network_view import NetworkMosaic
from .pixels import PixelHeatmap, PixelText
from .style import CLASS_COLORS, HEATMAP, MARKERS

MAX_CLASSES = 4


def class_blend(probabilities):
    """Return (n, 3) RGB colours: each class's colour weighted by its probability, lightened."""
    colors = np.array([to_rgb(c) for c in CLASS_COLORS[: probabilities.shape[1]]])
    return (0.45 + 0.55 * (probabilities @ colors)).clip(0, 1)


class PlaygroundFigure:
    """The playground's three panels: network, plane, curves. ``png()`` returns the picture."""

    def __init__(self, resolution=40, width=12.5, height=4.4, dpi=None):
        fig = Figure(figsize=(width, height), dpi=dpi or style.dpi())
        self.resolution = G = resolution
        self.network = NetworkMosaic(fig.add_axes((0.0, 0.02, 0.38, 0.96)))
        self.ax = ax = fig.add_axes((0.415, 0.17, 0.25, 0.73))
        ax.set(xticks=[], yticks=[], xlabel="x1", ylabel="x2")
        self.heatmap = PixelHeatmap(ax, HEATMAP, G)
        self.boundary = ax.add_collection(LineCollection([], colors="black", linewidths=2))
        self.train = [ax.scatter([], [], s=30, c=CLASS_COLORS[c], marker=MARKERS[c], edgecolors="black",
                                 linewidths=0.7) for c in range(MAX_CLASSES)]
        self.test = [ax.scatter([], [], s=30, facecolors="none", marker=MARKERS[c], edgecolors=CLASS_COLORS[c],
                                linewidths=1.5) for c in range(MAX_CLASSES)]
        self.title = PixelText(ax)
        handles = [Line2D([], [], marker="o", ls="", color="0.5", mec="black", label="train"),
                   Line2D([], [], marker="o", ls="", mfc="none", mec="0.3", mew=1.5, label="test"),
                   Line2D([], [], color="black", lw=2, label="decision boundary")]
        self.legend = ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.07), ncol=3,
                                fontsize=8, frameon=False, handlelength=1.2, columnspacing=1)
        self.ax_curve = fig.add_axes((0.72, 0.14, 0.235, 0.76))
        self.ax_acc = self.ax_curve.twinx()
        self.lines = {key: self.ax_curve.plot([], [], color=color, lw=2, label=key.replace("_", " "))[0]
                      for key, color in [("train_loss", "#0072B2"), ("test_loss", "#D55E00")]}
        self.lines.update({key: self.ax_acc.plot([], [], color=color, lw=1.5, ls=":", label=key.replace("_", " "))[0]
                           for key, color in [("train_accuracy", "#0072B2"), ("test_accuracy", "#D55E00")]})
        self.ax_curve.set(xlim=(0, 50), xlabel="epoch", ylabel="loss (solid)")
        self.ax_acc.set(ylim=(0, 1.02), ylabel="accuracy (dotted)")
        self.curve_title = PixelText(self.ax_curve)
        self.problem = None
        moving = [*self.network.moving, self.boundary, *self.train, *self.test, *self.lines.values()]
        self.figure = FastFigure(fig, moving, underlays=[self.heatmap],
                                 overlays=[self.network, self.title, self.curve_title])

    # ----- what changes with the settings ----------------------------------------------------------
    def set_problem(self, problem, loss_top):
        """Classification shows accuracy and a boundary; regression neither. Redraws the axes (rare)."""
        if (problem, loss_top) == self.problem:
            return
        self.problem = (problem, loss_top)
        classification = problem == "classification"
        self.ax_curve.set_ylim(0, loss_top)
        self.ax_curve.set_ylabel("loss (solid)" if classification else "loss (mean squared error)")
        self.ax_acc.set_visible(classification)
        self.legend.legend_handles[2].set_visible(classification)
        self.legend.get_texts()[2].set_visible(classification)
        self.figure.use_background((self.problem, self.ax_curve.get_xlim()))

    def set_plane(self, extent):
        """Show the part of the plane given by extent (x_min, x_max, y_min, y_max); no ticks, so no redraw."""
        self.extent = extent
        self.ax.set_xlim(extent[:2])
        self.ax.set_ylim(extent[2:])

    def set_data(self, X_train, y_train, X_test, y_test, classes=None, show_test=True, value_range=(-1, 1)):
        """Place the points. classes=None: regression, points coloured by their target in value_range."""
        norm = Normalize(*value_range)
        for scatters, X, y in [(self.train, X_train, y_train), (self.test, X_test, y_test)]:
            hollow = scatters is self.test
            for c, scatter in enumerate(scatters):
                if classes is None:  # one scatter, coloured by value
                    mine = np.ones(len(X), bool) if c == 0 else np.zeros(len(X), bool)
                    colors = HEATMAP(norm(y[mine]))
                else:
                    mine = y == c if c < classes else np.zeros(len(X), bool)
                    colors = to_rgba_array(CLASS_COLORS[c])
                scatter.set_offsets(X[mine] if mine.any() else np.zeros((0, 2)))
                if hollow:
                    scatter.set_edgecolors(colors)
                else:
                    scatter.set_facecolors(colors)
                scatter.set_visible(bool(mine.any()) and (not hollow or show_test))  # empty ones cost time too

    def set_curves(self, history, epoch):
        """Draw the loss (and accuracy) per epoch; double the epoch axis when it is full."""
        epochs = np.arange(len(history["train_loss"]))
        for key, line in self.lines.items():
            line.set_data(epochs, history[key])
        right = self.ax_curve.get_xlim()[1]
        if epoch > right or (epoch <= 25 and right > 50):  # more room, or back to the start
            self.ax_curve.set_xlim(0, 50 if epoch <= 50 else 2 ** int(np.ceil(np.log2(epoch))))
            self.figure.use_background((self.problem, self.ax_curve.get_xlim()))

    # ----- every picture ---------------------------------------------------------------------------
    def show_output(self, out, output, discretize, value_range, title):
        """Show a network's (G*G, n_outputs) output on the plane, for its output activation.

        Classes show their boundary; discretize shows hard decisions (regression: the sign).
        """
        if output == "linear":
            values, boundary = (np.sign(out[:, 0]) if discretize else out[:, 0]), None
        elif out.shape[1] == 1:
            values, boundary = (out[:, 0] >= 0.5).astype(float) if discretize else out[:, 0], out[:, 0]
        else:
            values, boundary = np.eye(out.shape[1])[out.argmax(axis=1)] if discretize else out, out
        self.set_plane_values(values, value_range, boundary, title=title, nearest=discretize)

    def set_plane_values(self, values, value_range, boundary=None, level=0.5, title="", nearest=False):
        """Show model outputs on the grid: (G*G,) values in value_range, or (G*G, k) class probabilities.

        boundary -- the (G*G, k) probabilities or (G*G,) values whose crossing of level is drawn, or None.
        """
        G = self.resolution
        if values.ndim == 2:
            self.heatmap.set_data(class_blend(values).reshape(G, G, 3), nearest=nearest)
        else:
            self.heatmap.set_data(values.reshape(G, G), value_range, nearest)
        segments = []
        if boundary is not None and boundary.ndim == 2:  # several classes: where each one stops winning
            for c in range(boundary.shape[1]):
                margin = boundary[:, c] - np.delete(boundary, c, axis=1).max(axis=1)
                segments += contour_segments(margin.reshape(G, G), self.extent, 0.0)
        elif boundary is not None:
            segments = contour_segments(boundary.reshape(G, G), self.extent, level)
        self.boundary.set_segments(segments)
        self.title.set_text(title)

    def set_network(self, weights, activations, hidden_range, output_range, chosen=None):
        """Show a network: weights per layer, and per layer (inputs first) its (size**2, n) outputs on the
        thumbnail grid; each input feature is scaled to its own range."""
        s = self.network.size
        scale = np.abs(activations[0]).max(axis=0) + 1e-12
        pictures = [(activations[0] / scale).T.reshape(-1, s, s)] + [a.T.reshape(-1, s, s) for a in activations[1:]]
        ranges = [(-1, 1)] + [hidden_range] * (len(pictures) - 2) + [output_range]
        self.network.update(weights, pictures, ranges, chosen)

    def png(self):
        return self.figure.png()

