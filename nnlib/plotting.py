"""Pictures of networks: decision boundaries, activations, loss curves.

This module draws; it never computes a network itself. Whatever it shows is
passed in (a grid of outputs, a loss history) or computed by calling a
function it is given.

Colours are the Okabe-Ito palette, readable with the common colour-vision
deficiencies, and the classes also differ by marker shape.
"""

import io

import contourpy
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image

# Okabe-Ito: orange, blue, bluish green, vermillion, sky blue, reddish purple, yellow, black.
CLASS_COLORS = ["#E69F00", "#0072B2", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
# Class 0 orange, through white at the boundary, to class 1 blue.
HEATMAP = LinearSegmentedColormap.from_list("nnlib_orange_blue", ["#E69F00", "#FFFFFF", "#0072B2"])


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
        """The artists that change on every update (drawn after the still background)."""
        return [self.image, self.boundary, *self.scatters, self.title]

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
            others = [np.delete(values, c, axis=1).max(axis=1) for c in range(values.shape[1])]
            segments = [s for c in range(values.shape[1])
                        for s in contour_segments((values[:, c] - others[c]).reshape(G, G), self.extent, 0.0)]
        else:
            values = values.reshape(G, G)
            self.image.set_data(values)
            source = values if contour is None else np.asarray(contour).reshape(G, G)
            segments = contour_segments(source, self.extent, level)
        self.boundary.set_segments(segments)
        if title is not None:
            self.title.set_text(title)


class FastFigure:
    """A matplotlib figure turned into PNG bytes quickly, again and again.

    Drawing axes, ticks and labels is most of matplotlib's time, and they do
    not change when a slider moves. So the still parts are drawn once and
    kept as a bitmap (the "background"); each call to ``png`` pastes that
    bitmap and draws only the moving artists on top ("blitting").
    """

    def __init__(self, fig, moving):
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.moving = list(moving)
        for artist in self.moving:
            artist.set_animated(True)
        self.background = None

    def invalidate(self):
        """Redraw the background on the next call (after axes, limits or colour bars changed)."""
        self.background = None

    def png(self):
        """Return the figure as PNG bytes."""
        if self.background is None:
            if self.fig.get_layout_engine() is not None:
                self.canvas.draw()  # lets the layout engine place everything once, titles included...
                self.fig.set_layout_engine("none")  # ...then freezes it, so every picture has the same frame
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self.background)
        for artist in self.moving:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        image.convert("RGB").save(out, format="png", compress_level=1)
        return out.getvalue()


def new_figure(width=6.4, height=4.0, dpi=80):
    """Return a matplotlib Figure that is not managed by pyplot (so it never shows twice)."""
    return Figure(figsize=(width, height), dpi=dpi, layout="constrained")


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


def plot_activations(activations, z=None):
    """Plot each named activation (solid) and its derivative (dashed); return the Figure."""
    import matplotlib.pyplot as plt

    from . import activations as act

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
