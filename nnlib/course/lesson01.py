"""The exercise checks of lesson 01: the single neuron."""

import warnings

import numpy as np

from .. import activations, checks, datasets
from ..layer import dense_forward
from ..network import MLP
from .feedback import NOT_ANSWERED, Feedback, _call, _close, _function, _numbers, _unanswered, _verdict, answer_check


@answer_check
def check_weighted_sum(weighted_sum):
    """Check a learner's weighted_sum(x, w, b) against w . x + b on a few cases."""
    cases = [([1.0, 2.0], [0.5, -1.0], 0.25), ([0.0, 0.0], [3.0, 4.0], -2.0), ([2.0, -1.0, 3.0], [1.0, 1.0, 1.0], 0.5)]
    if (refused := _function(weighted_sum, "weighted_sum")) is not None:
        return refused
    got, failed = _call(lambda: [weighted_sum(np.array(x), np.array(w), b) for x, w, b in cases])
    if failed is not None:
        return failed
    if _unanswered(*got):
        return Feedback(False, NOT_ANSWERED)
    want = [float(np.dot(x, w) + b) for x, w, b in cases]
    try:
        ok = np.allclose(np.asarray(got, dtype=float), want)
    except (TypeError, ValueError):
        ok = False
    return _verdict(ok, "z = w1 x1 + w2 x2 + ... + b, for any number of inputs.",
                    f"For x={cases[0][0]}, w={cases[0][1]}, b={cases[0][2]} you returned {got[0]!r}; "
                    f"expected {want[0]}. Hint: multiply matching entries, add them up, then add b "
                    "(np.dot(x, w) does the first two).")


@answer_check
def check_gate(name, w1, w2, b):
    """Check that a step neuron with weights (w1, w2) and bias b computes the gate `name`."""
    if _unanswered(w1, w2, b):
        return Feedback(False, NOT_ANSWERED)
    w1, w2, b = _numbers(w1=w1, w2=w2, b=b)  # a string or a list: ❌ saying what is expected
    X, y = datasets.logic_gate(name)
    _, a = dense_forward(X, np.array([[w1], [w2]]), np.array([b]), "step")
    wrong = [tuple(int(v) for v in x) for x, got, want in zip(X, a[:, 0], y) if got != want]
    return _verdict(not wrong, f"This neuron computes {name.upper()}.",
                    f"It gets {wrong} wrong. Hint: the neuron fires when w1 x1 + w2 x2 + b >= 0; "
                    "write that inequality for each of the four rows and pick numbers that satisfy all four.")


@answer_check
def check_sigmoid_derivative(sigmoid_derivative):
    """Check a learner's sigmoid_derivative(z) against sigmoid(z) (1 - sigmoid(z))."""
    z = np.array([-3.0, -0.5, 0.0, 2.0, 10.0])
    if (refused := _function(sigmoid_derivative, "sigmoid_derivative")) is not None:
        return refused
    got, failed = _call(sigmoid_derivative, z)
    if failed is not None:
        return failed
    want = activations.sigmoid_derivative(z)
    ok = _close(got, want)
    at_output_bug = _close(got, activations.sigmoid_derivative(activations.sigmoid(z)))
    hint = ("That is the derivative taken at the neuron's output, the bug of the ml_zero_to_hero notebook "
            "in section 6: apply the formula to z itself." if at_output_bug else
            "Hint: with s = sigmoid(z), the derivative is s * (1 - s); at z = 0 it is 0.25.")
    return _verdict(bool(ok), "sigmoid'(z) = sigmoid(z) (1 - sigmoid(z)), largest (0.25) at z = 0.", hint)


