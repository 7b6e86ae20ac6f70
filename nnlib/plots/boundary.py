"""Decision boundaries: a model's output over the plane, with the data on top.

This module draws; it never computes a network itself. Whatever it shows is
passed in (a grid of outputs) or computed by calling a function it is given.
"""

import contourpy
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D

from .pixels import PixelHeatmap
from .style import CLASS_COLORS, HEATMAP, MARKERS


def grid(X, resolution=60, margin=0.5):
    """Return (points, extent): a resolution x resolution grid of 2-D points covering X.

    points has shape (resolution**2, 2), row by row from the bottom left;
    extent is (x_min, x_max, y_min, y_max) for imshow.
    """
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xs, ys = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    xx, yy = np.meshgrid(xs, ys)  # (G, G) each
    return np.column_stack([xx.ravel(), yy.ravel()]), (lo[0], hi[0], lo[1], hi[1])


def contour_segments(values, extent, level):
    """Return the line segments where a (G, G) grid of values crosses level."""
    G = values.shape[0]
    xs, ys = np.linspace(extent[0], extent[1], G), np.linspace(extent[2], extent[3], G)
    return contourpy.contour_generator(xs, ys, values).lines(level)


class BoundaryPlot:
    """The artists of a decision-boundary picture on one matplotlib Axes.

    The heatmap shows a model's output over the plane, the black line is
    where it crosses the decision level, and the data points sit on top.
    Call ``update`` with new grid values; nothing is recreated.
    """

    def __init__(self, ax, X, y, resolution=60, vmin=0.0, vmax=1.0, label="P(class 1)", colorbar=True,
                 extra_handles=(), test=None, n_classes=None):
        self.ax, self.resolution = ax, resolution
        self.points, self.extent = grid(X if test is None else np.concatenate([X, test[0]]), resolution)
        self.n_classes = n_classes or max(int(np.max(y)) + 1, 2)
        G = resolution
        self.image = ax.imshow(np.zeros((G, G)), origin="lower", extent=self.extent, cmap=HEATMAP,
                               vmin=vmin, vmax=vmax, interpolation="bilinear", aspect="auto")
        self.heatmap = PixelHeatmap(ax, HEATMAP, G)  # the same picture, painted fast inside a FastFigure
        self.boundary = LineCollection([], colors="black", linewidths=2)
        ax.add_collection(self.boundary)
        self.scatters = [ax.scatter(*X[y == c].T, s=36, c=CLASS_COLORS[c], marker=MARKERS[c],
                                    edgecolors="black", linewidths=0.8, label=f"class {c}")
                         for c in range(self.n_classes)]
        if test is not None:  # test points: hollow, in their class's colour
            X_test, y_test = test
            self.scatters += [ax.scatter(*X_test[y_test == c].T, s=36, facecolors="none", marker=MARKERS[c],
                                         edgecolors=CLASS_COLORS[c], linewidths=1.6,
                                         label="test" if c == 0 else None)
                              for c in range(self.n_classes)]
        handles = [h for h in self.scatters if not h.get_label().startswith("_")]
        handles += [Line2D([], [], color="black", lw=2, label="decision boundary"), *extra_handles]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=min(len(handles), 3),
                  fontsize=8, frameon=False)
        ax.set_xlim(self.extent[:2])
        ax.set_ylim(self.extent[2:])
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        self.title = ax.set_title("")
        if colorbar and self.n_classes == 2:
            bar = ax.figure.colorbar(self.image, ax=ax, location="right", shrink=0.8, pad=0.02)
            bar.set_label(label)

    @property
    def moving(self):
        """What changes on every update (drawn after the still background): in a FastFigure the heatmap
        is painted straight into the pixels; anywhere else matplotlib draws self.image, which holds the same."""
        return [self.heatmap, self.boundary, *self.scatters, self.title]

    def set_range(self, vmin, vmax):
        """Change the heatmap's colour range (the colour bar is redrawn with the background)."""
        self.image.set_clim(vmin, vmax)

    def update(self, values, contour=None, level=0.5, title=None):
        """Show new model outputs on the grid.

        values  -- shape (G*G,) for one output, or (G*G, k) class probabilities.
        contour -- the (G*G,) values whose crossing of level is the boundary;
                   by default the values themselves.
        """
        G = self.resolution
        if values.ndim == 2 and values.shape[1] > 1:  # several classes: blend their colours
            colors = np.array([to_rgb(c) for c in CLASS_COLORS[: values.shape[1]]])
            rgb = 0.45 + 0.55 * (values @ colors)  # lighten so the points stand out
            self.image.set_data(rgb.reshape(G, G, 3).clip(0, 1))
            self.heatmap.set_data(rgb.reshape(G, G, 3))
            others = [np.delete(values, c, axis=1).max(axis=1) for c in range(values.shape[1])]
            segments = [s for c in range(values.shape[1])
                        for s in contour_segments((values[:, c] - others[c]).reshape(G, G), self.extent, 0.0)]
        else:
            values = values.reshape(G, G)
            self.image.set_data(values)
            self.heatmap.set_data(values, self.image.get_clim())
            source = values if contour is None else np.asarray(contour).reshape(G, G)
            segments = contour_segments(source, self.extent, level)
        self.boundary.set_segments(segments)
        if title is not None:
            self.title.set_text(title)


def plot_decision_boundary(predict_proba, X, y, ax=None, resolution=100, title=""):
    """Draw predict_proba's output over the plane with the data; return the Axes.

    predict_proba maps an (n, 2) array to (n,) or (n, 1) probabilities of
    class 1, or to (n, k) class probabilities; ``net.forward`` is such a function.
    """
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.figure(figsize=(6, 4.5), layout="constrained").add_subplot()
    plot = BoundaryPlot(ax, X, y, resolution)
    values = np.asarray(predict_proba(plot.points))
    plot.update(values[:, 0] if values.ndim == 2 and values.shape[1] == 1 else values, title=title)
    return ax
