"""Backpropagation stage by stage: forward, loss, backward, update."""

import html
import warnings

import ipywidgets as w
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from .. import checks
from ..network import MLP
from ..optim import SGD
from ..plots import BoundaryPlot, FastFigure, NetworkDiagram, contour_segments, new_figure
from ..yours import YourMLP
from .base import Explorer, rate_slider


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
    forward=mlp_forward and backward=mlp_backward run yours (lessons 02 and 04): see nnlib/yours.py.
    """

    accepts = ("forward", "backward")

    def __init__(self, X, y, sizes=(2, 3, 1), activation="tanh", lr=0.5, presets=None, seed=0, max_steps=200,
                 forward=None, backward=None):
        net = MLP(sizes, activation=activation, output="sigmoid", seed=seed)  # checks sizes, activation, seed
        if net.sizes[0] != 2 or net.sizes[-1] != 1:
            raise ValueError(f"sizes must start with 2 inputs (the plane) and end with 1 output, such as (2, 3, 1); "
                             f"got {checks.describe(sizes)}")
        self.X = checks.as_matrix(X, "X", 2)
        self.y = checks.class_labels(y, len(self.X))
        self.sizes, self.activation, self.seed = net.sizes, activation, seed
        self.L = len(self.sizes) - 1
        max_steps = checks.positive_int(max_steps, "max_steps", example=200)
        controls = {"step": w.IntSlider(value=0, min=0, max=max_steps, description="training step"),
                    "stage": w.IntSlider(value=0, min=0, max=2 * self.L + 1, description="stage"),
                    "lr": rate_slider("lr", lr),
                    "sample": w.IntSlider(value=0, min=0, max=len(self.X) - 1, description="sample")}
        self.next_button = self.button("Next", "step-forward", "the next stage", self.next_stage)
        super().__init__(controls, presets)  # checks every preset before the figure is built
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
        self._trajectory_key = None
        self.draw_first()
        if forward is not None or backward is not None:
            self.use(forward=forward, backward=backward)

    def next_stage(self):
        """Advance one stage; after the update, go on to the next training step."""
        s = self.state
        if s["stage"] < 2 * self.L + 1:
            self.state = {"stage": s["stage"] + 1}
        else:
            self.state = {"step": min(s["step"] + 1, self.controls["step"].max), "stage": 0}

    def trajectory(self, step):
        """The network's parameters after 0, 1, 2, ... full-batch steps at the slider's lr, up to step + 1.

        Trained only as far as needed, and kept: a new lr (or function of yours) starts again from step 0.
        """
        if (self.state["lr"], self.yours) != self._trajectory_key:
            self.live = YourMLP(self.sizes, activation=self.activation, output="sigmoid", seed=self.seed, **self.yours)
            self.params, self.stopped = [(self.live.weights, self.live.biases)], None
            self._trajectory_key = (self.state["lr"], dict(self.yours))
        missing = min(step + 1, self.controls["step"].max) - (len(self.params) - 1)
        if missing > 0 and not self.stopped:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a diverging run just stops early; the readout says so
                history = self.live.fit(self.X, self.y, epochs=missing, lr=self.state["lr"],
                                        on_epoch=lambda e, n: self.params.append((n.weights, n.biases)))
            self.stopped = history["stopped"]
        return self.params

    def redraw(self, changed):
        s = self.state
        params = self.trajectory(s["step"])
        weights, biases = params[min(s["step"], len(params) - 1)]
        self.net = net = YourMLP(self.sizes, activation=self.activation, output="sigmoid", seed=self.seed,
                                 **self.yours)
        net.weights, net.biases = weights, biases
        x, target = self.X[s["sample"]][None, :], self.y[s["sample"]: s["sample"] + 1]
        zs, acts = net.forward_all(x)
        self.loss, self.accuracy = net.loss(self.X, self.y), net.accuracy(self.X, self.y)
        dWs, dbs = net.gradients(self.X, self.y)  # the batch's gradients: what the update uses
        yours = self.your_lines()  # how far your functions are from nnlib's, on this batch
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
            after = YourMLP(self.sizes, activation=self.activation, output="sigmoid", seed=self.seed, **self.yours)
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
        self.readout.value = f"<b>{html.escape(title)}</b><br>{html.escape(self.stage_text)}{warn}{yours}"

    def widget(self):
        box = super().widget()
        box.children = (*box.children[:-2], w.HBox([self.next_button, *box.children[-2].children]), box.children[-1])
        return box
