"""The playground: TensorFlow Playground's controls and views, inside a notebook.

Pick a dataset, a network and its training settings, then press play. Each
tick of the play button trains one epoch and redraws, so between ticks the
kernel is free: pause and every other control answer at once. Unlike the
original it also offers cross-entropy with several classes, and accuracy.

Structural controls (dataset, noise, split, layers, neurons, activation)
rebuild the data and network and restart at epoch 0; lr, L2 and batch size
apply from the next epoch on. `state` holds the whole configuration.
"""

import html
import time
import warnings

import ipywidgets as w
import numpy as np

from .. import datasets
from ..network import MLP
from ..plots import BoundaryPlot, FastFigure, NetworkDiagram, NeuronThumbnails, grid, new_figure
from .base import LEARNING_RATES, Explorer

DATASETS = ["circles", "xor", "gaussian", "spiral", "moons"]
MANY_CLASSES = ("gaussian", "spiral")  # the others have two classes by construction
RANGES = {"tanh": (-1, 1), "sigmoid": (0, 1), "relu": (0, 2), "linear": (-2, 2)}
L2_CHOICES = [0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1]
STRUCTURE = ("dataset", "classes", "noise", "train_percent", "data_seed", "layers", "neurons", "activation")


def make_data(dataset, classes, noise, n, seed):
    """Return (X, y) for a playground dataset."""
    if dataset == "gaussian":
        return datasets.blobs(n, centers=classes, noise=0.3 + 2 * noise, seed=seed)
    if dataset == "spiral":
        return datasets.spirals(n, classes=classes, noise=noise, seed=seed)
    return datasets.make(dataset, n=n, noise=noise, seed=seed)


