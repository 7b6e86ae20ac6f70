"""Explorers of one neuron: set its weights by hand, or watch gradient descent set them."""

import html

import ipywidgets as w
import numpy as np

from .. import checks, losses
from ..layer import dense_forward
from ..metrics import accuracy
from ..network import MLP
from ..plots import BoundaryPlot, FastFigure, new_figure
from .base import WEIGHT_LIMITS, Explorer, choices, rate_slider, slider


class NeuronExplorer(Explorer):
    """One neuron a = f(w1 x1 + w2 x2 + b) over 2-D data, with a slider for each parameter.

    The heatmap shows the output a, the black line is where z = 0 (the neuron
    answers 1 on the side where z >= 0), and the readout gives the loss
    1/(2n) sum (a - y)^2 and the accuracy.
    """

    RANGES = {"step": (0, 1), "sigmoid": (0, 1), "tanh": (-1, 1), "relu": (-2, 2), "linear": (-2, 2)}
    limits = dict.fromkeys(["w1", "w2", "b"], WEIGHT_LIMITS)  # the sliders widen to show any of these

    def __init__(self, X, y, w1=1.0, w2=1.0, b=0.0, activation="sigmoid", presets=None, title="",
                 resolution=60):
        self.X = checks.as_matrix(X, "X", 2)
        self.y = checks.class_labels(y, len(self.X))
        self.title = str(title)
        resolution = checks.whole_number(resolution, "resolution", 2, 400, example=60)
        controls = {"w1": slider("w1", w1), "w2": slider("w2", w2), "b": slider("b", b),
                    "activation": choices("activation", self.RANGES, activation)}
        super().__init__(controls, presets)  # checks every preset before the figure is built
        fig = new_figure(6.4, 4.0)
        self.plot = BoundaryPlot(fig.add_subplot(), self.X, self.y, resolution, label="neuron output a")
        self.figure = FastFigure(fig, self.plot.moving)
        self.draw_first()

    def redraw(self, changed):
        s = self.state
        W, b = np.array([[s["w1"]], [s["w2"]]]), np.array([s["b"]])  # (2, 1), (1,)
        if changed is None or changed is self.controls["activation"]:
            self.plot.set_range(*self.RANGES[s["activation"]])
            self.figure.use_background(self.RANGES[s["activation"]])  # the colour bar's range: each drawn once
        z, a = dense_forward(self.X, W, b, s["activation"])  # (n, 1) each
        self.loss = losses.mse(a, self.y[:, None])
        self.accuracy = accuracy(self.y, z[:, 0] >= 0)  # the neuron says 1 where z >= 0
        z_grid, a_grid = dense_forward(self.plot.points, W, b, s["activation"])  # (G*G, 1)
        text = f"loss {self.loss:.4f}   accuracy {self.accuracy:.0%}"
        self.plot.update(a_grid[:, 0], contour=z_grid[:, 0], level=0.0,
                         title=f"{self.title}  {text}".strip())
        self.png = self.figure.png()
        self.readout.value = f"<b>{text}</b>"


