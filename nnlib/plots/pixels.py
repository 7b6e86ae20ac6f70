"""Pictures painted straight into a figure's pixels: a FastFigure's underlays and overlays.

matplotlib resamples, colour-maps and composites every image on every draw,
and lays out every text anew. For pictures redrawn many times a second it is
faster to do those few things in numpy, once per picture, at the exact size
of the Axes they fill. What is painted is deterministic: same numbers, same pixels.
"""

import functools

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.text import Text


def axes_box(ax):
    """Return (top, left, height, width): the pixels inside ax's frame, in a FastFigure's (h, w, 4) pixels."""
    box = ax.get_window_extent()
    figure_height = int(round(ax.figure.bbox.height))
    left, right = int(np.ceil(box.x0)) + 1, int(np.floor(box.x1)) - 1  # inside the frame's lines
    bottom, top = int(np.ceil(box.y0)) + 1, int(np.floor(box.y1)) - 1
    return figure_height - top, left, top - bottom, right - left


def resize_matrix(n_out, n_in, nearest=False):
    """Return the (n_out, n_in) matrix that resamples n_in values, first and last at the edges, to n_out."""
    t = (np.arange(n_out) + 0.5) / n_out * (n_in - 1)  # each output pixel's centre, in input steps
    if nearest:
        return np.eye(n_in)[np.round(t).astype(int)]
    i = np.minimum(t.astype(int), n_in - 2)
    M = np.zeros((n_out, n_in))
    M[np.arange(n_out), i], M[np.arange(n_out), i + 1] = 1 - (t - i), t - i
    return M


class PixelHeatmap:
    """A G x G grid of values filling an Axes, smoothly (bilinear) or in blocks (nearest).

    Numbers are resampled first and coloured after, through the colour map's 256 colours,
    as matplotlib's imshow does: fewer distinct colours make a PNG several times smaller.
    """

    def __init__(self, ax, cmap, resolution):
        self.ax, self.cmap, self.resolution = ax, cmap, resolution
        self.rgb, self.values, self.nearest, self.box = np.full((resolution, resolution, 3), 255.0), None, False, None
        self.colors = cmap(np.linspace(0, 1, 256), bytes=True)[:, :3]  # (256, 3): the colour map as a table
        self.matrices = {}

    def set_data(self, values, value_range=(0, 1), nearest=False):
        """values: (G, G) numbers coloured by the colour map over value_range, or (G, G, 3) RGB in [0, 1]."""
        if values.ndim == 3:
            self.rgb, self.values = values.clip(0, 1) * 255.0, None
        else:
            low, high = value_range
            values = (np.asarray(values, dtype=float) - low) / (high - low or 1)
            self.blank = np.isnan(values)  # no number (a NaN): painted white, as imshow leaves it
            self.values = np.nan_to_num(values).clip(0, 1)
        self.nearest = nearest

    def grid_rgb(self):
        """Return the (G, G, 3) colours of the grid itself (0..255), before resampling to the Axes' pixels."""
        if self.values is None:
            return self.rgb
        return self.colors[np.minimum(self.values * 256, 255).astype(np.uint8)].astype(float)

    def paint(self, pixels):
        if self.box is None:
            self.box = axes_box(self.ax)
        top, left, h, w = self.box
        key = (h, w, self.nearest)
        if key not in self.matrices:
            G = self.resolution
            self.matrices[key] = resize_matrix(h, G, self.nearest)[::-1], resize_matrix(w, G, self.nearest)
        rows, columns = self.matrices[key]  # rows flipped: the grid's first row is the bottom
        region = pixels[top:top + h, left:left + w]
        if self.values is not None:  # resample the numbers (two small matrix products), then colour them
            index = np.minimum(rows @ self.values @ columns.T * 256, 255).astype(np.uint8)  # (h, w), as matplotlib
            region[..., :3] = self.colors[index]
            if self.blank.any():
                region[(rows @ self.blank @ columns.T) > 0.5, :3] = 255
            return
        for c in range(3):  # bilinear (or nearest) resampling is two small matrix products per colour
            region[..., c] = rows @ self.rgb[..., c] @ columns.T + 0.5


