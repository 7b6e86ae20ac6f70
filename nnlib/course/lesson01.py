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
    reached = next((i + 1 for i, v in enumerate(history["loss"]) if v < 0.1), None)
    if reached is None:
        return _verdict(False, "", f"With lr={lr} the loss is still {history['loss'][-1]:.3f} after 20 epochs. "
                        "Hint: the steps are too small; try a learning rate ten times larger.")
    return _verdict(True, f"With lr={lr} the loss falls below 0.1 in epoch {reached}.", "")
