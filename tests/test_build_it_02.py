"""Lesson 02's build-it checks name the usual mistakes, never raise, and drive the XOR explorer."""

import html
import inspect
import re

import nbformat
import numpy as np
import pytest
from lesson_cells import NOTEBOOKS, explorers_of, pick

from nnlib import activations
from nnlib.course.lesson02 import (
    check_hidden_features,
    check_layer_forward,
    check_mlp_forward,
    check_parameter_count,
    check_shapes,
    check_xor_network,
    check_xor_with_and,
)

LESSON = NOTEBOOKS / "02_forward_pass.ipynb"
SOLUTION = re.compile(r"<details><summary>Solution.*?```python\n(.*?)```", re.S)
ODD = [None, ..., "text", "0.5", [1, 2], (1, 2), np.ones((2, 3)), {"w11": 1.0}, float("nan"), True, 3]
KNOWN = {"w11": 10, "w21": 10, "b1": -5, "w12": -10, "w22": -10, "b2": 15, "v1": 10, "v2": 10, "c": -15,
         "hidden": "sigmoid"}
WITH_AND = {**KNOWN, "w12": 10, "w22": 10, "b2": -15, "v2": -20, "c": -5}


def says(feedback, *words):
    """Assert the check said ❌ and each of the words."""
    text = repr(feedback)
    assert not feedback and text.startswith("❌"), text
    for word in words:
        assert word in text, (word, text)


@pytest.fixture(scope="module")
def lesson():
    return nbformat.read(LESSON, as_version=4)


# ----- layer_forward ---------------------------------------------------------------------------------
def layer(A_prev, W, b, f):
    Z = A_prev @ W + b
    return Z, f(Z)


def test_layer_forward_right():
    assert repr(check_layer_forward(layer)).startswith("✅")


@pytest.mark.parametrize(("wrong", "hint"), [
    (lambda A_prev, W, b, f: (W @ A_prev + b, f(W @ A_prev + b)), ["Did you write W @ A_prev?", "samples are rows"]),
    (lambda A_prev, W, b, f: (A_prev @ W, f(A_prev @ W)), ["forgot the bias"]),
    (lambda A_prev, W, b, f: f(A_prev @ W + b), ["returned only A", "return Z, A"]),
    (lambda A_prev, W, b, f: A_prev @ W + b, ["returned only Z"]),
    (lambda A_prev, W, b, f: layer(A_prev, W, b, activations.sigmoid), ["sigmoid(Z)", "the f you are given"]),
    (lambda A_prev, W, b, f: layer(A_prev, W, b, f)[::-1], ["swapped"]),
    (lambda A_prev, W, b, f: (A_prev @ W + b,) * 2, ["A is Z itself"]),
    (lambda A_prev, W, b, f: (f(A_prev @ W + b),) * 2, ["already activated"]),
    (lambda A_prev, W, b, f: ((A_prev @ W + b).T, f(A_prev @ W + b).T), ["shape (4, 5)", "(5, 4)"]),
])
def test_layer_forward_mistakes_are_named(wrong, hint):
    says(check_layer_forward(wrong), *hint)


def test_layer_forward_square_case_catches_w_at_a_prev():
    """With A_prev and W both (4, 4), W @ A_prev does not raise: the check still names it."""
    def square_only(A_prev, W, b, f):
        Z = (W @ A_prev + b) if A_prev.shape == W.shape else A_prev @ W + b
        return Z, f(Z)
    says(check_layer_forward(square_only), "Did you write W @ A_prev?")


# ----- mlp_forward -----------------------------------------------------------------------------------
def forward(X, weights, biases, f, f_out):
    Zs, As = [], [X]
    for l, (W, b) in enumerate(zip(weights, biases)):
        Z = As[-1] @ W + b
        Zs.append(Z)
        As.append(f_out(Z) if l == len(weights) - 1 else f(Z))
    return Zs, As


def f_everywhere(X, weights, biases, f, f_out):
    return forward(X, weights, biases, f, f)


def f_out_everywhere(X, weights, biases, f, f_out):
    return forward(X, weights, biases, f_out, f_out)


def without_x(X, weights, biases, f, f_out):
    Zs, As = forward(X, weights, biases, f, f_out)
    return Zs, As[1:]


def only_output(X, weights, biases, f, f_out):
    return forward(X, weights, biases, f, f_out)[1][-1]


def no_bias(X, weights, biases, f, f_out):
    return forward(X, weights, [0 * b for b in biases], f, f_out)


def two_layers_only(X, weights, biases, f, f_out):
    Z1 = X @ weights[0] + biases[0]
    Z2 = f(Z1) @ weights[1] + biases[1]
    return [Z1, Z2], [X, f(Z1), f_out(Z2)]


def w_at_a(X, weights, biases, f, f_out):
    Zs, As = [], [X]
    for W, b in zip(weights, biases):
        Zs.append(W @ As[-1] + b)
        As.append(f(Zs[-1]))
    return Zs, As


