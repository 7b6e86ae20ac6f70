"""Figures redrawn fast enough to follow a slider, and shown as PNG bytes."""

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image


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
