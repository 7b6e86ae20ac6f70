"""Figures redrawn fast enough to follow a slider, and shown as PNG bytes."""

import struct
import zlib

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from . import style
from .pixels import paint_text


def png_bytes(pixels, level=1):
    """Return an (h, w, 3) RGB or (h, w, 4) RGBA uint8 array as RGB PNG bytes: lossless and repeatable.

    Every row is stored unfiltered and zlib does the rest. For these pictures
    (flat backgrounds, smooth heatmaps) that is both smaller and several times
    faster than the adaptive row filters general-purpose encoders try first.
    """
    h, w = pixels.shape[:2]
    if pixels.shape[2] == 4:  # PIL drops the alpha channel ten times faster than a numpy slice copies
        pixels = Image.frombuffer("RGBA", (w, h), np.ascontiguousarray(pixels), "raw", "RGBA", 0, 1).convert("RGB")
    rows = np.zeros((h, 1 + 3 * w), dtype=np.uint8)  # each row: filter type 0 (none), then its pixels
    rows[:, 1:] = np.asarray(pixels).reshape(h, 3 * w)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8 bits per channel, RGB, no interlacing
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes(), level))
            + chunk(b"IEND", b""))


class FastFigure:
    """A matplotlib figure turned into PNG bytes quickly, again and again.

    Drawing axes, ticks and labels is most of matplotlib's time, and they do
    not change when a slider moves. So the still parts are drawn once and
    kept as a bitmap (the "background"); each call to ``png`` pastes that
    bitmap and draws only the moving artists on top ("blitting").

    underlays and overlays paint pixels themselves, which is faster than
    matplotlib for a picture made of many small images: each has a method
    ``paint(pixels)`` that writes into the figure's (h, w, 4) RGBA pixels,
    underlays before the moving artists are drawn, overlays after. A painter
    among the moving artists paints in its turn (a heatmap under the points).
    """

    def __init__(self, fig, moving, underlays=(), overlays=()):
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.moving = list(moving)
        self.underlays, self.overlays = list(underlays), list(overlays)
        self.backgrounds, self.background_key = {}, None
        for artist in self.moving:
            if not hasattr(artist, "paint"):  # a painter (see pixels.py) paints itself, in its turn
                artist.set_animated(True)
        self.background = None

    def invalidate(self):
        """Redraw the background on the next call (after axes, limits or colour bars changed)."""
        self.background, self.backgrounds = None, {}

    def use_background(self, key):
        """Switch between still backgrounds that come back (a figure's few looks), each drawn once.

        key names everything the background shows that can change (say, the
        problem type and the axis limits); a key seen before is not redrawn.
        """
        if key != self.background_key:
            if self.background is not None:
                self.backgrounds[self.background_key] = self.background
            self.background_key, self.background = key, self.backgrounds.get(key)

    def render(self):
        """Draw the figure (the background once, then the moving artists); return its (h, w, 4) RGBA pixels."""
        if self.background is None:
            if self.fig.get_layout_engine() is not None:
                self.canvas.draw()  # lets the layout engine place everything once, titles included...
                self.fig.set_layout_engine("none")  # ...then freezes it, so every picture has the same frame
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self.background)
        pixels = np.asarray(self.canvas.buffer_rgba())  # (h, w, 4), the canvas itself: painting changes it
        for layer in self.underlays:
            layer.paint(pixels)
        for artist in self.moving:  # texts from cached letters where they can be: several times faster
            if hasattr(artist, "paint"):
                artist.paint(pixels)
            elif artist.get_visible() and not (isinstance(artist, Text) and paint_text(pixels, artist)):
                self.fig.draw_artist(artist)
        for layer in self.overlays:
            layer.paint(pixels)
        return pixels

    def png(self):
        """Return the figure as PNG bytes."""
        return png_bytes(self.render())


def new_figure(width=6.4, height=4.0, dpi=None):
    """Return a matplotlib Figure that is not managed by pyplot (so it never shows twice).

    Its dpi is by default the display's (style.set_display): width and height are in inches.
    """
    return Figure(figsize=(width, height), dpi=dpi or style.dpi(), layout="constrained")