def feeds_z(X, weights, biases, f, f_out):
    Zs, As, inputs = [], [X], X
    for l, (W, b) in enumerate(zip(weights, biases)):
        Zs.append(inputs @ W + b)
        As.append(f_out(Zs[-1]) if l == len(weights) - 1 else f(Zs[-1]))
        inputs = Zs[-1]
    return Zs, As


def feeds_x(X, weights, biases, f, f_out):
    Zs, As = [], [X]
    for l, (W, b) in enumerate(zip(weights, biases)):
        Zs.append(X @ W + b)
        As.append(f_out(Zs[-1]) if l == len(weights) - 1 else f(Zs[-1]))
    return Zs, As


def swapped(X, weights, biases, f, f_out):
    Zs, As = forward(X, weights, biases, f, f_out)
    return As, Zs


def test_mlp_forward_right_and_as_0_is_x():
    assert repr(check_mlp_forward(forward)).startswith("✅")


@pytest.mark.parametrize(("wrong", "hint"), [
    (f_everywhere, ["applied f to the output layer instead of f_out"]),
    (f_out_everywhere, ["applied f_out to hidden layer 1"]),
    (without_x, ["As[0] is X itself", "As = [X]"]),
    (only_output, ["returned only the output", "Zs, As"]),
    (no_bias, ["Zs[0] has no bias"]),
    (two_layers_only, ["3-layer network", "Zs should hold 3 arrays"]),
    (w_at_a, ["Did you write W @ A_prev?", "samples are rows"]),
    (feeds_z, ["Layer 2 was fed Zs[0]", "As[1] = f(Zs[0])"]),  # layers numbered from 1, as in every other hint
    (feeds_x, ["Did you write W @ A_prev?", "Or is every layer fed X?", "the previous activation, As[-1]"]),
    (swapped, ["Zs and As are swapped", "Return Zs, As, in that order"]),
])
def test_mlp_forward_mistakes_are_named(wrong, hint):
    says(check_mlp_forward(wrong), *hint)


def test_one_layer_works_too():
    """A network without hidden layers: the one layer is the output, so f_out applies and f never does."""
    def hidden_only(X, weights, biases, f, f_out):
        return forward(X, weights, biases, f, f_out) if len(weights) > 1 else forward(X, weights, biases, f, f)
    says(check_mlp_forward(hidden_only), "1-layer network", "instead of f_out")


# ----- the other checks -------------------------------------------------------------------------------
def test_parameter_count():
    assert check_parameter_count([3, 4, 2], 26) and check_parameter_count([784, 128, 10], 101_770)
    says(check_parameter_count([3, 4, 2], 20), "also has a bias")
    says(check_parameter_count([3, 4, 2], 29), "no biases")
    says(check_parameter_count([3, 4, 2], 24), "Multiplying all the sizes")
    says(check_parameter_count([3, 4, 2], 27), "layer by layer")
    says(check_parameter_count([3, 4, 2], "26"), "without quotes")
    says(check_parameter_count("3, 4, 2", 26), "sizes should list")


def test_xor_with_an_and_inside():
    assert check_xor_with_and(WITH_AND) and check_xor_with_and({**WITH_AND, "hidden": "step"})
    swapped = {**WITH_AND, "w11": 10, "w21": 10, "b1": -15, "w12": 10, "w22": 10, "b2": -5, "v1": -20, "v2": 10}
    assert check_xor_with_and(swapped)  # the AND may be either hidden neuron
    says(check_xor_with_and(KNOWN), "neither hidden neuron is an AND", "negate w12, w22 and b2")
    says(check_xor_with_and({**WITH_AND, "v2": 10}), "Hidden neuron 2 is an AND", "75%", "negative")
    says(check_xor_with_and({**KNOWN, "v1": 0}), "neither hidden neuron is an AND yet")
    says(check_xor_with_and([1, 2]), "xor_explorer.state")
    says(check_xor_with_and({"w11": 1}), "missing")


def test_hidden_features_of_1_1():
    assert check_hidden_features(1, 0) and check_hidden_features(0.99, 0.01)
    says(check_hidden_features(1, 1), "NAND", "at most one")
    says(check_hidden_features(0, 0), "OR", "at least one")
    says(check_hidden_features("1", 0), "without quotes")


CHECKS = [check_layer_forward, check_mlp_forward, check_parameter_count, check_xor_with_and, check_hidden_features,
          check_shapes, check_xor_network]


def raises(*_):
    raise RuntimeError("the learner's bug")


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("odd", ODD + [raises, lambda *a: a[0], lambda *a: ("x", None), lambda *a: ([], [])],
                         ids=lambda v: getattr(v, "__name__", repr(v)))
def test_odd_answers_get_feedback_never_an_error(check, odd):
    feedback = check(*[odd] * len(inspect.signature(check).parameters))
    assert repr(feedback)[0] in "✅❌⏳" and "Traceback" not in repr(feedback), repr(feedback)


