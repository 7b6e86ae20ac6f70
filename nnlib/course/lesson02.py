"""The exercise checks of lesson 02: the forward pass."""

import numpy as np

from .. import datasets
from ..examples import two_two_one
from ..layer import dense_forward
from ..network import MLP
from .feedback import NOT_ANSWERED, Feedback, _call, _close, _function, _shape, _unanswered, _verdict, answer_check


@answer_check
def check_shapes(W0, b0, W1, b1, output):
    """Check the shapes of MLP([4, 6, 3])'s parameters and of its output for 10 samples."""
    if _unanswered(W0, b0, W1, b1, output):
        return Feedback(False, NOT_ANSWERED)
    if any(isinstance(v, np.ndarray) and v.ndim > 1 for v in (W0, b0, W1, b1, output)):
        return _verdict(False, "", "Give the shapes, such as (4, 6), not the arrays themselves: net.weights[0].shape.")
    net = MLP([4, 6, 3], output="softmax")
    want = [net.weights[0].shape, net.biases[0].shape, net.weights[1].shape, net.biases[1].shape, (10, 3)]
    names = ["weights[0]", "biases[0]", "weights[1]", "biases[1]", "the output"]
    answers = (W0, b0, W1, b1, output)
    got = [tuple(np.ravel(v).tolist()) if isinstance(v, (tuple, list, np.ndarray)) else v for v in answers]
    wrong = [f"{n} is {w}, not {g}" for n, g, w in zip(names, got, want) if g != w]
    return _verdict(not wrong, "A layer from n_in to n_out neurons has W of shape (n_in, n_out) and b of (n_out,).",
                    "; ".join(wrong[:1]) + ". Hint: W maps a row of n_in inputs to n_out weighted sums.")


@answer_check
def check_layer_forward(layer_forward):
    """Check a learner's layer_forward(A_prev, W, b) = sigmoid(A_prev @ W + b) for a whole batch."""
    if (refused := _function(layer_forward, "layer_forward")) is not None:
        return refused
    rng = np.random.default_rng(0)
    A_prev, W, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    got, failed = _call(layer_forward, A_prev, W, b)
    if failed is not None:
        return failed
    want = dense_forward(A_prev, W, b, "sigmoid")[1]
    if _shape(got) != want.shape:
        return _verdict(False, "", f"For 5 samples into 4 neurons the result should have shape {want.shape}, "
                        f"got {_shape(got)}. Hint: A_prev @ W is (5, 3) @ (3, 4).")
    return _verdict(_close(got, want), "One matrix product computes every neuron for every sample.",
                    "The shape is right but the numbers are not. Hint: sigmoid(A_prev @ W + b).")


@answer_check
def check_xor_network(state):
    """Check that the 2-2-1 network of a HiddenLayerExplorer state computes XOR."""
    if _unanswered(state):
        return Feedback(False, NOT_ANSWERED)
    if not isinstance(state, dict):
        return _verdict(False, "", f"Give the explorer's state, a dict such as xor_explorer.state; got "
                        f"{type(state).__name__}.")
    X, y = datasets.logic_gate("xor")
    net = two_two_one(state, state.get("hidden", "sigmoid"))
    accuracy = net.accuracy(X, y)
    return _verdict(accuracy == 1.0, "Two lines and a third neuron that combines them: XOR, which no single "
                    "neuron can compute.",
                    f"This network gets {accuracy:.0%} of the XOR table right. Hint: make hidden neuron 1 an OR, "
                    "hidden neuron 2 a NAND, and the output an AND of the two.")
