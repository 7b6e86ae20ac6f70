"""Live explorers: sliders wired to pictures.

Each explorer is a plain Python object. In a notebook, leave it as the last
expression of a cell (or call ``display``) to see its controls and picture.
Without a browser it works the same way: set ``explorer.controls["w1"].value``
and read ``explorer.loss``, ``explorer.readout.value`` or ``explorer.png``.

The picture is a PNG shown with an in-place display update, so only the
changed image travels to the browser, and a saved notebook still shows the
last picture where no kernel runs (GitHub, nbviewer).

This module only wires controls to the maths (nnlib's numpy modules) and to
the drawing (nnlib.plotting).
"""

import contextlib
import html
import warnings

import ipywidgets as w
import numpy as np
from IPython.display import Image, display
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from . import losses
from .checks import as_matrix, positive_int, positive_number
from .landscape import descend, least_squares, neuron_losses, quadratic_curvatures, weight_grid
from .layer import dense_forward
from .metrics import accuracy
from .network import MLP, TWO_TWO_ONE, two_two_one
from .optim import SGD
from .plotting import BoundaryPlot, FastFigure, NetworkDiagram, contour_segments, new_figure


class Explorer:
    """What every explorer shares: controls, a readout, a picture, reset, state and presets.

    A subclass fills ``self.controls`` (name -> widget), builds ``self.figure``
    (a FastFigure) and implements ``redraw()``, which recomputes and sets
    ``self.png``. State is the dict {control name: value}.
    """

    presets = {}

    def __init__(self, controls, presets=None):
        self.controls = controls
        self.presets = dict(self.presets if presets is None else presets)
        self.readout = w.HTML(layout=w.Layout(min_height="1.5em"))
        self.readout.add_class("nnlib-readout")
        self.reset_button = w.Button(description="Reset", icon="undo", tooltip="Back to the starting values")
        self.reset_button.on_click(lambda _: self.reset())
        self.preset_menu = w.Dropdown(options=["(choose a preset)", *self.presets], description="Preset")
        self.preset_menu.observe(self._on_preset, names="value")
        self.png = b""
        self.message = ""
        self._handle = None
        self._holding = False
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.defaults = self.state

    # ----- state -------------------------------------------------------------------------
    @property
    def state(self):
        """The value of every control, as a dict a teacher can copy and paste."""
        return {name: control.value for name, control in self.controls.items()}

    @state.setter
    def state(self, values):
        unknown = set(values) - set(self.controls)
        if unknown:
            raise KeyError(f"unknown control(s) {sorted(unknown)}; this explorer has {sorted(self.controls)}")
        with self.hold():
            for name, value in values.items():
                self.controls[name].value = value
        self.update()

    def reset(self):
        """Put every control back to its starting value."""
        self.state = self.defaults

    def _on_preset(self, change):
        if change["new"] in self.presets:
            self.state = self.presets[change["new"]]

    @contextlib.contextmanager
    def hold(self):
        """Change several controls while drawing only once, at the end."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False

    # ----- drawing -------------------------------------------------------------------------
    def _on_change(self, change):
        if not self._holding:
            self.update(change["owner"])

    def update(self, changed=None):
        """Recompute and redraw; an error is shown in the readout, never lost."""
        try:
            self.redraw(changed)
        except Exception as err:  # noqa: BLE001 - a widget callback must not die silently
            self.message = f"{type(err).__name__}: {err}"
            self.readout.value = f'<span style="color:#D55E00">⚠ {html.escape(self.message)}</span>'
            return
        if self._handle is not None:
            self._handle.update(Image(data=self.png))

    def redraw(self, changed):
        raise NotImplementedError

    def widget(self):
        """Return the box of controls (the picture is displayed below it)."""
        buttons = [self.reset_button] + ([self.preset_menu] if self.presets else [])
        return w.VBox([*self.controls.values(), w.HBox(buttons), self.readout])

    def _ipython_display_(self):
        display(self.widget())
        self._handle = display(Image(data=self.png), display_id=True)


def _slider(description, value, low=-10.0, high=10.0, step=0.1):
    return w.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                         continuous_update=True, readout_format=".2f")


class NeuronExplorer(Explorer):
    """One neuron a = f(w1 x1 + w2 x2 + b) over 2-D data, with a slider for each parameter.

    The heatmap shows the output a, the black line is where z = 0 (the neuron
    answers 1 on the side where z >= 0), and the readout gives the loss
    1/(2n) sum (a - y)^2 and the accuracy.
    """

    RANGES = {"step": (0, 1), "sigmoid": (0, 1), "tanh": (-1, 1), "relu": (-2, 2), "linear": (-2, 2)}

    def __init__(self, X, y, w1=1.0, w2=1.0, b=0.0, activation="sigmoid", presets=None, title="",
                 resolution=60):
        self.X = as_matrix(X, "X", 2)
        self.y = np.asarray(y)
        self.title = title
        controls = {"w1": _slider("w1", w1), "w2": _slider("w2", w2), "b": _slider("b", b),
                    "activation": w.Dropdown(options=list(self.RANGES), value=activation,
                                             description="activation")}
        fig = new_figure(6.4, 4.0)
        self.plot = BoundaryPlot(fig.add_subplot(), self.X, self.y, resolution, label="neuron output a")
        self.figure = FastFigure(fig, self.plot.moving)
        super().__init__(controls, presets)
        self.update()

    def redraw(self, changed):
        s = self.state
        W, b = np.array([[s["w1"]], [s["w2"]]]), np.array([s["b"]])  # (2, 1), (1,)
        if changed is None or changed is self.controls["activation"]:
            self.plot.set_range(*self.RANGES[s["activation"]])
            self.figure.invalidate()
        z, a = dense_forward(self.X, W, b, s["activation"])  # (n, 1) each
        self.loss = losses.mse(a, self.y[:, None])
        self.accuracy = accuracy(self.y, z[:, 0] >= 0)  # the neuron says 1 where z >= 0
        z_grid, a_grid = dense_forward(self.plot.points, W, b, s["activation"])  # (G*G, 1)
        text = f"loss {self.loss:.4f}   accuracy {self.accuracy:.0%}"
        self.plot.update(a_grid[:, 0], contour=z_grid[:, 0], level=0.0,
                         title=f"{self.title}  {text}".strip())
        self.png = self.figure.png()
        self.readout.value = f"<b>{text}</b>"


# Colours of the hidden neurons' own lines (Okabe-Ito bluish green and reddish purple).
HIDDEN_COLORS = ["#009E73", "#CC79A7"]

# The learning rates a slider offers: round numbers, each about 3x the one before.
LEARNING_RATES = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.5, 1.0, 3.0, 10.0, 30.0, 50.0, 100.0]


class NeuronTrainer(Explorer):
    """One sigmoid neuron trained by gradient descent; drag the epoch slider or press play.

    Changing the learning rate retrains from the same starting weights, so
    different learning rates can be compared fairly. Training runs in full
    batches with binary cross-entropy (nnlib's MLP([2, 1])).
    """

    def __init__(self, X, y, lr=0.5, epochs=100, w1=-1.0, w2=0.5, b=0.5, presets=None, resolution=50):
        self.X = as_matrix(X, "X", 2)
        self.y = np.asarray(y)
        self.start = (np.array([[w1], [w2]], float), np.array([b], float))
        self.epochs = epochs
        lr, epochs = positive_number(lr, "lr"), positive_int(epochs, "epochs")
        rates = sorted(set(LEARNING_RATES) | {lr})  # round numbers, plus the one asked for
        controls = {"lr": w.SelectionSlider(options=rates, value=float(lr), description="lr"),
                    "epoch": w.IntSlider(value=0, min=0, max=epochs, description="epoch")}
        self.play = w.Play(min=0, max=epochs, interval=50, description="play")  # up to 20 epochs a second
        w.jslink((self.play, "value"), (controls["epoch"], "value"))
        fig = new_figure(9.6, 3.6)
        ax_boundary, self.ax_loss = fig.subplots(1, 2, width_ratios=[1.3, 1])
        self.plot = BoundaryPlot(ax_boundary, self.X, self.y, resolution)
        (self.loss_line,) = self.ax_loss.plot([], [], color="#0072B2", lw=2)
        (self.marker,) = self.ax_loss.plot([], [], "o", color="#D55E00", ms=8)
        self.ax_loss.set_xlabel("epoch")
        self.ax_loss.set_ylabel("loss (binary cross-entropy)")
        self.ax_loss.set_ylim(0, 1)
        self.figure = FastFigure(fig, [*self.plot.moving, self.loss_line, self.marker])
        super().__init__(controls, presets)
        self.update()

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




class HiddenLayerExplorer(Explorer):
    """A 2-2-1 network with a slider for each of its 9 parameters.

    Names: w{i}{j} is the weight from input i to hidden neuron j (W1[i-1, j-1]),
    b{j} hidden neuron j's bias, v{j} the weight from hidden neuron j to the
    output (W2[j-1, 0]) and c the output's bias. The left picture shows the
    output over the plane, the output's decision boundary (solid) and each
    hidden neuron's own line z = 0 (dashed); the right one shows the network
    with the activations for the sample chosen in "sample".
    """

    def __init__(self, X, y, values=None, hidden="sigmoid", presets=None, resolution=60):
        self.X = as_matrix(X, "X", 2)
        self.y = np.asarray(y)
        values = dict.fromkeys(TWO_TWO_ONE, 0.5) | dict(values or {})
        controls = {name: _slider(name, values[name], -20.0, 20.0, 0.5) for name in TWO_TWO_ONE}
        controls["hidden"] = w.Dropdown(options=["sigmoid", "tanh", "relu", "step", "linear"], value=hidden,
                                        description="hidden")
        controls["sample"] = w.Dropdown(options=[(f"x = {tuple(x)}", i) for i, x in enumerate(self.X.tolist())][:16],
                                        value=0, description="sample")
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
        super().__init__(controls, presets)
        self.update()

    def redraw(self, changed):
        self.net = two_two_one(self.state, self.state["hidden"])
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
        self.png = self.figure.png()
        self.readout.value = f"<b>{text}</b>"


class LossExplorer(Explorer):
    """One sigmoid neuron: its decision boundary beside its loss landscape.

    The landscape is the loss over (w1, w2) with b held at the slider's value;
    the white dot is the current weights and the white line points downhill,
    as long as the gradient (scaled). Switch the loss to see mean squared
    error go flat where the neuron is confidently wrong.
    """

    LOSSES = {"cross-entropy": "binary_cross_entropy", "mse": "mse"}
    LIMITS = {"binary_cross_entropy": 3.0, "mse": 0.5}

    def __init__(self, X, y, w1=1.0, w2=1.0, b=0.0, loss="cross-entropy", presets=None, resolution=50,
                 landscape=41, span=10.0):
        self.X = as_matrix(X, "X", 2)
        self.y = np.asarray(y)
        controls = {"w1": _slider("w1", w1), "w2": _slider("w2", w2), "b": _slider("b", b),
                    "loss": w.ToggleButtons(options=list(self.LOSSES), value=loss, description="loss")}
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
        super().__init__(controls, presets)
        self.update()

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
        self.X, self.y = as_matrix(X, "X", 2), np.asarray(y, dtype=float)
        lr = positive_number(lr, "lr")
        self.start = np.asarray(start, dtype=float)
        self.curvatures = quadratic_curvatures(self.X)
        self.net = MLP([2, 1], output="linear", loss="mse")
        controls = {"lr": w.SelectionSlider(options=sorted(set(self.RATES) | {lr}), value=lr, description="lr"),
                    "steps": w.IntSlider(value=steps, min=0, max=50, description="steps")}
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
        super().__init__(controls, presets)
        self.update()

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


class BackpropStepper(Explorer):
    """One training step of a small network, stage by stage.

    stage 0..L-1  forward through each layer: the nodes fill with activations;
    stage L       the loss;
    stage L+1..2L backward, from the output layer down: the nodes show
                  delta = dL/dz for the chosen sample, the edges the gradient dL/dW;
    stage 2L+1    the update W <- W - lr dL/dW: edges show the new weights and
                  the dashed line is the decision boundary after the step.
    "training step" picks how many full steps were taken before this one;
    "Next" moves on one stage (and after the update, to the next step).
    """

    def __init__(self, X, y, sizes=(2, 3, 1), activation="tanh", lr=0.5, presets=None, seed=0, max_steps=200):
        self.X, self.y = as_matrix(X, "X", sizes[0]), np.asarray(y)
        self.sizes, self.activation, self.seed = list(sizes), activation, seed
        self.L = len(sizes) - 1
        lr = positive_number(lr, "lr")
        controls = {"step": w.IntSlider(value=0, min=0, max=max_steps, description="training step"),
                    "stage": w.IntSlider(value=0, min=0, max=2 * self.L + 1, description="stage"),
                    "lr": w.SelectionSlider(options=sorted(set(LEARNING_RATES) | {lr}), value=lr, description="lr"),
                    "sample": w.IntSlider(value=0, min=0, max=len(self.X) - 1, description="sample")}
        self.next_button = w.Button(description="Next", icon="step-forward", tooltip="the next stage")
        self.next_button.on_click(lambda _: self.next_stage())
        fig = new_figure(10.0, 4.2)
        ax_net, ax_plane = fig.subplots(1, 2, width_ratios=[1, 1.1])
        self.diagram = NetworkDiagram(ax_net, self.sizes)
        self.stage_title = ax_net.set_title("", fontsize=9)
        self.plot = BoundaryPlot(ax_plane, self.X, self.y, 50,
                                 extra_handles=[Line2D([], [], color="black", lw=2, ls="--", label="after the step")])
        self.after = LineCollection([], colors="black", linewidths=2, linestyles="--")
        ax_plane.add_collection(self.after)
        (self.marker,) = ax_plane.plot([], [], "o", ms=14, mfc="none", mec="#D55E00", mew=2.5)
        self.figure = FastFigure(fig, [*self.diagram.moving, self.stage_title, *self.plot.moving, self.after,
                                       self.marker])
        self._trajectory_lr = None
        super().__init__(controls, presets)
        self.update()

    def next_stage(self):
        """Advance one stage; after the update, go on to the next training step."""
        s = self.state
        if s["stage"] < 2 * self.L + 1:
            self.state = {"stage": s["stage"] + 1}
        else:
            self.state = {"step": min(s["step"] + 1, self.controls["step"].max), "stage": 0}

    def trajectory(self):
        """The networks' parameters after 0, 1, 2, ... full-batch steps at the slider's lr."""
        lr = self.state["lr"]
        if lr != self._trajectory_lr:
            net = MLP(self.sizes, activation=self.activation, output="sigmoid", seed=self.seed)
            self.params = [(net.weights, net.biases)]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a diverging run just stops early; the readout says so
                history = net.fit(self.X, self.y, epochs=self.controls["step"].max, lr=lr,
                                  on_epoch=lambda e, n: self.params.append((n.weights, n.biases)))
            self.stopped = history["stopped"]
            self._trajectory_lr = lr
        return self.params

    def redraw(self, changed):
        s = self.state
        params = self.trajectory()
        weights, biases = params[min(s["step"], len(params) - 1)]
        net = MLP(self.sizes, activation=self.activation, output="sigmoid", seed=self.seed)
        net.weights, net.biases = weights, biases
        x, target = self.X[s["sample"]][None, :], self.y[s["sample"]: s["sample"] + 1]
        zs, acts = net.forward_all(x)
        self.loss, self.accuracy = net.loss(self.X, self.y), net.accuracy(self.X, self.y)
        dWs, dbs = net.gradients(self.X, self.y)  # the batch's gradients: what the update uses
        deltas = net.gradients(x, target)[1]  # one sample alone: db = delta = dL/dz for that sample
        stage, L = s["stage"], self.L
        stepped = SGD(s["lr"]).step(weights + biases, dWs + dbs)  # the parameters after this step
        new_weights, new_biases = stepped[:L], stepped[L:]
        blank = [np.full(n, np.nan) for n in self.sizes]
        if stage < L:  # forward: layers 0..stage+1 filled in
            l, f = stage + 1, "sigmoid" if stage == L - 1 else self.activation
            values = [a[0] if k <= l else blank[k] for k, a in enumerate(acts)]
            text = (f"Forward, layer {l}: z{l} = a{l - 1} W{l} + b{l}, a{l} = {f}(z{l})",
                    f"$z_{l} = a_{l - 1} W_{l} + b_{l}$,   $a_{l} = \\mathrm{{{f}}}(z_{l})$")
            self.diagram.update(weights, values, (0, 1))
        elif stage == L:
            text = (f"Loss: cross-entropy over all {len(self.X)} samples = {self.loss:.4f}",
                    f"$L$ = mean cross-entropy of {len(self.X)} samples = {self.loss:.4f}")
            self.diagram.update(weights, [a[0] for a in acts], (0, 1))
        elif stage <= 2 * L:  # backward: from layer L down to layer 2L + 1 - stage
            l = 2 * L + 1 - stage
            values = [deltas[k - 1] if k >= l else blank[k] for k in range(L + 1)]
            size = max(np.abs(np.concatenate(deltas)).max(), 1e-12)
            shown = [dW if k + 1 >= l else 0 * dW for k, dW in enumerate(dWs)]
            if l == L:
                text = (f"Backward, layer {l}: delta{l} = a{l} - y; dL/dW{l} = a{l - 1}^T delta{l}",
                        f"$\\delta_{l} = a_{l} - y$,   $\\partial L / \\partial W_{l} = a_{l - 1}^\\top \\delta_{l}$")
            else:
                text = (f"Backward, layer {l}: delta{l} = (delta{l + 1} W{l + 1}^T) * {self.activation}'(z{l}); "
                        f"dL/dW{l} = a{l - 1}^T delta{l}",
                        f"$\\delta_{l} = (\\delta_{l + 1} W_{l + 1}^\\top) \\odot f'(z_{l})$,   "
                        f"$\\partial L / \\partial W_{l} = a_{l - 1}^\\top \\delta_{l}$")
            self.diagram.update(shown, values, (-size, size))
        else:
            text = (f"Update: W <- W - lr * dL/dW with lr = {s['lr']:g} (edges: the new weights)",
                    f"$W \\leftarrow W - \\mathrm{{lr}}\\,\\partial L / \\partial W$,  lr = {s['lr']:g}")
            self.diagram.update(new_weights, [a[0] for a in acts], (0, 1))
        self.stage_text = text[0]
        header = text[0].split(":")[0]
        self.stage_title.set_text(f"stage {stage}: {header}\n{text[1]}")
        grid = net.forward_all(self.plot.points)[1][-1][:, 0]
        title = f"step {s['step']}: loss {self.loss:.4f}   accuracy {self.accuracy:.0%}"
        self.plot.update(grid, title=title)
        if stage == 2 * L + 1:
            after = MLP(self.sizes, activation=self.activation, output="sigmoid", seed=self.seed)
            after.weights, after.biases = new_weights, new_biases
            G = self.plot.resolution
            self.after.set_segments(contour_segments(after.forward_all(self.plot.points)[1][-1][:, 0].reshape(G, G),
                                                     self.plot.extent, 0.5))
        else:
            self.after.set_segments([])
        self.marker.set_data([x[0, 0]], [x[0, 1]])
        self.png = self.figure.png()
        warn = (f"<br><span style='color:#D55E00'>⚠ {html.escape(self.stopped)}</span>"
                if self.stopped and s["step"] >= len(params) - 1 else "")
        self.readout.value = f"<b>{html.escape(title)}</b><br>{html.escape(self.stage_text)}{warn}"

    def widget(self):
        box = super().widget()
        box.children = (*box.children[:-2], w.HBox([self.next_button, *box.children[-2].children]), box.children[-1])
        return box


__all__ = ["BackpropStepper", "Explorer", "HiddenLayerExplorer", "LearningRateExplorer", "LossExplorer",
           "NeuronExplorer", "NeuronTrainer"]