@answer_check
def check_learning_rate(lr):
    """Check that with learning rate lr one sigmoid neuron learns OR (loss < 0.1) within 20 epochs."""
    if _unanswered(lr):
        return Feedback(False, NOT_ANSWERED)
    lr = checks.positive_number(lr, "lr", example=0.5)  # 0, -1 or "0.5": ❌ saying what is expected
    if lr > 1000:
        return _verdict(False, "", f"lr={lr:g} may well reach the target, but only because one neuron on "
                        "separable data cannot overshoot for long: its weights just race to huge values. "
                        "In any deeper network such a rate blows up. Find one below 1000.")
    X, y = datasets.logic_gate("or")
    net = MLP([2, 1], output="sigmoid", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # divergence is reported below, in words
        history = net.fit(X, y, epochs=20, lr=lr)
    if history["stopped"]:
        return _verdict(False, "", f"With lr={lr} training blew up: the steps are far too large. Try a smaller lr.")
    # history["loss"][i] is the loss before step i + 1, that is after i steps; add the loss after the last step
    curve = history["loss"] + [net.loss(X, y)]
    reached = next((steps for steps, v in enumerate(curve) if v < 0.1), None)
    if reached is None:
        return _verdict(False, "", f"With lr={lr} the loss is still {curve[-1]:.3f} after 20 epochs. "
                        "Hint: the steps are too small; try a learning rate ten times larger.")
    return _verdict(True, f"With lr={lr} the loss falls below 0.1 after {reached} epochs ({curve[reached]:.3g}).", "")


def _step_errors(name, w1, w2, b):
    """Return the inputs of gate `name` that a step neuron (class 1 where z >= 0) gets wrong."""
    X, y = datasets.logic_gate(name)
    z = X @ np.array([w1, w2]) + b
    return [tuple(int(v) for v in x) for x, got, want in zip(X, z >= 0, y) if got != want]


@answer_check
def check_nand(state):
    """Check that a NeuronExplorer state (w1, w2, b) computes NAND, by the explorer's rule: class 1 where z >= 0."""
    weights = _weights_of(state, "and_explorer")
    if isinstance(weights, Feedback):
        return weights
    w1, w2, b = weights
    wrong = _step_errors("nand", w1, w2, b)
    if not _step_errors("and", w1, w2, b):
        return _verdict(False, "", "That is still AND: the explorer shows 100 % because it scores against AND. "
                        "NAND needs every point on the other side of the line, which the explorer shows as 0 %.")
    return _verdict(not wrong, f"w = ({w1:g}, {w2:g}), b = {b:g} computes NAND: exactly the opposite of AND, "
                    "so the explorer, which still scores against AND, shows 0 %.",
                    f"It gets {wrong} wrong. Hint: the vector (w1, w2) points to the class-1 side of the line; "
                    "for NAND the class-1 side is the one with (0, 0). Negating w1, w2 and b turns the line's "
                    "sides around.")


@answer_check
def check_and_biases(low, high):
    """Check the interval low <= b < high of biases with which w1 = w2 = 2 computes AND (answer: -4 and -2)."""
    if _unanswered(low, high):
        return Feedback(False, NOT_ANSWERED)
    low, high = _numbers(low=low, high=high)
    if low >= high:
        return _verdict(False, "", f"low ({low:g}) should be below high ({high:g}): b runs from low up to high.")
    works = [b for b in (low, (low + high) / 2, high - 1e-9) if not _step_errors("and", 2.0, 2.0, b)]
    ok = np.isclose(low, -4.0) and np.isclose(high, -2.0)
    hint = ("Every bias from low to just below high gives 100 %, but the interval is wider. " if len(works) == 3 else
            "Some biases in that interval get AND wrong. ")
    return _verdict(ok, "With w1 = w2 = 2, AND needs 2 + b < 0 (so b < -2) and 4 + b >= 0 (so b >= -4). "
                    "b = 0 is out because the origin would have z = 0, and z >= 0 means class 1.",
                    hint + "Hint: write z = 2 x1 + 2 x2 + b for each of the four inputs; (1, 1) needs z >= 0 "
                    "and the other three z < 0.")


@answer_check
def check_neuron_gradient(dL_dw1, dL_dw2, dL_db):
    """Check the slopes of the cross-entropy for w = (0, 0), b = 0 and the sample x = (2, -1), y = 1."""
    if _unanswered(dL_dw1, dL_dw2, dL_db):
        return Feedback(False, NOT_ANSWERED)
    got = np.array(_numbers(dL_dw1=dL_dw1, dL_dw2=dL_dw2, dL_db=dL_db))
    x, y = np.array([2.0, -1.0]), 1.0
    a = activations.sigmoid(0.0)  # z = w . x + b = 0
    want = np.append((a - y) * x, a - y)  # (-1, 0.5, -0.5)
    if np.allclose(got, want):
        return _verdict(True, "z = 0, a = 0.5 and a - y = -0.5, so the slopes are (a - y) x = (-1, 0.5) and "
                        "a - y = -0.5. A step against them raises z for this sample, towards its label 1.", "")
    if np.allclose(got, -want):
        hint = "Each sign is flipped: the slope is (a - y) x_j, not (y - a) x_j."
    elif np.allclose(got, want * 0.25):
        hint = ("You multiplied by sigma'(z) = 0.25 once more: in (a - y) x_j it has already cancelled "
                "against the 1 / (a (1 - a)) of dL/da.")
    elif np.allclose(got[:2], [a - y] * 2):
        hint = "The weights' slopes need their input: dL/dw_j = (a - y) x_j."
    elif np.allclose(got[:2], want[:2]):
        hint = "The weights are right; the bias's input is always 1, so dL/db = a - y."
    else:
        hint = "Go step by step: z = w1 x1 + w2 x2 + b, then a = sigmoid(z), then (a - y) x_j and a - y."
    return _verdict(False, "", hint)


def _blobs_losses(lr, epochs=100):
    """The loss before each epoch and after the last, for the trainer's run at learning rate lr."""
    X, y = datasets.blobs(100, noise=1.0, seed=1)
    net = MLP([2, 1], output="sigmoid")
    net.weights, net.biases = [np.array([[-1.0], [0.5]])], [np.array([0.5])]
    return net.fit(X, y, epochs=epochs, lr=lr)["loss"] + [net.loss(X, y)]


@answer_check
def check_lr_prediction(prediction):
    """Check a prediction of what lr = 10 does to the trainer's run: "a", "b" or "c" (see lesson 01)."""
    if _unanswered(prediction):
        return Feedback(False, NOT_ANSWERED)
    letter = prediction.strip().strip("()").lower() if isinstance(prediction, str) else None
    if letter not in ("a", "b", "c"):
        return _verdict(False, "", f'Give one letter in quotes: "a", "b" or "c"; got {checks.describe(prediction)}.')
    steady, large = _blobs_losses(0.5), _blobs_losses(10.0)
    truth = "b" if large[1] > large[0] else "a" if large[1] < steady[1] and large[-1] < steady[-1] else "c"
    story = (f"At lr = 10 the first step takes the loss from {large[0]:.3f} to {large[1]:.3f} ({steady[1]:.3f} at "
             f"lr 0.5), and after 100 epochs it is {large[-1]:.4f} against {steady[-1]:.4f}.")
    moral = " Twenty times 0.5 is not too large on these data." if truth == "a" else ""
    return _verdict(letter == truth, story + moral + " Set the trainer's lr to 10 and press ▶ to watch it; "
                    "then try 50.",
                    story + " Set the trainer's lr to 10 and press ▶ to see it.")


def _weights_of(state, explorer):
    """Return (w1, w2, b) from an explorer's state, or a Feedback saying what is wrong with the state."""
    if _unanswered(state):
        return Feedback(False, NOT_ANSWERED)
    if not hasattr(state, "keys"):
        return _verdict(False, "", f"Give the explorer's state, a dict such as {explorer}.state; got "
                        f"{checks.describe(state)}.")
    missing = [name for name in ("w1", "w2", "b") if name not in state]
    if missing:
        return _verdict(False, "", f"The state is missing {missing}: give the whole {explorer}.state.")
    return tuple(_numbers(w1=state["w1"], w2=state["w2"], b=state["b"]))


@answer_check
def check_copy_x2(state):
    """Check a state of the "label = x2" explorer that copies x2 while ignoring x1: w1 = 0, every row right."""
    weights = _weights_of(state, "x2_explorer")
    if isinstance(weights, Feedback):
        return weights
    w1, w2, b = weights
    X, y = datasets.x2_table()
    wrong = [tuple(int(v) for v in x) for x, got, want in zip(X, X @ [w1, w2] + b >= 0, y) if got != want]
    if wrong:
        return _verdict(False, "", f"It gets {wrong} wrong. Hint: the label is x2 itself, so the line must "
                        "separate x2 = 0 from x2 = 1: a horizontal line between them.")
    return _verdict(w1 == 0, f"w2 = {w2:g} and b = {b:g} put the line at x2 = {-b / w2:g}: x1 plays no part, "
                    "as the label says.", "All four right, but w1 is not 0: the line is tilted, so x1 still "
                    "counts. Set w1 to 0 and find b and w2 again.")


@answer_check
def check_xor_misses_01(state):
    """Check a state of lesson 01's XOR explorer that gets XOR 75 % right, the one wrong point being (0, 1)."""
    weights = _weights_of(state, "xor_explorer")
    if isinstance(weights, Feedback):
        return weights
    wrong = _step_errors("xor", *weights)
    return _verdict(wrong == [(0, 1)], "Three of four, wrong only at (0, 1): every line gets at least one "
                    "XOR point wrong, and you chose which.",
                    f"It gets {wrong or 'nothing'} wrong; the aim is (0, 1) alone. Hint: the line must keep "
                    "(0, 0) and (1, 1) on the class-0 side and (1, 0) on the class-1 side: try w1 > 0 > w2.")
