"""The playground: TensorFlow Playground's controls and views, inside a notebook.

Pick a problem (classification or regression), a dataset or your own data,
input features, a network layer by layer and its training settings, then
press play. Each tick trains one epoch and redraws, so between ticks the
kernel is free: pause and every other control answer at once. Beyond the
original: cross-entropy with several classes, accuracy curves, presets and
``state``, the whole configuration as a dict.

Data and network settings restart at epoch 0; lr, regularization and batch size apply from the next
epoch on. A change redraws only what it touches (see plots/playground.py).
"""

import warnings

import ipywidgets as w
import numpy as np

from .. import checks
from ..features import FEATURES, feature_map, feature_names
from ..plots.playground import PlaygroundFigure
from ..problems import MANY_CLASSES, PROBLEMS, extent_of, make_data, neuron_counts, own_data, split, square_grid
from ..yours import YourMLP, name_of
from .base import Explorer, choices, int_slider, one_thread, rate_slider
from .controls import TOOLTIP
from .play import PlayTicks, pause

OWN = "your data"
RANGES = {"tanh": (-1, 1), "sigmoid": (0, 1), "relu": (0, 2), "linear": (-2, 2)}
RATES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]  # regularization rates; "none" turns it off
MAX_LAYERS, MAX_NEURONS = 6, 8
DATA = ("problem", "dataset", "classes", "noise", "train_percent", "data_seed")
LAYERS = [f"neurons_{i}" for i in range(1, MAX_LAYERS + 1)]
NETWORK = (*FEATURES, "layers", *LAYERS, "activation")
FOCUS = ["output", *(label for label, _ in FEATURES.values()), *(f"output {c}" for c in range(4)),
         *(f"layer {l} neuron {j}" for l in range(1, MAX_LAYERS + 1) for j in range(1, MAX_NEURONS + 1))]


