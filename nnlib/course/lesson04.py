"""The exercise checks of lesson 04: backpropagation."""

import numpy as np

from ..checks import describe
from ..gradcheck import numerical_gradient, relative_error
from ..network import MLP
from .feedback import (
    NOT_ANSWERED,
    Feedback,
    _all_finite,
    _call,
    _close,
    _function,
    _numbers,
    _shape,
    _unanswered,
    _verdict,
    answer_check,
)


@answer_check
def check_one_neuron_gradient(dL_dw1, dL_dw2, dL_db):
    """Check the gradient of a sigmoid neuron's cross-entropy at x = (1, 2), w = (0.5, -0.5), b = 0.5, y = 1."""
    if _unanswered(dL_dw1, dL_dw2, dL_db):
        return Feedback(False, NOT_ANSWERED)
    dL_dw1, dL_dw2, dL_db = _numbers(dL_dw1=dL_dw1, dL_dw2=dL_dw2, dL_db=dL_db)
    net = MLP([2, 1], output="sigmoid")
    net.weights, net.biases = [np.array([[0.5], [-0.5]])], [np.array([0.5])]
    dWs, dbs = net.gradients(np.array([[1.0, 2.0]]), np.array([1.0]))
    want = [dWs[0][0, 0], dWs[0][1, 0], dbs[0][0]]
    ok = np.allclose([dL_dw1, dL_dw2, dL_db], want)
    return _verdict(ok, f"z = 0, a = 0.5, dL/dz = a - y = -0.5, so dL/dw = (a - y) x = ({want[0]}, {want[1]}) "
                    f"and dL/db = {want[2]}.",
                    "Hint: first z = w . x + b and a = sigmoid(z); then dL/dz = a - y; then multiply by "
                    "dz/dw1 = x1, dz/dw2 = x2 and dz/db = 1.")


@answer_check
def check_dense_backward(dense_layer_backward):
    """Check a learner's dense_layer_backward(dZ, A_prev, W) -> (dW, db, dA_prev) against central differences."""
    if (refused := _function(dense_layer_backward, "dense_layer_backward")) is not None:
        return refused
    rng = np.random.default_rng(1)
    A_prev, W, b, G = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2), rng.normal(size=(4, 2))
    got, failed = _call(dense_layer_backward, G, A_prev, W)
    if failed is not None:
        return failed
    if _unanswered(got) or (isinstance(got, tuple) and _unanswered(*got)):
        return Feedback(False, NOT_ANSWERED)

    def loss():  # a loss whose dL/dZ is exactly G
        return float(np.sum(G * (A_prev @ W + b)))

    want = [numerical_gradient(loss, W), numerical_gradient(loss, b), numerical_gradient(loss, A_prev)]
    names = ["dW", "db", "dA_prev"]
    if not isinstance(got, tuple) or len(got) != 3:
        return _verdict(False, "", "Return three arrays: dW, db, dA_prev.")
    problems = []
    for name, g, n in zip(names, got, want):
        if _shape(g) != n.shape:
            problems.append(f"{name} has shape {_shape(g)}, expected {n.shape}")
        elif not _all_finite(g):
            problems.append(f"{name} should hold finite numbers; got {describe(g)}")
        elif relative_error(g, n) > 1e-6:
            problems.append(f"{name} differs from the numerical gradient (relative error {relative_error(g, n):.1e})")
    return _verdict(not problems, "All three match the numerical gradient check.",
                    "; ".join(problems) + ". Hint: dW = A_prev.T @ dZ, db = dZ summed over samples, "
                    "dA_prev = dZ @ W.T.")


@answer_check
def check_bias_gradient(bias_gradient):
    """Check a fix for the digit-recognizer article's bias gradient: dZ has a column per sample; return (n_units, 1)."""
    dZ = np.array([[0.2, -0.1, 0.4], [-0.3, 0.5, 0.1]])  # 2 units, 3 samples
    if (refused := _function(bias_gradient, "bias_gradient")) is not None:
        return refused
    got, failed = _call(bias_gradient, dZ, 3)
    if failed is not None:
        return failed
    want = dZ.sum(axis=1, keepdims=True) / 3
    if _shape(got) == ():
        return _verdict(False, "", "That is one number for every unit: the digit-recognizer article's bug. "
                        "Each unit needs its own bias gradient: sum over the samples only (axis=1), "
                        "keeping the column shape.")
    ok = _close(got, want)
    return _verdict(ok, "One bias gradient per unit: the mean over the samples of that unit's dZ.",
                    f"Expected shape {want.shape} with values {want.ravel()}, got {describe(got)}. "
                    "Hint: dZ.sum(axis=1, keepdims=True) / m.")