@functools.lru_cache(maxsize=128)
def text_mask(text, fontsize=8, dpi=80):
    """Return a text drawn once, as an (h, w) coverage mask from 0 to 1 (cached: labels repeat)."""
    fig = Figure(figsize=(max(1, 0.1 * len(text)), 0.4), dpi=dpi)
    fig.text(0.02, 0.5, text, fontsize=fontsize, va="center")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    coverage = 1 - np.asarray(canvas.buffer_rgba())[..., 0] / 255.0
    rows, cols = np.flatnonzero(coverage.max(axis=1)), np.flatnonzero(coverage.max(axis=0))
    if not len(rows):
        return np.zeros((1, 1))
    return coverage[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


@functools.lru_cache(maxsize=512)
def glyph(char, fontsize=10, dpi=80):
    """Return (mask, bearing, advance) for one letter: its (h, w) coverage on a baseline shared by every
    letter of this size, where its ink starts after the pen, and how far the pen then moves (pixels)."""
    height = int(fontsize * 1.6 * dpi / 72)
    fig = Figure(figsize=(fontsize * 1.5 / 72, height / dpi), dpi=dpi)
    fig.text(0.1, 0.3, char, fontsize=fontsize, va="baseline")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    coverage = 1 - np.asarray(canvas.buffer_rgba())[..., 0] / 255.0
    font = get_font(findfont(FontProperties()))
    font.set_size(fontsize, dpi)
    metrics = font.load_char(ord(char))
    cols = np.flatnonzero(coverage.max(axis=0))
    mask = coverage[:, cols[0]:cols[-1] + 1] if len(cols) else np.zeros((coverage.shape[0], 0))
    return mask, metrics.horiBearingX / 64, metrics.horiAdvance / 64


def line_mask(string, fontsize=10, dpi=80):
    """Return a line of text as an (h, w) coverage mask, its letters placed as the font spaces them."""
    letters = [glyph(c, fontsize, dpi) for c in string]
    pens = np.cumsum([0.0] + [advance for _, _, advance in letters])
    width = int(np.ceil(max(pens[-1], max(p + b + m.shape[1] for p, (m, b, _) in zip(pens, letters)))))
    mask = np.zeros((letters[0][0].shape[0], width + 1))
    for pen, (m, bearing, _) in zip(pens, letters):
        left = max(int(round(pen + bearing)), 0)
        region = mask[:, left:left + m.shape[1]]
        np.maximum(region, m[:, :region.shape[1]], out=region)
    return mask


class PixelText:
    """A line of text centred above an Axes, painted from cached letters: cheap when it changes every picture."""

    def __init__(self, ax, fontsize=10, gap=3):
        self.ax, self.fontsize, self.gap, self.text = ax, fontsize, gap, ""

    def set_text(self, text):
        self.text = text

    def get_text(self):
        return self.text

    def paint(self, pixels):
        if not self.text:
            return
        dpi = self.ax.figure.dpi
        mask = line_mask(self.text, self.fontsize, dpi)
        box = self.ax.get_window_extent()
        h, w = mask.shape
        top = int(round(self.ax.figure.bbox.height - box.y1)) - h - round(self.gap * dpi / 80) + h // 4
        left = int(round((box.x0 + box.x1) / 2 - w / 2))
        part = pixels[max(top, 0):top + h, max(left, 0):left + w, :3]
        cover = mask[-part.shape[0]:, :part.shape[1], None]
        part[:] = np.rint(part * (1 - cover)).astype(np.uint8)  # black text


def paint_text(pixels, text):
    """Paint a matplotlib Text into a figure's (h, w, 4) pixels from cached letters; return False if it cannot.

    Drawing text is most of matplotlib's time for a picture whose numbers change
    with every slider move; pasting cached letters takes a fraction of it. Plain,
    unrotated, normal-weight, one-line text only: anything else (mathtext,
    rotation, bold) is left to matplotlib (False).
    """
    string = text.get_text()
    if (not string or "$" in string or "\n" in string or text.get_rotation() != 0 or type(text) is not Text
            or text.get_fontweight() not in ("normal", 400) or text.get_fontstyle() != "normal"
            or text.get_bbox_patch() is not None or text.get_usetex() or text.get_alpha() not in (None, 1)
            or text.get_path_effects() or text.get_fontproperties().get_family() != FontProperties().get_family()):
        return not string  # nothing to draw counts as drawn
    dpi = text.figure.dpi
    mask = line_mask(string, text.get_fontsize(), dpi)
    h, w = mask.shape
    x, y = text.get_transform().transform(text.get_unitless_position())  # display pixels, from the bottom
    y = pixels.shape[0] - y  # from the top
    left = x - {"left": 0, "center": w / 2, "right": w}[text.get_horizontalalignment()]
    baseline = 0.7 * h  # where glyph() puts the baseline, from the top of a letter
    ink = 0.35 * text.get_fontsize() * dpi / 72  # about half the height of a digit or capital
    top = y - {"baseline": baseline, "bottom": baseline + 0.3 * h * 0.5, "top": baseline - 2 * ink,
               "center": baseline - ink, "center_baseline": baseline - ink}[text.get_verticalalignment()]
    top, left = int(round(top)), int(round(left))
    part = pixels[max(top, 0):top + h, max(left, 0):left + w, :3]
    cover = mask[max(-top, 0):, max(-left, 0):][:part.shape[0], :part.shape[1], None]
    color = np.array(to_rgb(text.get_color())) * 255
    part[:] = np.rint(part * (1 - cover) + color * cover).astype(np.uint8)
    return True
