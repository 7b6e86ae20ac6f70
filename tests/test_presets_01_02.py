"""Every preset of lessons 01 and 02 does what its name says.

Each explorer is rebuilt from its own cell of the committed notebook (the cells
before it run first, headless), every preset is picked through the Preset menu,
and the claim its name makes is asserted. A preset without a claim here fails.
"""

import nbformat
import numpy as np
import pytest
from lesson_cells import NOTEBOOKS, pick, presets_of

EXPLORERS = ("NeuronExplorer(", "NeuronTrainer(", "HiddenLayerExplorer(")
PUBLISHED = (-0.50362183, 8.92257347, -4.08058729)  # what the ml_zero_to_hero notebook prints


@pytest.fixture(scope="module")
def lesson01():
    return presets_of("01_single_neuron.ipynb", EXPLORERS)


@pytest.fixture(scope="module")
def lesson02():
    return presets_of("02_forward_pass.ipynb", EXPLORERS)


def step_predictions(explorer):
    """Class 1 where z = w1 x1 + w2 x2 + b >= 0 (what the neuron explorers score)."""
    s = explorer.state
    return (explorer.X @ np.array([s["w1"], s["w2"]]) + s["b"] >= 0).astype(int)


def trainer_curve(explorer, preset):
    pick(explorer, preset)
    assert explorer.state["epoch"] == 100 and explorer.loss == explorer.curve[100]
    return np.array(explorer.curve)


# ----- lesson 01 -------------------------------------------------------------------------------
def and_solved(p):
    assert pick(p["AND solved"], "AND solved").accuracy == 1


def and_very_confident(p):
    solved = pick(p["AND solved"], "AND solved").loss
    explorer = pick(p["AND, very confident"], "AND, very confident")
    assert explorer.accuracy == 1 and explorer.loss < solved / 5  # 0.0036 against 0.0274


def no_bias(p):
    explorer = pick(p["no bias: stuck at the origin"], "no bias: stuck at the origin")
    assert explorer.state["b"] == 0 and explorer.accuracy == 0.25
    assert step_predictions(explorer)[np.all(explorer.X == 0, axis=1)] == [1]  # z = 0 at the origin: class 1
    grid = np.linspace(-10, 10, 81)  # every w on the sliders, b = 0: the origin is always class 1, AND says 0
    best = max(np.mean((explorer.X @ np.array([w1, w2]) >= 0) == explorer.y) for w1 in grid for w2 in grid)
    assert best <= 0.75


def and_weights_on_or(p):
    explorer = pick(p["AND weights: too strict for OR"], "AND weights: too strict for OR")
    assert explorer.state["activation"] == "step" and explorer.accuracy == 0.5
    wrong = explorer.X[step_predictions(explorer) != explorer.y]
    assert sorted(map(tuple, wrong.tolist())) == [(0.0, 1.0), (1.0, 0.0)]  # too strict: only (1, 1) passes


def only_a_bias(p):
    name = "no weights, only a bias: the same answer everywhere"
    explorer = pick(p[name], name)
    assert len(set(step_predictions(explorer))) == 1
    assert len(set(np.round(explorer.plot.image.get_array().ravel(), 12))) == 1  # the heatmap is one colour


def what_training_finds(p):
    explorer = pick(p["what training finds"], "what training finds")
    assert explorer.accuracy == 1
    s = explorer.state
    assert np.allclose([s["w1"], s["w2"], s["b"]], PUBLISHED, atol=0.1)


def lr_too_small(p):
    name = "lr too small: crawls"
    curve = trainer_curve(p[name], name)
    steady = trainer_curve(p[name], "lr 0.5: falls every epoch")
    assert np.all(np.diff(curve) < 0)  # it does fall...
    assert curve[-1] > 0.5 * curve[0] and curve[-1] > 2 * steady[-1]  # ...but slowly: 0.377 against 0.131


def lr_steady(p):
    curve = trainer_curve(p["lr 0.5: falls every epoch"], "lr 0.5: falls every epoch")
    assert np.all(np.diff(curve) < 0)