@pytest.mark.parametrize("check", [check_layer_forward, check_mlp_forward], ids=lambda c: c.__name__)
def test_a_function_that_raises_is_named_not_shown(check):
    says(check(raises), "Your function raised RuntimeError: the learner's bug")


# ----- the lesson ------------------------------------------------------------------------------------
def exercises(nb):
    return [i for i, c in enumerate(nb.cells) if "exercise" in c.metadata.get("tags", [])]


def test_at_least_five_exercises_two_of_them_predict_or_derive(lesson):
    tagged = [set(lesson.cells[i].metadata["tags"]) for i in exercises(lesson)]
    assert len(tagged) >= 5
    assert sum(bool(tags & {"predict", "derive"}) for tags in tagged) >= 2


def parts(line):
    """A solution line, and its right-hand side when that is long enough to be telling."""
    line = line.split("#")[0].strip()
    value = line.removeprefix("return ").split(" = ", 1)[-1].strip()
    return [line] + ([value] if len(value) >= 12 else [])


# Exercise 4 keeps the known solution's OR neuron, on purpose: only its AND neuron and output are new.
SHARED = ('xor_explorer.state = {"w11": 10, "w21": 10, "b1": -5,', '"hidden": "sigmoid"}')


def test_no_answer_is_shown_above_its_exercise(lesson):
    """No line of a solution (but the check's call) is in a cell, or an output, above the exercise."""
    for i in exercises(lesson):
        code = SOLUTION.search(lesson.cells[i + 1].source).group(1)
        answer = [line.strip() for line in code.splitlines() if line.strip()
                  and not line.strip().startswith(("check_", "def ", "#", *SHARED))]
        above = "\n".join(c.source + "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                                             for o in c.get("outputs", []))
                          for c in lesson.cells[:i])
        question = lesson.cells[i - 1].source + lesson.cells[i].source  # the exercise's own words are no answer
        shown = [line for line in answer if any(part in above and part not in question for part in parts(line))]
        assert not shown, f"exercise in cell {i}: {shown} is shown above it"


def test_the_forward_loop_comes_after_mlp_forward(lesson):
    sources = [c.source for c in lesson.cells]
    exercise = next(i for i, s in enumerate(sources) if "def mlp_forward" in s)
    loop = next(i for i, s in enumerate(sources) if "for W, b, f in [(net.weights[0]" in s)
    assert exercise < loop


def test_the_xor_explorer_poses_a_question_no_preset_answers(lesson):
    xor_explorer, = explorers_of("02_forward_pass.ipynb", ("HiddenLayerExplorer(",))
    for name, preset in xor_explorer.presets.items():
        assert not check_xor_with_and({**xor_explorer.state, **preset}), name
    xor_explorer.state = WITH_AND  # the solution, set as a learner would with the sliders
    assert check_xor_with_and(xor_explorer.state) and xor_explorer.accuracy == 1


def test_the_learners_forward_pass_drives_the_explorer(lesson):
    """The solution of exercise 3 matches nnlib's in the explorer; a forward pass without biases shows its bug."""
    xor_explorer, = explorers_of("02_forward_pass.ipynb", ("HiddenLayerExplorer(",))
    namespace = {"np": np}
    exec(SOLUTION.search(next(c.source for c in lesson.cells if "def mlp_forward(X, weights, biases, f, f_out):\n"
                                                                    "    Zs, As" in c.source)).group(1)
         .replace("check_mlp_forward(mlp_forward)", ""), namespace)
    preset = "known solution: OR and NAND, then AND"
    pick(xor_explorer, preset)
    nnlib_png = xor_explorer.png
    xor_explorer.use(forward=namespace["mlp_forward"])
    pick(xor_explorer, preset)
    assert xor_explorer.difference["forward"] < 1e-9 and "matches nnlib's" in html.unescape(xor_explorer.readout.value)
    assert xor_explorer.accuracy == 1
    xor_explorer.use(forward=no_bias)
    pick(xor_explorer, preset)
    assert xor_explorer.difference["forward"] > 0.3
    assert "differs from nnlib's by up to" in html.unescape(xor_explorer.readout.value)
    assert xor_explorer.png != nnlib_png
    xor_explorer.use(forward=None)
    assert xor_explorer.png == nnlib_png


def test_the_plug_in_cell_follows_the_xor_explorer_and_mlp_forward(lesson):
    sources = [c.source for c in lesson.cells]
    use = sources.index("xor_explorer.use(forward=mlp_forward)")
    assert use > next(i for i, s in enumerate(sources) if "xor_explorer = HiddenLayerExplorer(" in s)
    assert use > next(i for i, s in enumerate(sources) if "def mlp_forward" in s)


def test_no_seed_numbers_in_the_text(lesson):
    assert not re.search(r"seed 0\d\d", "\n".join(c.source for c in lesson.cells))
