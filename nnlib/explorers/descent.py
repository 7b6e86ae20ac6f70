"""Gradient descent on a long, narrow bowl: how the learning rate shapes the path."""

import html

import numpy as np

from .. import checks
from ..landscape import descend, least_squares, neuron_losses, quadratic_curvatures, weight_grid
from ..network import MLP
from ..plots import FastFigure, new_figure
from .base import Explorer, int_slider, rate_slider


class LearningRateExplorer(Explorer):
    """Gradient descent on a loss landscape, with its path drawn step by step.

    A linear model y = w1 x1 + w2 x2 (no bias) fitted by mean squared error:
    its loss is a long, narrow bowl. Too small a learning rate crawls along
    the valley, a larger one zig-zags across it, and above 2 / (the steepest
    curvature) every step overshoots further: the walk diverges, and the
    readout says so.
    """

    RATES = [0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0, 1.1, 1.2, 1.5, 2.0]

    def __init__(self, X, y, lr=0.1, steps=20, start=(-2.0, 2.5), presets=None, span=4.0):
        self.X = checks.as_matrix(X, "X", 2)
        self.y = checks.vector(y, len(self.X))
        self.start = checks.coordinates(start, "start", 2, "(-2.0, 2.5)")
        span = checks.positive_number(span, "span", example=4.0)
        self.curvatures = quadratic_curvatures(self.X)
        self.net = MLP([2, 1], output="linear", loss="mse")
        controls = {"lr": rate_slider("lr", lr, self.RATES), "steps": int_slider("steps", steps, 0, 50)}
        super().__init__(controls, presets)  # checks every preset before the figure is built
        fig = new_figure(10.0, 4.0)
        ax_land, self.ax_curve = fig.subplots(1, 2, width_ratios=[1.2, 1])
        W, extent = weight_grid(span, 81)
        best = least_squares(self.X, self.y)
        W = W + best[:, None]  # centre the view on the bottom of the bowl
        extent = (extent[0] + best[0], extent[1] + best[0], extent[2] + best[1], extent[3] + best[1])
        values = neuron_losses(self.X, self.y, W, 0.0, "mse", "linear").reshape(81, 81)
        ax_land.contour(np.linspace(*extent[:2], 81), np.linspace(*extent[2:], 81), values,
                        levels=np.geomspace(values.min() + 1e-3, values.max(), 12), cmap="viridis")
        ax_land.plot(*best, "*", color="black", ms=12, label="minimum")
        ax_land.set(xlim=extent[:2], ylim=extent[2:], xlabel="$w_1$", ylabel="$w_2$", aspect="equal")
        (self.path_line,) = ax_land.plot([], [], "o-", color="#D55E00", ms=4, lw=1.5, label="gradient descent")
        ax_land.legend(loc="upper right", fontsize=8)
        self.title = ax_land.set_title("")
        (self.curve,) = self.ax_curve.semilogy([], [], "o-", color="#0072B2", ms=3)
        self.ax_curve.set(xlim=(0, 50), ylim=(1e-3, 1e4), xlabel="step", ylabel="loss (mean squared error)")
        self.figure = FastFigure(fig, [self.path_line, self.title, self.curve])
        self.draw_first()

    def loss_and_gradient(self, weights):
        self.net.weights, self.net.biases = [weights[:, None]], [np.zeros(1)]  # the bias stays at 0
        return self.net.loss(self.X, self.y), self.net.gradients(self.X, self.y)[0][0][:, 0]

    def redraw(self, changed):
        lr, steps = self.state["lr"], self.state["steps"]
        start_loss = self.loss_and_gradient(self.start)[0]
        self.path, self.losses, self.diverged_at = descend(self.loss_and_gradient, self.start, lr, steps,
                                                           limit=5 * start_loss)
        self.loss = float(self.losses[-1])
        self.path_line.set_data(*self.path.T)
        self.curve.set_data(np.arange(len(self.losses)), self.losses)
        limit = 2 / self.curvatures[-1]
        if self.diverged_at is not None:
            self.message = (f"Diverged at step {self.diverged_at}: every step overshoots the valley and lands "
                            "higher up. Here gradient descent diverges for learning rates above "
                            f"2 / {self.curvatures[-1]:.2f} = {limit:.2f}; try a smaller one.")
            status = f"<br><span style='color:#D55E00'>⚠ {html.escape(self.message)}</span>"
            self.title.set_text(f"lr = {lr:g}: diverged at step {self.diverged_at}")
        else:
            self.message = ""
            status = ""
            self.title.set_text(f"lr = {lr:g}: loss {self.loss:.4f} after {steps} steps")
        self.png = self.figure.png()
        self.readout.value = (f"<b>loss {self.loss:.4f} after {len(self.losses) - 1} steps</b>"
                              f"   (diverges above lr = {limit:.2f}){status}")
