"""Pictures of networks (matplotlib): decision boundaries, network diagrams, charts, fast redraw.

Nothing here computes a network: each picture is given the numbers it shows.
"""

from .boundary import BoundaryPlot, contour_segments, grid, plot_decision_boundary
from .charts import plot_activations, plot_confusion_matrix, plot_digit_gallery, plot_loss_curve
from .diagram import NetworkDiagram, NeuronThumbnails, plot_network
from .fast import FastFigure, new_figure
from .style import CLASS_COLORS, HEATMAP, HIDDEN_COLORS, MARKERS, set_display

__all__ = ["CLASS_COLORS", "HEATMAP", "HIDDEN_COLORS", "MARKERS", "BoundaryPlot", "FastFigure", "NetworkDiagram",
           "NeuronThumbnails", "contour_segments", "grid", "new_figure", "plot_activations", "plot_confusion_matrix",
           "plot_decision_boundary", "plot_digit_gallery", "plot_loss_curve", "plot_network", "set_display"]