def lr_too_large(p):
    name = "lr too large: overshoots and lurches"
    curve = trainer_curve(p[name], name)
    steady = trainer_curve(p[name], "lr 0.5: falls every epoch")
    assert curve[1] > curve[0]  # the first step overshoots: higher than the start (0.703 > 0.564)
    assert np.sum(np.diff(curve) > 0) >= 10  # and lurches (45 rising epochs of 100)
    assert curve[-1] > steady[-1]  # and ends worse than lr 0.5 (0.158 > 0.131)
    assert not p[name].history["stopped"]


def xor_best_line(p):
    name = "XOR impossible: the best a line can do"
    assert pick(p[name], name).accuracy == 0.75


def xor_nand_line(p):
    name = "XOR impossible: the NAND line, also 75 %"
    assert pick(p[name], name).accuracy == 0.75


LESSON01 = {
    "AND solved": and_solved,
    "AND, very confident": and_very_confident,
    "no bias: stuck at the origin": no_bias,
    "AND weights: too strict for OR": and_weights_on_or,
    "no weights, only a bias: the same answer everywhere": only_a_bias,
    "what training finds": what_training_finds,
    "lr too small: crawls": lr_too_small,
    "lr 0.5: falls every epoch": lr_steady,
    "lr too large: overshoots and lurches": lr_too_large,
    "XOR impossible: the best a line can do": xor_best_line,
    "XOR impossible: the NAND line, also 75 %": xor_nand_line,
}


# ----- lesson 02 -------------------------------------------------------------------------------
def grid_zs(explorer):
    """The hidden and output weighted sums over the explorer's picture."""
    zs, _ = explorer.net.forward_all(explorer.plot.points)
    return zs[0], zs[1][:, 0]


def known_solution(p):
    name = "known solution: OR and NAND, then AND"
    explorer = pick(p[name], name)
    assert explorer.accuracy == 1
    hidden = explorer.net.forward_all(explorer.X)[1][1] > 0.5
    assert hidden[:, 0].tolist() == np.any(explorer.X > 0, axis=1).tolist()   # hidden neuron 1 is OR
    assert hidden[:, 1].tolist() == (~np.all(explorer.X > 0, axis=1)).tolist()  # hidden neuron 2 is NAND


def only_hidden_1(p):
    name = "only hidden neuron 1 (a single line again)"
    explorer = pick(p[name], name)
    assert explorer.accuracy == 0.75
    hidden, output = grid_zs(explorer)
    assert np.array_equal(np.sign(output), np.sign(hidden[:, 0]))  # the boundary is hidden neuron 1's line


def linear_hidden(p):
    name = "linear hidden layer: one line again, 75 % at best"
    explorer = pick(p[name], name)
    assert explorer.state["hidden"] == "linear" and explorer.accuracy == 0.75
    _, output = grid_zs(explorer)
    points = np.column_stack([explorer.plot.points, np.ones(len(output))])
    coefficients, *_ = np.linalg.lstsq(points, output, rcond=None)
    assert np.abs(points @ coefficients - output).max() < 1e-9  # z is a + b x1 + c x2: one line
    assert output.min() < 0 < output.max()  # and that line lies inside the picture


LESSON02 = {
    "known solution: OR and NAND, then AND": known_solution,
    "only hidden neuron 1 (a single line again)": only_hidden_1,
    "linear hidden layer: one line again, 75 % at best": linear_hidden,
}


def test_every_preset_has_a_claim_tested(lesson01, lesson02):
    assert sorted(lesson01) == sorted(LESSON01)
    assert sorted(lesson02) == sorted(LESSON02)


@pytest.mark.parametrize("name", list(LESSON01))
def test_lesson01_preset_does_what_its_name_says(lesson01, name):
    LESSON01[name](lesson01)


@pytest.mark.parametrize("name", list(LESSON02))
def test_lesson02_preset_does_what_its_name_says(lesson02, name):
    LESSON02[name](lesson02)


def test_lesson02_parameter_count_in_prose_is_right():
    import nnlib

    net = nnlib.MLP([784, 128, 10])
    assert sum(W.size + b.size for W, b in zip(net.weights, net.biases)) == 101_770
    lesson = "\n".join(c.source for c in nbformat.read(NOTEBOOKS / "02_forward_pass.ipynb", as_version=4).cells)
    guide = (NOTEBOOKS.parent / "docs" / "teaching.md").read_text()
    assert "101\\,770" in lesson and "101 770" in guide
