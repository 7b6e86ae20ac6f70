"""The course's colours and markers, one place for every picture.

Colours are the Okabe-Ito palette, readable with the common colour-vision
deficiencies, and the classes also differ by marker shape.
"""

import os

from matplotlib.colors import LinearSegmentedColormap

from .. import checks

# Okabe-Ito: orange, blue, bluish green, vermillion, sky blue, reddish purple, yellow, black.
CLASS_COLORS = ["#E69F00", "#0072B2", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
# Class 0 orange, through white at the boundary, to class 1 blue.
HEATMAP = LinearSegmentedColormap.from_list("nnlib_orange_blue", ["#E69F00", "#FFFFFF", "#0072B2"])
# Colours of the hidden neurons' own lines (Okabe-Ito bluish green and reddish purple).
HIDDEN_COLORS = ["#009E73", "#CC79A7"]

# How big the live pictures are: scale enlarges them and their text (1.5 for a projector); pixels=2
# renders twice the pixels shown at the same size, crisp on a high-DPI screen. See set_display.
# The environment variables NNLIB_SCALE and NNLIB_PIXELS, set before Jupyter starts, set them for every lesson.
DISPLAY = {"scale": 1.0, "pixels": 1}
DPI = 80  # pixels per inch at scale 1: a 10-inch-wide explorer is 800 pixels wide


def set_display(scale=1.0, pixels=1):
    """Set the size of the pictures explorers made from now on draw: ``set_display(1.5)`` to project.

    scale  -- 1 is the course's size; 1.5 is half as large again, text included.
    pixels -- 1, or 2 for twice the pixels in each direction, shown at the same size (sharp on a
              2x screen; each picture costs more time to draw and to send).
    """
    DISPLAY.update(scale=checks.number(scale, "scale", 0.5, 4, example=1.5),
                   pixels=checks.whole_number(pixels, "pixels", 1, 2, example=2))


def dpi():
    """Return the dots per inch of a new figure: the course's DPI times the display's scale and pixels."""
    return DPI * DISPLAY["scale"] * DISPLAY["pixels"]


for _name, _key, _read in (("NNLIB_SCALE", "scale", float), ("NNLIB_PIXELS", "pixels", int)):
    if _name in os.environ:  # set before Jupyter starts; a bad value is named, and the course still starts
        try:
            set_display(**{**DISPLAY, _key: _read(os.environ[_name])})
        except ValueError as err:
            import warnings
            warnings.warn(f"{_name}={os.environ[_name]!r} ignored: {err}", stacklevel=1)
