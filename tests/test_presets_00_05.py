"""Every preset of the index (00) and lesson 05 does what its name says.

A preset's name is a claim ("AND solved", "learning rate too high"). Each test below builds the
explorer from the notebook's own cell, headless, chooses every preset through the Preset menu as a
learner would, and asserts the claim; a preset without a claim here fails the test.
"""

import ast
import re
import warnings
from pathlib import Path

import nbformat
import numpy as np
from fakes import FakeHandle
from matplotlib.colors import Normalize

from nnlib.explorers.play import playing
from nnlib.plots import HEATMAP

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def build(notebook, constructor):
    """Run the notebook's import cell and the cell that builds `constructor`; return the explorer.

    The explorer is the value of that cell's last line, as the notebook displays it.
    """
    code = [c.source for c in nbformat.read(NOTEBOOKS / notebook, as_version=4).cells if c.cell_type == "code"]
    (cell,) = [source for source in code if f"{constructor}(" in source and "presets=" in source]
    namespace = {}
    imports = next(source for source in code if "import" in source and "google.colab" not in source)
    exec(compile(imports, f"{notebook}: imports", "exec"), namespace)
    *body, last = ast.parse(cell).body
    exec(compile(ast.Module(body, []), f"{notebook}: {constructor}", "exec"), namespace)
    explorer = eval(compile(ast.Expression(last.value), f"{notebook}: {constructor}", "eval"), namespace)
    explorer._handle = FakeHandle()
    return explorer


def choose(explorer, name):
    """Pick a preset from the menu, as a learner does."""
    explorer.preset_menu.value = "(choose a preset)"
    explorer.preset_menu.value = name
    assert not getattr(explorer, "message", ""), explorer.message
    return explorer


def assert_every_preset_checked(explorer, claims):
    unchecked = set(explorer.presets) - set(claims)
    assert not unchecked, f"presets with no test of what their name claims: {sorted(unchecked)}"
    assert not set(claims) - set(explorer.presets), "claims about presets the notebook no longer has"


# ----- 00: the index -----------------------------------------------------------------------------

def test_index_presets_do_what_their_names_say():
    explorer = build("00_index.ipynb", "NeuronExplorer")
    start_loss = explorer.loss

    def and_solved(ex):
        assert ex.accuracy == 1.0  # all four points on their side of the line
        assert ex.loss < start_loss

    claims = {"AND solved": and_solved}
    assert_every_preset_checked(explorer, claims)
    for name, claim in claims.items():
        claim(choose(explorer, name))


# ----- 05: the playground ------------------------------------------------------------------------

def train(playground, epochs):
    """Press Step `epochs` times (stopping if the playground pauses), drawing only at the end: fast."""
    playground.update = lambda *args, **kwargs: True  # skip the picture of every epoch
    try:
        for _ in range(epochs):
            playground.tick()
            if playground.stopped:
                break
    finally:
        del playground.update  # back to the class's own update
    playground.update()
    return playground.history


