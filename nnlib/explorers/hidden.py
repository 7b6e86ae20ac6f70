"""A 2-2-1 network with a slider for every parameter: hidden neurons as lines in the plane."""

import ipywidgets as w
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from .. import checks
from ..examples import TWO_TWO_ONE, two_two_one
from ..plots import HIDDEN_COLORS, BoundaryPlot, FastFigure, NetworkDiagram, contour_segments, new_figure
from ..yours import YourMLP
from .base import WEIGHT_LIMITS, Explorer, choices, slider


class HiddenLayerExplorer(Explorer):
    """A 2-2-1 network with a slider for each of its 9 parameters.

    Names: w{i}{j} is the weight from input i to hidden neuron j (W1[i-1, j-1]),
    b{j} hidden neuron j's bias, v{j} the weight from hidden neuron j to the
    output (W2[j-1, 0]) and c the output's bias. The left picture shows the
    output over the plane, the output's decision boundary (solid) and each
    hidden neuron's own line z = 0 (dashed); the right one shows the network
    with the activations for the sample chosen in "sample".
    """

    limits = dict.fromkeys(TWO_TWO_ONE, WEIGHT_LIMITS)  # the sliders widen to show any of these
    accepts = ("forward",)  # forward=mlp_forward runs yours (lesson 02): see nnlib/yours.py

    def __init__(self, X, y, values=None, hidden="sigmoid", presets=None, resolution=60, forward=None):
        self.X = checks.as_matrix(X, "X", 2)
        self.y = checks.class_labels(y, len(self.X))
        values = dict.fromkeys(TWO_TWO_ONE, 0.5) | checks.known_keys(values or {}, TWO_TWO_ONE, "values", "parameter")
        resolution = checks.whole_number(resolution, "resolution", 2, 400, example=60)
        controls = {name: slider(name, values[name], -20.0, 20.0, 0.5) for name in TWO_TWO_ONE}
        controls["hidden"] = choices("hidden", ["sigmoid", "tanh", "relu", "step", "linear"], hidden)
        controls["sample"] = w.Dropdown(options=[(f"x = {tuple(x)}", i) for i, x in enumerate(self.X.tolist())][:16],
                                        value=0, description="sample")
        super().__init__(controls, presets)  # checks every preset before the figure is built
        fig = new_figure(10.0, 4.2)
        ax_plane, ax_net = fig.subplots(1, 2, width_ratios=[1.35, 1])
        hidden_handles = [Line2D([], [], color=HIDDEN_COLORS[j], lw=2, ls="--", label=f"hidden neuron {j + 1}")
                          for j in range(2)]
        self.plot = BoundaryPlot(ax_plane, self.X, self.y, resolution, extra_handles=hidden_handles)
        self.hidden_lines = [LineCollection([], colors=HIDDEN_COLORS[j], linewidths=2, linestyles="--")
                             for j in range(2)]
        for lines in self.hidden_lines:
            ax_plane.add_collection(lines)
        self.diagram = NetworkDiagram(ax_net, [2, 2, 1])
        self.figure = FastFigure(fig, [*self.plot.moving, *self.hidden_lines, *self.diagram.moving])
        self.draw_first()
        if forward is not None:
            self.use(forward=forward)

    def redraw(self, changed):
        self.net = YourMLP.like(two_two_one(self.state, self.state["hidden"]), **self.yours)
        W1, W2 = self.net.weights
        self.loss = self.net.loss(self.X, self.y)
        self.accuracy = self.net.accuracy(self.X, self.y)
        zs, activations = self.net.forward_all(self.plot.points)
        for j, lines in enumerate(self.hidden_lines):
            lines.set_segments(contour_segments(zs[0][:, j].reshape(self.plot.resolution, -1),
                                               self.plot.extent, 0.0))
        text = f"loss {self.loss:.4f}   accuracy {self.accuracy:.0%}"
        self.plot.update(activations[-1][:, 0], title=text)
        x = self.X[self.state["sample"]][None, :]
        self.diagram.update([W1, W2], [a[0] for a in self.net.forward_all(x)[1]], value_range=(0, 1))
        self.net.forward_all(self.X)  # your forward's difference from nnlib's, on the data
        self.png = self.figure.png()
        self.readout.value = f"<b>{text}</b>" + self.your_lines()