class Playground(Explorer):
    """Train a small network on 2-D data and watch every neuron learn."""

    def __init__(self, dataset="circles", classes=2, noise=0.1, train_percent=50, batch_size=10, layers=2,
                 neurons=4, activation="tanh", lr=0.1, l2=0.0, data_seed=0, n=200, presets=None, resolution=40):
        self.n, self.resolution = n, resolution
        controls = {
            "dataset": w.Dropdown(options=DATASETS, value=dataset, description="dataset"),
            "classes": w.IntSlider(value=classes, min=2, max=4, description="classes"),
            "noise": w.FloatSlider(value=noise, min=0, max=0.5, step=0.05, description="noise"),
            "train_percent": w.IntSlider(value=train_percent, min=10, max=90, step=10, description="train %"),
            "data_seed": w.IntSlider(value=data_seed, min=0, max=999, description="data seed"),
            "layers": w.IntSlider(value=layers, min=0, max=6, description="hidden layers"),
            "neurons": w.IntSlider(value=neurons, min=1, max=8, description="neurons"),
            "activation": w.Dropdown(options=list(RANGES), value=activation, description="activation"),
            "lr": w.SelectionSlider(options=sorted(set(LEARNING_RATES) | {lr}), value=lr, description="lr"),
            "l2": w.SelectionSlider(options=sorted(set(L2_CHOICES) | {l2}), value=l2, description="L2"),
            "batch_size": w.IntSlider(value=batch_size, min=1, max=30, description="batch size"),
        }
        self.play = w.Play(value=0, min=0, max=10**6, interval=50, description="play")
        self.play.observe(self._on_play, names="value")
        self._last_tick = 0.0
        self.step_button = w.Button(description="Step", icon="step-forward", tooltip="train one epoch")
        self.step_button.on_click(lambda _: self.tick())
        self.restart_button = w.Button(description="Restart", icon="refresh", tooltip="new weights, epoch 0")
        self.restart_button.on_click(lambda _: self.restart())
        self.new_data_button = w.Button(description="New data", icon="random", tooltip="another random dataset")
        self.new_data_button.on_click(lambda _: self.new_data())
        self.figure = None
        super().__init__(controls, presets)
        self.update()

    # ----- data and network --------------------------------------------------------------------
    def structure(self):
        """The settings the data and the network are built from."""
        return tuple(self.state[name] for name in STRUCTURE)

    def restart(self):
        """New weights, epoch 0, same settings."""
        self._built = None
        self.update()

    def reset(self):
        """Back to the starting configuration, and restart."""
        self._built = None
        super().reset()

    def new_data(self):
        self.controls["data_seed"].value = (self.controls["data_seed"].value + 1) % 1000

    def rebuild(self):
        """Make the data, the network and the figure for the current settings; back to epoch 0."""
        s = self.state
        self.k = s["classes"] if s["dataset"] in MANY_CLASSES else 2
        X, y = make_data(s["dataset"], self.k, s["noise"], self.n, s["data_seed"])
        self.X_train, self.X_test, self.y_train, self.y_test = datasets.train_test_split(
            X, y, test_fraction=1 - s["train_percent"] / 100, seed=s["data_seed"])
        output = "sigmoid" if self.k == 2 else "softmax"
        sizes = [2] + [s["neurons"]] * s["layers"] + [1 if self.k == 2 else self.k]
        self.net = MLP(sizes, activation=s["activation"], output=output, seed=s["data_seed"])
        self.epoch, self.stopped = 0, None
        self._built = self.structure()
        self.history = {"train_loss": [], "test_loss": [], "train_accuracy": [], "test_accuracy": []}
        self.build_figure()
        self.record()

    def build_figure(self):
        fig = new_figure(12.5, 4.4)
        ax_net, ax_plane, self.ax_curve = fig.subplots(1, 3, width_ratios=[1.25, 1.1, 1])
        sizes = self.net.sizes
        self.diagram = NetworkDiagram(ax_net, sizes)
        for text, name in zip(self.diagram.texts, ["x1", "x2"]):
            text.set_text(name)
        positions = np.concatenate(self.diagram.xy[1:])  # every neuron after the inputs
        self.coarse, _ = grid(np.concatenate([self.X_train, self.X_test]), 16)
        self.thumbnails = NeuronThumbnails(ax_net, positions, 16)
        self.plot = BoundaryPlot(ax_plane, self.X_train, self.y_train, self.resolution, colorbar=False,
                                 test=(self.X_test, self.y_test), n_classes=self.k)
        (self.train_line,) = self.ax_curve.plot([], [], color="#0072B2", lw=2, label="train loss")
        (self.test_line,) = self.ax_curve.plot([], [], color="#D55E00", lw=2, label="test loss")
        self.ax_acc = self.ax_curve.twinx()
        (self.train_acc_line,) = self.ax_acc.plot([], [], color="#0072B2", lw=1.5, ls=":", label="train accuracy")
        (self.test_acc_line,) = self.ax_acc.plot([], [], color="#D55E00", lw=1.5, ls=":", label="test accuracy")
        self.ax_acc.set(ylim=(0, 1.02), ylabel="accuracy (dotted)")
        self.ax_curve.set(xlim=(0, 50), ylim=(0, 1.5 if self.k == 2 else 2.5), xlabel="epoch", ylabel="loss (solid)")
        self.ax_curve.legend(loc="upper right", fontsize=7)
        self.curve_title = self.ax_curve.set_title("")
        moving = [*self.diagram.moving, *self.thumbnails.moving, *self.plot.moving, self.train_line,
                  self.test_line, self.train_acc_line, self.test_acc_line, self.curve_title]
        self.figure = FastFigure(fig, moving)

    # ----- training ---------------------------------------------------------------------------------
    def _on_play(self, change):
        """A play tick. Ticks that queued up while the last one was drawing arrive back to back:
        drop those, so that the picture never lags behind and pause takes effect at once."""
        if time.monotonic() - self._last_tick < 0.005:
            return
        self.tick()
        self._last_tick = time.monotonic()

    def tick(self):
        """Train one epoch and redraw (what play does on every tick, and Step does once)."""
        if self.stopped:
            self.play.playing = False
            return
        s = self.state
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # divergence is reported in the readout instead
            history = self.net.fit(self.X_train, self.y_train, epochs=1, lr=s["lr"], l2=s["l2"],
                                   batch_size=min(s["batch_size"], len(self.X_train)))
        if history["stopped"]:
            self.stopped = (f"The loss blew up in epoch {self.epoch + 1} (lr = {s['lr']:g}): training is paused. "
                            "Press Restart (or Reset) after choosing a smaller learning rate.")
            self.play.playing = False
        else:
            self.epoch += 1
            self.record()
            start, now = self.history["train_loss"][0], self.history["train_loss"][-1]
            if now > 1.5 * start:  # finite, but far worse than untrained: the steps overshoot
                self.stopped = (f"The loss rose from {start:.3f} to {now:.3f} by epoch {self.epoch}: with "
                                f"lr = {s['lr']:g} the steps overshoot, and training is diverging, so it is paused. "
                                "Choose a smaller learning rate and press Restart (or Reset).")
                self.play.playing = False
        self.update(self.play)

    def record(self):
        net, h = self.net, self.history
        with np.errstate(all="ignore"):
            h["train_loss"].append(net.loss(self.X_train, self.y_train))
            h["test_loss"].append(net.loss(self.X_test, self.y_test))
            h["train_accuracy"].append(net.accuracy(self.X_train, self.y_train))
            h["test_accuracy"].append(net.accuracy(self.X_test, self.y_test))

    # ----- drawing ------------------------------------------------------------------------------------
    def redraw(self, changed):
        if getattr(self, "_built", None) != self.structure():  # first time, a structural change, or restart
            self.rebuild()
        net, h = self.net, self.history
        g = 16  # the thumbnails' resolution
        outputs = net.forward_all(self.plot.points)[1][-1]  # (G*G, 1) or (G*G, k)
        self.plot.update(outputs[:, 0] if self.k == 2 else outputs, title=f"epoch {self.epoch}")
        coarse = net.forward_all(self.coarse)[1][1:]  # per layer: (g*g, n_neurons)
        pictures = [a[:, j].reshape(g, g) for a in coarse[:-1] for j in range(a.shape[1])]
        pictures += [coarse[-1][:, j].reshape(g, g) for j in range(coarse[-1].shape[1])]
        self.thumbnails.update(pictures, RANGES[self.state["activation"]])
        if self.k == 2:  # the output thumbnail is a probability
            self.thumbnails.images[-1].set_clim(0, 1)
        else:
            for image in self.thumbnails.images[-self.k:]:
                image.set_clim(0, 1)
        self.diagram.update(net.weights)
        epochs = np.arange(len(h["train_loss"]))
        if self.epoch > self.ax_curve.get_xlim()[1]:  # room for more epochs: redraw the axes once
            self.ax_curve.set_xlim(0, 2 * self.ax_curve.get_xlim()[1])
            self.figure.invalidate()
        for line, key in [(self.train_line, "train_loss"), (self.test_line, "test_loss"),
                          (self.train_acc_line, "train_accuracy"), (self.test_acc_line, "test_accuracy")]:
            line.set_data(epochs, h[key])
        self.loss, self.accuracy = h["train_loss"][-1], h["test_accuracy"][-1]
        text = (f"epoch {self.epoch}   train loss {h['train_loss'][-1]:.3f}   test loss {h['test_loss'][-1]:.3f}   "
                f"train accuracy {h['train_accuracy'][-1]:.0%}   test accuracy {h['test_accuracy'][-1]:.0%}")
        self.curve_title.set_text(f"test accuracy {h['test_accuracy'][-1]:.0%}")
        self.png = self.figure.png()
        notes = []
        if self.state["dataset"] not in MANY_CLASSES and self.state["classes"] != 2:
            notes.append(f"{self.state['dataset']} always has 2 classes; 'classes' applies to gaussian and spiral")
        if self.stopped:
            notes.append(f"<span style='color:#D55E00'>⚠ {html.escape(self.stopped)}</span>")
        self.message = self.stopped or ""
        self.readout.value = f"<b>{text}</b>" + "".join(f"<br>{note}" for note in notes)

    def widget(self):
        buttons = w.HBox([self.play, self.step_button, self.restart_button, self.new_data_button,
                          self.reset_button] + ([self.preset_menu] if self.presets else []))
        c = self.controls
        data = w.VBox([c["dataset"], c["noise"], c["classes"], c["train_percent"], c["data_seed"]])
        network = w.VBox([c["layers"], c["neurons"], c["activation"]])
        training = w.VBox([c["lr"], c["l2"], c["batch_size"]])
        return w.VBox([buttons, w.HBox([data, network, training]), self.readout])