def test_lesson05_playground_presets_do_what_their_names_say():
    """Every preset of the lesson's playground, chosen from the menu of one playground as a learner would,
    then Restart and train; each name (and what section 7 says of it) is asserted. Numbers measured at
    the time of writing are in the comments."""
    pg = build("05_mlp.ipynb", "Playground")
    for name, preset in pg.presets.items():  # "a preset sets every control": the order does not matter
        assert set(pg.check_state(preset, name)) == set(pg.controls), f"{name!r} leaves controls as they were"
    results = {}

    def pick(name, epochs):
        choose(pg, name)
        pg.restart()  # a preset that changes neither data nor network keeps the weights: Restart, as the text says
        assert pg.epoch == 0
        return train(pg, epochs) if epochs else pg.history

    def circles_two_layers(name):
        h = pick(name, 150)
        assert pg.state["dataset"] == "circles" and pg.net.sizes == [2, 4, 4, 1]  # two hidden layers
        assert h["test_accuracy"][-1] >= 0.9  # "after 150 epochs nearly every test point is right" (0.98)
        results[name] = h["test_accuracy"][-1]

    def a_feature_instead_of_a_layer(dataset, features):
        def claim(name):
            h = pick(name, 50)
            assert pg.state["dataset"] == dataset and pg.features == features
            assert pg.net.sizes == [len(features), 1]  # no hidden layer
            assert h["test_accuracy"][-1] >= 0.9  # "nearly every test point right after 50 epochs" (0.99, 0.97)
        return claim

    def spiral_3_classes(name):
        h = pick(name, 150)
        assert pg.state["dataset"] == "spiral" and pg.net.sizes[-1] == 3 and pg.net.output == "softmax"
        assert 0.5 <= h["test_accuracy"][-1] <= 0.7  # hard: "only about 60 %" after 150 epochs (0.61)
        assert h["test_accuracy"][-1] < results["circles, two layers"] - 0.2  # circles: 0.98 by then

    def narrowing_layers(name):
        pick(name, 200)
        assert pg.net.sizes == [2, 8, 6, 2, 1]  # 8, 6, then 2 neurons, on the two-class spiral
        assert pg.state["dataset"] == "spiral" and not pg.stopped  # trains without pausing (lr 0.3 paused at 172)

    def regression_a_plane(name):
        h = pick(name, 50)
        assert pg.net.sizes == [2, 1] and pg.net.output == "linear"  # no hidden layer, mean squared error
        assert h["test_loss"][-1] < 0.01 < 0.1 * h["test_loss"][0]  # fitted (0.104 at first, 0.0007 after 50)

    def regression_hills_and_valleys(name):
        h = pick(name, 150)
        assert pg.net.output == "linear" and pg.net.sizes == [2, 8, 8, 1]
        assert pg.y_train.min() < -0.5 and pg.y_train.max() > 0.5  # hills and valleys (-0.82 to 0.84)
        plane = np.linalg.lstsq(np.c_[pg.X_train, np.ones(len(pg.X_train))], pg.y_train, rcond=None)[0]
        plane_loss = 0.5 * np.mean((np.c_[pg.X_test, np.ones(len(pg.X_test))] @ plane - pg.y_test) ** 2)
        mean_loss = 0.5 * np.mean((pg.y_train.mean() - pg.y_test) ** 2)
        assert plane_loss > 0.95 * mean_loss  # "the best plane does no better than the mean" (0.0531 vs 0.0533)
        assert h["test_loss"][-1] < 0.8 * plane_loss  # the hidden layers do (0.035 after 150 epochs)

    def overfitting(name):
        h = pick(name, 300)
        assert h["train_accuracy"][-1] >= 0.9 and h["test_accuracy"][-1] < 0.8  # pulled away (0.93 vs 0.79)
        lowest = int(np.argmin(h["test_loss"]))
        assert lowest < 100 and h["test_loss"][-1] > 2 * h["test_loss"][lowest]  # turned up (0.43 at 32, 1.32)
        results[name] = h
        choose(pg, "overfitting, with L2")  # only the regularization changes: the weights carry on ...
        assert pg.epoch == 300
        pg.restart()  # ... until Restart
        assert pg.epoch == 0

    def overfitting_with_l2(name):
        h, without = pick(name, 300), results["overfitting"]
        assert pg.state["regularization"] == "L2"
        assert h["test_loss"][-1] < 0.5 * without["test_loss"][-1]  # "the test loss far lower" (0.43 vs 1.32)
        gap = h["test_loss"][-1] - h["train_loss"][-1]  # "train and test loss stay much closer" (0.24 vs 1.21)
        assert gap < 0.3 * (without["test_loss"][-1] - without["train_loss"][-1])

    def l1_turns_weights_off(name):
        pick(name, 100)
        assert pg.state["regularization"] == "L1" and pg.net.sizes[0] == 7  # every feature offered
        W = pg.net.weights[0]  # (7 features, 8 neurons)
        off = int((np.abs(W) < 0.01).sum())
        assert 20 <= off <= 36  # "about half of the first layer's 56 weights are below 0.01" (27)
        strongest = np.argsort(np.linalg.norm(W, axis=1))[-2:]  # the thick edges left: x1² and x2²
        assert sorted(pg.features[i] for i in strongest) == ["x1_squared", "x2_squared"]
        pg.state = {"regularization": "none"}
        pg.restart()  # the same start, without L1
        train(pg, 100)
        assert int((np.abs(pg.net.weights[0]) < 0.01).sum()) <= 5  # "without L1, 3 are"

    def one_neuron_large(name):
        pick(name, 5)
        assert pg.state["neuron"] == "layer 1 neuron 1"
        assert pg.picture.title.get_text() == "epoch 5: layer 1 neuron 1"  # what the plane shows
        a = pg.net.forward_all(pg.F_plane)[1][1][:, 0].reshape(40, 40)  # that neuron's tanh over the plane
        assert np.allclose(pg.picture.heatmap.grid_rgb(), HEATMAP(Normalize(-1, 1)(a), bytes=True)[..., :3], atol=1)
        mosaic = pg.picture.network
        x, y = mosaic.centres[1][0].astype(int)
        assert (mosaic.pixels[y - mosaic.size // 2 - 2, x] == [0, 0, 0, 255]).all()  # framed black on the left

    def decisions_only(name):
        pick(name, 5)
        assert pg.state["discretize"] and not pg.state["show_test"]
        assert len(np.unique(pg.picture.heatmap.grid_rgb().reshape(-1, 3), axis=0)) == 2  # two colours, nothing between
        assert not any(s.get_visible() for s in pg.picture.test)  # the test points are hidden
        assert any(s.get_visible() for s in pg.picture.train)

    def learning_rate_too_high(name):
        pick(name, 3)
        assert pg.epoch == 1 and pg.stopped and not playing(pg.play)  # blew up in the first epoch, and paused
        assert "learning rate" in pg.readout.value  # and says so

    claims = {"circles, two layers": circles_two_layers,
              "circles, no layer: x1² and x2²": a_feature_instead_of_a_layer("circles", ["x1_squared", "x2_squared"]),
              "xor, no layer: x1·x2": a_feature_instead_of_a_layer("xor", ["x1_x2"]),
              "spiral, 3 classes": spiral_3_classes, "narrowing layers": narrowing_layers,
              "regression: a plane": regression_a_plane, "regression: hills and valleys": regression_hills_and_valleys,
              "overfitting": overfitting, "overfitting, with L2": overfitting_with_l2,
              "L1 turns weights off": l1_turns_weights_off, "one neuron, large": one_neuron_large,
              "decisions only": decisions_only, "learning rate too high": learning_rate_too_high}
    assert_every_preset_checked(pg, claims)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, claim in claims.items():  # in this order: circles before spiral, overfitting before its L2 twin
            claim(name)


# ----- 05: the prose says only what the outputs show -----------------------------------------------

NUMBER = re.compile(r"(?<![\w.])(\d+\.\d+) ?%|(?<![\w.])(0\.\d{4,})|(\d e-\d\d|\de-\d\d)")


def test_lesson05_numbers_in_the_text_come_from_outputs():
    """Every percentage with a decimal, long decimal or 1e-05 in the text is printed by a code cell."""
    nb = nbformat.read(NOTEBOOKS / "05_mlp.ipynb", as_version=4)
    outputs = " ".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    text = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    quoted = {m.group(1) + "%" if m.group(1) else (m.group(2) or m.group(3)) for m in NUMBER.finditer(text)}
    assert len(quoted) > 10
    missing = sorted(q for q in quoted if q not in outputs)
    assert not missing, f"numbers in the text that no output shows: {missing}"


def test_lesson05_l2_exercise_checks_the_table_the_lesson_shows():
    """Exercise 2's check averages the same ten networks as section 5's table: the same baseline."""
    from nnlib.course.lesson05 import validation_accuracy_with_l2

    nb = nbformat.read(NOTEBOOKS / "05_mlp.ipynb", as_version=4)
    outputs = " ".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    shown = re.search(r"l2 = 0\.0 +training accuracy +([\d.]+)% +validation accuracy ([\d.]+)%", outputs)
    train, val = validation_accuracy_with_l2(0.0)
    assert shown.groups() == (f"{100 * train:.1f}", f"{100 * val:.1f}")
