"""The course's colours and markers, one place for every picture.

Colours are the Okabe-Ito palette, readable with the common colour-vision
deficiencies, and the classes also differ by marker shape.
"""

from matplotlib.colors import LinearSegmentedColormap

# Okabe-Ito: orange, blue, bluish green, vermillion, sky blue, reddish purple, yellow, black.
CLASS_COLORS = ["#E69F00", "#0072B2", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
# Class 0 orange, through white at the boundary, to class 1 blue.
HEATMAP = LinearSegmentedColormap.from_list("nnlib_orange_blue", ["#E69F00", "#FFFFFF", "#0072B2"])
# Colours of the hidden neurons' own lines (Okabe-Ito bluish green and reddish purple).
HIDDEN_COLORS = ["#009E73", "#CC79A7"]