class Playground(Explorer):
    """Train a small network on 2-D data and watch every neuron learn (on your own functions, if you like)."""

    accepts = ("forward", "backward", "step")  # yours from lessons 02, 04 and 05: see nnlib/yours.py

    def __init__(self, dataset=None, problem=None, classes=2, noise=0.1, train_percent=50, batch_size=10,
                 layers=2, neurons=4, activation="tanh", lr=0.1, regularization="none", reg_rate=0.001,
                 features=("x1", "x2"), show_test=True, discretize=False, neuron="output", data_seed=0, data=None,
                 n=200, presets=None, resolution=40, forward=None, backward=None, step=None):
        self.n = checks.whole_number(n, "n", 20, 2000, example=200)
        self.own = None if data is None else own_data(data)
        problem = (self.own[2] if self.own else "classification") if problem is None else problem
        dataset = (OWN if self.own else PROBLEMS.get(problem, ["circles"])[0]) if dataset is None else dataset
        counts = neuron_counts(neurons, "neurons")
        features = feature_names(features)
        c = {"problem": choices("problem", [self.own[2]] if self.own else list(PROBLEMS), problem),
             "dataset": choices("dataset", [OWN] if self.own else sum(PROBLEMS.values(), []), dataset),
             "classes": int_slider("classes", self.own[3] if self.own else classes, 2, 4),
             "noise": w.FloatSlider(value=checks.number(noise, "noise", 0, 0.5, example=0.1), min=0, max=0.5,
                                    step=0.05, description="noise"),
             "train_percent": int_slider("train %", train_percent, 10, 90, "train_percent"),
             "data_seed": int_slider("data seed", data_seed, 0, 999, "data_seed")}
        c.update({name: w.ToggleButton(value=name in features, description=label, layout=w.Layout(width="64px"))
                  for name, (label, _) in FEATURES.items()})
        c["layers"] = int_slider("hidden layers", layers, 0, MAX_LAYERS, "layers")
        c.update({name: w.IntSlider(value=k, min=1, max=MAX_NEURONS, description=f"layer {i + 1}")
                  for i, (name, k) in enumerate(zip(LAYERS, counts))})
        c.update(activation=choices("activation", list(RANGES), activation), lr=rate_slider("lr", lr),
                 regularization=choices("regularization", ["none", "L1", "L2"], regularization),
                 reg_rate=rate_slider("reg. rate", reg_rate, RATES, "reg_rate"),
                 batch_size=int_slider("batch size", batch_size, 1, 30, "batch_size"),
                 show_test=w.Checkbox(value=checks.flag(show_test, "show_test"), description="show test data"),
                 discretize=w.Checkbox(value=checks.flag(discretize, "discretize"), description="discretize output"),
                 neuron=choices("look at", FOCUS, neuron, "neuron"))
        c["train_percent"].step = 10
        self.picture = PlaygroundFigure(checks.whole_number(resolution, "resolution", 10, 200, example=40))
        self.play = w.Play(value=0, min=0, max=10**6, interval=30, description="play")  # up to 33 epochs a second
        self._data_key, self._net_key, self.stopped = None, None, None
        super().__init__(c, presets)
        self.ticks = PlayTicks(self.play, self.safely(self.tick))  # one epoch per tick
        self.step_button = self.button("Step", "step-forward", "train one epoch", self.tick)
        self.restart_button = self.button("Restart", "refresh", "new weights, epoch 0", self.restart)
        self.new_data_button = self.button("New data", "random", "another random dataset", self.new_data)
        self.draw_first()
        if forward or backward or step:
            self.use(forward=forward, backward=backward, step=step)

    def rehearse(self):
        """Run your backward pass and step once on a few samples, so use() reports a bug before play does."""
        dWs, dbs = self.net.gradients(self.F_train[:10], self.y_train[:10])  # the new arrays are thrown away
        self.net.optimizer(0.1, 0).step(self.net.weights + self.net.biases, dWs + dbs)

    def check_state(self, values, where="the state"):
        """As Explorer's, and two shorthands: "neurons": 4 or [4, 2] sets every layer; "l1" / "l2": rate."""
        values = dict(checks.known_keys(values, [*self.controls, "neurons", "l1", "l2"], where, "control"))
        suffix = "" if where == "the state" else f" (in {where})"
        if "neurons" in values:
            values.update(zip(LAYERS, neuron_counts(values.pop("neurons"), "neurons" + suffix)))
        for kind in ("l1", "l2"):
            if kind in values:
                rate = checks.number(values.pop(kind), kind + suffix, 0, 10, example=0.001)
                values.update(regularization=kind.upper() if rate else "none", **({"reg_rate": rate} if rate else {}))
        toggles = {name: {"value": checks.flag(values.pop(name), name + suffix)} for name in FEATURES if name in values}
        if "neuron" in values:  # any neuron a network can have; one this network lacks shows the output
            toggles["neuron"] = {"options": FOCUS, "value": checks.choice(values.pop("neuron"), FOCUS, "neuron")}
        return {**super().check_state(values, where), **toggles}

    # ----- data and network --------------------------------------------------------------------
    def restart(self):  # new weights, epoch 0, same settings
        self._net_key = None
        self.update()

    def reset(self):  # back to the starting configuration, epoch 0
        self._net_key = None
        super().reset()

    def new_data(self):  # the next data seed
        self.controls["data_seed"].value = (self.controls["data_seed"].value + 1) % 1000

    def _quietly(self, name, **attributes):  # set a control without drawing
        with self.hold():
            for key, value in attributes.items():
                if getattr(self.controls[name], key) != value:
                    setattr(self.controls[name], key, value)

    def make_data(self, s):
        """Make the data for the current settings, and show it."""
        self.k = s["classes"] if s["problem"] == "classification" and s["dataset"] in (*MANY_CLASSES, OWN) else 2
        X, y = self.own[:2] if self.own else make_data(s["dataset"], self.k, s["noise"], self.n, s["data_seed"])
        regression = s["problem"] == "regression"
        self.X_train, self.X_test, self.y_train, self.y_test = split(X, y, s["train_percent"], s["data_seed"],
                                                                    regression)
        self.target_range = (min(-1.0, y.min()), max(1.0, y.max())) if regression else (0, 1)
        extent = extent_of(s["dataset"], X if self.own else None)
        self.picture.set_plane(extent)
        self.plane = square_grid(extent, self.picture.resolution)
        self.thumbs = square_grid(extent, self.picture.network.size)
        self.picture.set_problem(s["problem"], 1.5 if not regression else 0.5 * max(1, np.var(y) / 0.2))
        self._data_key = tuple(s[name] for name in DATA)

    def build_network(self, s):
        """Make the network for the current settings: epoch 0."""
        self.features = [name for name in FEATURES if s[name]]
        if not self.features:
            raise ValueError("choose at least one input feature (x1, x2, ...): the network needs an input")
        regression = s["problem"] == "regression"
        hidden = [s[name] for name in LAYERS[: s["layers"]]]
        sizes = [len(self.features), *hidden, 1 if regression or self.k == 2 else self.k]
        output = "linear" if regression else "sigmoid" if self.k == 2 else "softmax"
        self.net = YourMLP(sizes, activation=s["activation"], output=output, seed=s["data_seed"], **self.yours)
        self.F_train, self.F_test, self.F_plane, self.F_thumbs = (
            feature_map(X, self.features) for X in (self.X_train, self.X_test, self.plane, self.thumbs))
        labels = [FEATURES[name][0] for name in self.features]
        self.picture.network.set_layout(sizes, labels, ["features", *(f"{k} neurons" for k in hidden), "output"])
        self.focus_names = ["output", *labels, *(f"output {c}" for c in range(sizes[-1]) if sizes[-1] > 1),
                            *(f"layer {l + 1} neuron {j + 1}" for l, k in enumerate(hidden) for j in range(k))]
        self.epoch, self.stopped = 0, None
        self.history = {"train_loss": [], "test_loss": [], "train_accuracy": [], "test_accuracy": []}
        self.record()
        self._net_key = (self._data_key, tuple(s[name] for name in NETWORK))

    def enable(self, s):
        """Disable the controls that do not apply now, with a tooltip that says why."""
        regression, own = s["problem"] == "regression", self.own is not None
        why = {"classes": "your data sets the classes" if own else None if s["dataset"] in MANY_CLASSES and not
               regression else f"{s['dataset']} has {'no' if regression else '2'} classes; classes apply to gaussian "
               "and spiral", "noise": "noise applies to the generated datasets, not to your data" if own else None,
               "reg_rate": "no regularization: choose L1 or L2 to set its rate" if s["regularization"] == "none"
               else None,
               "problem": "your data decides: labels 0..3 classify, other numbers regress" if own else None}
        why.update({name: f"hidden layers is {s['layers']}: layer {i + 1} is not used" if i >= s["layers"] else None
                    for i, name in enumerate(LAYERS)})
        for name, reason in why.items():
            self._later.append((name, {"disabled": reason is not None, TOOLTIP: reason}))

    def tick(self):
        """Train one epoch and redraw (what play does on every tick, and Step does once); on error, undo it."""
        if self.stopped:
            pause(self.play)
            return
        net, s = self.net, self.state
        saved = ([W.copy() for W in net.weights], [b.copy() for b in net.biases], net.rng.bit_generator.state,
                 self.epoch, {k: list(v) for k, v in self.history.items()})
        rate = {s["regularization"].lower(): s["reg_rate"]} if s["regularization"] != "none" else {}
        ok = False  # until the new picture is drawn
        try:
            with warnings.catch_warnings(), one_thread():
                warnings.simplefilter("ignore")  # divergence is reported in the readout instead
                history = net.fit(self.F_train, self.y_train, epochs=1, lr=s["lr"], **rate,
                                  batch_size=min(s["batch_size"], len(self.F_train)))
            self.epoch += 1
            self.record()
            ok = self.update(self.play)
        finally:
            if not ok:  # nothing changes: the weights, the epoch and the curves go back
                net.weights, net.biases, net.rng.bit_generator.state, self.epoch, self.history = saved
                pause(self.play)
        if not ok:
            return
        start, now = self.history["train_loss"][0], self.history["train_loss"][-1]
        if history["stopped"] or not np.isfinite(now) or now > 1.5 * start:  # far worse than untrained
            how = "blew up" if history["stopped"] or not np.isfinite(now) else f"rose from {start:.3f} to {now:.3f}"
            gaps = self.net.difference  # yours that are not nnlib's get the blame, not the learning rate
            buggy = [f"your {name_of(k, f)}" for k, f in self.yours.items() if not self.net.same(gaps.get(k, 0))]
            self.stopped = (f"The loss {how} by epoch {self.epoch}: " + (
                f"{buggy[0]} differs from nnlib's, so training is paused. Fix it, call use() again and press "
                "Restart." if buggy else f"with lr = {s['lr']:g} the steps overshoot, so training is paused. "
                "Choose a smaller learning rate and press Restart (or Reset)."))
            pause(self.play)
            self.update(self.play)

    def record(self):  # the losses and accuracies after this epoch
        net, h, regression = self.net, self.history, self.net.output == "linear"
        with np.errstate(all="ignore"):
            h["train_loss"].append(net.loss(self.F_train, self.y_train))
            h["test_loss"].append(net.loss(self.F_test, self.y_test))
            h["train_accuracy"].append(np.nan if regression else net.accuracy(self.F_train, self.y_train))
            h["test_accuracy"].append(np.nan if regression else net.accuracy(self.F_test, self.y_test))

    # ----- drawing ------------------------------------------------------------------------------------
    def update(self, changed=None):
        """As Explorer's, but the controls' look (enabled, the neurons to look at) changes after the picture is sent."""
        self._later = []
        ok = super().update(changed)
        for name, attributes in self._later if ok else []:
            self._quietly(name, **attributes)
        return ok

    def redraw(self, changed):
        with one_thread():
            self.draw_all(self.state)

    def draw_all(self, s):
        if not self.own and s["dataset"] not in PROBLEMS[s["problem"]]:  # problem and dataset must agree
            if self._data_key and s["problem"] != self._data_key[0]:  # the problem moved: the dataset follows
                self._quietly("dataset", value=PROBLEMS[s["problem"]][0])
            else:
                self._quietly("problem", value=next(p for p, names in PROBLEMS.items() if s["dataset"] in names))
            s = self.state
        if tuple(s[name] for name in DATA) != self._data_key:
            self.make_data(s)
            self._net_key = None
        if (self._data_key, tuple(s[name] for name in NETWORK)) != self._net_key:
            self.build_network(s)
        self.enable(s)
        self.net.yours = self.yours
        focus = s["neuron"] if s["neuron"] in self.focus_names else "output"
        notes = [f"{s['neuron']} is not in this network: the plane shows the output"] if focus != s["neuron"] else []
        if focus != s["neuron"] or list(self.controls["neuron"].options) != self.focus_names:
            self._later.append(("neuron", {"options": self.focus_names, "value": focus}))
        self.draw(focus, s["discretize"], s["show_test"], s["activation"])
        h, regression = self.history, s["problem"] == "regression"
        self.loss, self.accuracy = h["train_loss"][-1], None if regression else h["test_accuracy"][-1]
        text = (f"epoch {self.epoch}   train loss {self.loss:.3f}   test loss {h['test_loss'][-1]:.3f}" + (
            "" if regression else f"   train accuracy {h['train_accuracy'][-1]:.0%}"
                                  f"   test accuracy {self.accuracy:.0%}"))
        notes += [f"<span style='color:#D55E00'>⚠ {self.stopped}</span>"] if self.stopped else []
        self.message = self.stopped or ""
        self.net.forward_all(self.F_train)  # your forward's difference from nnlib's, on the training data
        self.readout.value = f"<b>{text}</b>" + "".join(f"<br>{note}" for note in notes) + self.your_lines()

    def draw(self, focus, discretize, show_test, activation):
        """Repaint the plane, the network's thumbnails and the curves for the current network."""
        net, pic, words = self.net, self.picture, focus.split()
        a_plane = net.forward_all(self.F_plane)[1]  # per layer (G*G, n); [0] is the features
        index, chosen = self.focus_names.index(focus), None
        if index == 0:  # the network's output
            pic.show_output(a_plane[-1], net.output, discretize, self.target_range, f"epoch {self.epoch}")
        else:  # one neuron: an input feature, a hidden neuron or one output of several
            chosen = ((0, index - 1) if index <= len(self.features) else (len(a_plane) - 1, int(words[1]))
                      if words[0] == "output" else (int(words[1]), int(words[3]) - 1))
            values = a_plane[chosen[0]][:, chosen[1]]
            values = values / (np.abs(values).max() + 1e-12) if chosen[0] == 0 else values  # features: own scale
            value_range = (-1, 1) if chosen[0] == 0 else (0, 1) if words[0] == "output" else RANGES[activation]
            pic.set_plane_values(values, value_range, title=f"epoch {self.epoch}: {focus}")
        pic.set_network(net.weights, net.forward_all(self.F_thumbs)[1], RANGES[activation], self.target_range,
                        chosen)
        if (self._data_key, show_test) != getattr(self, "_drawn", None):
            pic.set_data(self.X_train, self.y_train, self.X_test, self.y_test,
                         None if net.output == "linear" else self.k, show_test, self.target_range)
            self._drawn = (self._data_key, show_test)
        pic.set_curves(self.history, self.epoch)
        last = self.history["test_loss" if net.output == "linear" else "test_accuracy"][-1]
        pic.curve_title.set_text(f"test loss {last:.3f}" if net.output == "linear" else f"test accuracy {last:.0%}")
        self.png = pic.png()

    def widget(self):
        c, column = self.controls, lambda names: w.VBox([self.controls[name] for name in names])
        buttons = w.HBox([self.play, self.step_button, self.restart_button, self.new_data_button,
                          self.reset_button] + ([self.preset_menu] if self.presets else []))
        features = w.HBox([w.Label("features"), *(c[name] for name in FEATURES)])
        network = w.VBox([features, column(["layers", *LAYERS, "activation"])])
        training = column(["lr", "regularization", "reg_rate", "batch_size", "discretize", "neuron"])
        data = column(["problem", "dataset", "noise", "train_percent", "classes", "data_seed", "show_test"])
        return w.VBox([buttons, w.HBox([data, network, training]), self.readout])
