"""A network drawn as TensorFlow Playground draws it: a small heatmap per neuron, edges for the weights.

Made to change shape fast: the edges are one LineCollection, and the
thumbnails and labels are painted straight into the figure's pixels (an
overlay of a FastFigure), so a new network is new positions, not new artists.
"""

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize, to_rgba_array

from .pixels import text_mask
from .style import CLASS_COLORS, HEATMAP

FRAME = np.array([160, 160, 160, 255], dtype=np.uint8)
CHOSEN = np.array([0, 0, 0, 255], dtype=np.uint8)


class NetworkMosaic:
    """Every neuron of a network as a heatmap of its output over the plane, on one axis-less Axes.

    Call ``set_layout`` with the layer sizes (inputs first), then ``update``
    with the weights and one picture per neuron; ``paint`` (called by the
    FastFigure, as an overlay) puts the thumbnails on top of the edges.
    ``size`` is a thumbnail's side in pixels: compute pictures on a size x size grid.
    """

    def __init__(self, ax, max_columns=8, max_rows=8):
        box = ax.get_window_extent()  # the Axes in pixels; its data units are pixels too
        self.ax, self.width, self.height = ax, int(box.width), int(box.height)
        self.k = k = ax.figure.dpi / 80  # pixels per pixel at the course's size: labels and margins grow with it
        self.left, self.top = int(round(box.x0)), int(round(ax.figure.bbox.height - box.y0)) - self.height
        ax.set_axis_off()
        ax.set_xlim(0, self.width)
        ax.set_ylim(0, self.height)
        self.row_top = self.height - int(16 * k)  # room for the layer captions
        pitch = min(self.row_top / max_rows, self.width / max_columns)
        self.size = int(pitch * 0.72) // 2 * 2  # even, so a thumbnail centres on a whole pixel
        self.edges = LineCollection([], zorder=1, capstyle="butt")
        ax.add_collection(self.edges)
        self.pixels = np.zeros((self.height, self.width, 4), dtype=np.uint8)  # row 0 at the bottom
        self.sizes, self.centres, self.texts = [], [], []

    @property
    def moving(self):
        return [self.edges]

    def set_layout(self, sizes, input_labels, captions):
        """Place the neurons of a network with these layer sizes (inputs first), with labels and captions."""
        self.sizes = list(sizes)
        columns, left = len(sizes), int(44 * self.k)  # room for the input labels
        xs = np.round(left + (np.arange(columns) + 0.5) * (self.width - left) / columns)
        pitch = self.row_top / max(max(sizes), 1)
        ys = [np.round(self.row_top / 2 + pitch * ((n - 1) / 2 - np.arange(n))) for n in sizes]
        self.centres = [np.column_stack([np.full(n, x), y]) for x, n, y in zip(xs, sizes, ys)]
        self.edges.set_segments([[p, q] for l in range(columns - 1)
                                 for p in self.centres[l] for q in self.centres[l + 1]])
        # texts as (mask, row of its top from the figure's top, column of its left): drawn once, cached
        self.texts = []
        for (x, y), label in zip(self.centres[0], input_labels):
            mask = text_mask(label, dpi=self.ax.figure.dpi)
            row, column = (self.height - int(y) - mask.shape[0] // 2,
                           int(x) - self.size // 2 - int(5 * self.k) - mask.shape[1])
            self.texts.append((mask, row, column))
        for x, caption in zip(xs, captions):
            mask = text_mask(caption, dpi=self.ax.figure.dpi)
            self.texts.append((mask, int(2 * self.k), int(x) - mask.shape[1] // 2))

    def update(self, weights, pictures, ranges, chosen=None):
        """Show the weights (one (n_in, n_out) array per layer) and one (size, size) picture per neuron.

        pictures -- per layer (inputs first), an array (n_neurons, size, size);
        ranges   -- per layer, the (low, high) of its colour scale;
        chosen   -- (layer, neuron) drawn with a black frame.
        """
        w = np.concatenate([W.ravel() for W in weights]) if weights else np.zeros(0)
        biggest = max(np.abs(w).max(initial=0), 1e-12)
        self.edges.set_linewidths(0.4 + 4 * np.abs(w) / biggest)
        positive, negative = to_rgba_array(CLASS_COLORS[1]), to_rgba_array(CLASS_COLORS[3])
        self.edges.set_colors(np.where((w >= 0)[:, None], positive, negative))
        self.pixels[:] = 0
        s, half = self.size, self.size // 2
        for l, (layer, (low, high)) in enumerate(zip(pictures, ranges)):
            rgba = HEATMAP(Normalize(low, high)(layer), bytes=True)
            for j, (x, y) in enumerate(self.centres[l].astype(int)):
                frame = CHOSEN if chosen == (l, j) else FRAME
                self.pixels[y - half - 2:y + half + 2, x - half - 2:x + half + 2] = frame
                if chosen != (l, j):
                    self.pixels[y - half - 1:y + half + 1, x - half - 1:x + half + 1] = 255
                self.pixels[y - half:y - half + s, x - half:x - half + s] = rgba[j]

    def paint(self, pixels):
        """Put the thumbnails and the labels into the figure's (h, w, 4) pixels."""
        region = pixels[self.top:self.top + self.height, self.left:self.left + self.width]
        mine = self.pixels[::-1]
        opaque = mine[..., 3] > 0
        region[opaque] = mine[opaque]
        for mask, row, column in self.texts:
            h, w = mask.shape
            row, column = max(row, 0), max(column, 0)
            part = region[row:row + h, column:column + w, :3]
            cover = mask[:part.shape[0], :part.shape[1], None]
            part[:] = np.rint(part * (1 - cover) + 40 * cover).astype(np.uint8)