class NeuronTrainer(Explorer):
    """One sigmoid neuron trained by gradient descent; drag the epoch slider or press play.

    Changing the learning rate retrains from the same starting weights, so
    different learning rates can be compared fairly. Training runs in full
    batches with binary cross-entropy (nnlib's MLP([2, 1])).
    """

    def __init__(self, X, y, lr=0.5, epochs=100, w1=-1.0, w2=0.5, b=0.5, presets=None, resolution=50):
        self.X = checks.as_matrix(X, "X", 2)
        self.y = checks.class_labels(y, len(self.X))
        w1, w2, b = (checks.number(v, name, *WEIGHT_LIMITS) for v, name in ((w1, "w1"), (w2, "w2"), (b, "b")))
        self.start = (np.array([[w1], [w2]]), np.array([b]))
        self.epochs = checks.positive_int(epochs, "epochs", example=100)
        resolution = checks.whole_number(resolution, "resolution", 2, 400, example=50)
        controls = {"lr": rate_slider("lr", lr),  # round numbers, plus the one asked for
                    "epoch": w.IntSlider(value=0, min=0, max=self.epochs, description="epoch")}
        self.play = w.Play(min=0, max=self.epochs, interval=40, description="play")  # up to 25 epochs a second
        # linked in the kernel, not in the browser (jslink), so it also works where jslink does not (Colab)
        w.link((self.play, "value"), (controls["epoch"], "value"))
        super().__init__(controls, presets)  # checks every preset before the figure is built
        fig = new_figure(9.6, 3.6)
        ax_boundary, self.ax_loss = fig.subplots(1, 2, width_ratios=[1.3, 1])
        self.plot = BoundaryPlot(ax_boundary, self.X, self.y, resolution)
        (self.loss_line,) = self.ax_loss.plot([], [], color="#0072B2", lw=2)
        (self.marker,) = self.ax_loss.plot([], [], "o", color="#D55E00", ms=8)
        self.ax_loss.set_xlabel("epoch")
        self.ax_loss.set_ylabel("loss (binary cross-entropy)")
        self.ax_loss.set_ylim(0, 1)
        self.figure = FastFigure(fig, [*self.plot.moving, self.loss_line, self.marker])
        self.draw_first()

    def train(self):
        """Train from the starting weights; keep the weights and loss after every epoch."""
        net = MLP([2, 1], output="sigmoid", seed=0)
        net.weights, net.biases = [self.start[0].copy()], [self.start[1].copy()]
        self.snapshots = [(net.weights[0], net.biases[0])]
        self.history = net.fit(self.X, self.y, epochs=self.epochs, lr=self.controls["lr"].value,
                               on_epoch=lambda epoch, n: self.snapshots.append((n.weights[0], n.biases[0])))
        self.curve = [losses.binary_cross_entropy(dense_forward(self.X, W, b, "sigmoid")[1], self.y[:, None])
                      for W, b in self.snapshots]
        self.loss_line.set_data(np.arange(len(self.curve)), self.curve)
        if self.ax_loss.get_ylim()[1] == 1:  # first training: fix the axes once. Every rate starts from the
            self.ax_loss.set_xlim(0, self.epochs)  # same weights, so the first loss is the same; a rate that
            self.ax_loss.set_ylim(0, 1.2 * self.curve[0])  # climbs higher runs off the top, as it should
            self.figure.invalidate()

    def redraw(self, changed):
        if changed is None or changed is self.controls["lr"]:
            self.train()
        epoch = min(self.controls["epoch"].value, len(self.snapshots) - 1)
        W, b = self.snapshots[epoch]
        z_grid, a_grid = dense_forward(self.plot.points, W, b, "sigmoid")
        self.loss = self.curve[epoch]
        z = dense_forward(self.X, W, b, "sigmoid")[0]
        self.accuracy = accuracy(self.y, z[:, 0] >= 0)  # the neuron says 1 where z >= 0
        text = f"epoch {epoch}   loss {self.loss:.4f}   accuracy {self.accuracy:.0%}"
        self.plot.update(a_grid[:, 0], contour=z_grid[:, 0], level=0.0, title=text)
        self.marker.set_data([epoch], [self.loss])
        self.png = self.figure.png()
        stopped = self.history["stopped"]
        self.message = stopped or ""
        warn = f'<br><span style="color:#D55E00">⚠ {html.escape(stopped)}</span>' if stopped else ""
        self.readout.value = f"<b>{text}</b>   w = ({W[0, 0]:.3f}, {W[1, 0]:.3f}), b = {b[0]:.3f}{warn}"

    def widget(self):
        box = super().widget()
        box.children = (w.HBox([self.play, self.controls["epoch"]]), self.controls["lr"], *box.children[2:])
        return box
