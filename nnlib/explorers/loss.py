"""A neuron beside its loss landscape: where the loss is, and which way is downhill."""

import ipywidgets as w
import numpy as np

from .. import checks
from ..landscape import neuron_losses, weight_grid
from ..layer import dense_forward
from ..network import MLP
from ..plots import BoundaryPlot, FastFigure, new_figure
from .base import WEIGHT_LIMITS, Explorer, choices, slider


class LossExplorer(Explorer):
    """One sigmoid neuron: its decision boundary beside its loss landscape.

    The landscape is the loss over (w1, w2) with b held at the slider's value;
    the white dot is the current weights and the white line points downhill,
    as long as the gradient (scaled). Switch the loss to see mean squared
    error go flat where the neuron is confidently wrong.
    """

    LOSSES = {"cross-entropy": "binary_cross_entropy", "mse": "mse"}
    LIMITS = {"binary_cross_entropy": 3.0, "mse": 0.5}
    limits = dict.fromkeys(["w1", "w2", "b"], WEIGHT_LIMITS)  # the sliders widen to show any of these

    def __init__(self, X, y, w1=1.0, w2=1.0, b=0.0, loss="cross-entropy", presets=None, resolution=50,
                 landscape=41, span=10.0):
        self.X = checks.as_matrix(X, "X", 2)
        self.y = checks.class_labels(y, len(self.X))
        resolution = checks.whole_number(resolution, "resolution", 2, 400, example=50)
        landscape = checks.whole_number(landscape, "landscape", 2, 400, example=41)
        controls = {"w1": slider("w1", w1), "w2": slider("w2", w2), "b": slider("b", b),
                    "loss": choices("loss", self.LOSSES, loss, widget=w.ToggleButtons)}
        super().__init__(controls, presets)  # checks every preset before the figure is built
        fig = new_figure(10.0, 4.2)
        ax_plane, self.ax_land = fig.subplots(1, 2)
        self.plot = BoundaryPlot(ax_plane, self.X, self.y, resolution)
        self.weight_grid, extent = weight_grid(span, landscape)  # (2, L*L): one column per (w1, w2)
        self.landscape = self.ax_land.imshow(np.zeros((landscape, landscape)), origin="lower", cmap="viridis",
                                             extent=extent, interpolation="bilinear")
        self.bar = fig.colorbar(self.landscape, ax=self.ax_land, shrink=0.8, pad=0.02)
        (self.arrow,) = self.ax_land.plot([], [], color="white", lw=2.5)
        (self.dot,) = self.ax_land.plot([], [], "o", color="white", mec="black", ms=9)
        self.ax_land.set_xlabel("$w_1$")
        self.ax_land.set_ylabel("$w_2$")
        self.land_title = self.ax_land.set_title("")
        self.net = MLP([2, 1], output="sigmoid")
        self._landscape_key = None
        self.figure = FastFigure(fig, [*self.plot.moving, self.landscape, self.arrow, self.dot, self.land_title])
        self.draw_first()

    def loss_name(self):
        return self.LOSSES[self.state["loss"]]

    def landscape_values(self):
        """Return the loss at every (w1, w2) of the grid, with b fixed, shape (L, L)."""
        values = neuron_losses(self.X, self.y, self.weight_grid, self.state["b"], self.loss_name())
        L = self.landscape.get_array().shape[0]
        return values.reshape(L, L)

    def redraw(self, changed):
        s = self.state
        self.net.loss_name = self.loss_name()
        self.net.weights, self.net.biases = [np.array([[s["w1"]], [s["w2"]]])], [np.array([s["b"]])]
        key = (s["b"], s["loss"])
        if key != self._landscape_key:  # the landscape depends on b and the loss, not on w1, w2
            self.landscape.set_data(self.landscape_values())
            if self._landscape_key is None or self._landscape_key[1] != s["loss"]:
                self.landscape.set_clim(0, self.LIMITS[self.loss_name()])
                self.bar.set_label(f"{s['loss']} loss, with b fixed")
                self.figure.invalidate()
            self._landscape_key = key
        self.loss = self.net.loss(self.X, self.y)
        self.accuracy = self.net.accuracy(self.X, self.y)
        dW, _ = self.net.gradients(self.X, self.y)
        self.gradient = dW[0][:, 0]  # (2,): dL/dw1, dL/dw2
        self.gradient_norm = float(np.linalg.norm(self.gradient))
        tip = np.array([s["w1"], s["w2"]]) - 3 * self.gradient
        self.arrow.set_data([s["w1"], tip[0]], [s["w2"], tip[1]])
        self.dot.set_data([s["w1"]], [s["w2"]])
        z, a = dense_forward(self.plot.points, *self.net.weights, *self.net.biases, "sigmoid")
        text = f"loss {self.loss:.4f}   accuracy {self.accuracy:.0%}   |gradient| {self.gradient_norm:.4f}"
        self.plot.update(a[:, 0], contour=z[:, 0], level=0.0, title=f"accuracy {self.accuracy:.0%}")
        self.land_title.set_text(f"{s['loss']}: {self.loss:.4f}   |∇L| = {self.gradient_norm:.4f}")
        self.png = self.figure.png()
        self.readout.value = f"<b>{text}</b>"
