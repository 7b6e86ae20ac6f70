"""The exercise checks of lesson 02: the forward pass.

The build-it pieces, layer_forward and mlp_forward, are checked in lesson02_build.py;
they are imported here too, so that a lesson imports every check of lesson 02 from one place.
"""

import numpy as np

from .. import checks, datasets
from ..examples import two_two_one
from ..network import MLP
from .feedback import NOT_ANSWERED, Feedback, _numbers, _unanswered, _verdict, answer_check
from .lesson02_build import check_layer_forward, check_mlp_forward  # noqa: F401 - the lesson imports them from here


@answer_check
def check_parameter_count(sizes, count):
    """Check a count of the weights and biases of MLP(sizes): n_in * n_out + n_out for each layer."""
    if _unanswered(sizes, count):
        return Feedback(False, NOT_ANSWERED)
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
        return _verdict(False, "", "sizes should list the layer sizes, such as [3, 4, 2]; got "
                        f"{checks.describe(sizes)}.")
    sizes = [checks.positive_int(n, f"sizes[{i}]") for i, n in enumerate(sizes)]
    count = checks.whole_number(count, "count", 0, example=26)
    weights = sum(n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    biases = sum(sizes[1:])
    if count == weights + biases:
        return _verdict(True, f"{weights} weights and {biases} biases: each layer has n_in x n_out weights and "
                        "n_out biases.", "")
    if count == weights:
        hint = f"That is the weights ({weights}); every neuron after the input layer also has a bias."
    elif count == weights + sum(sizes):
        hint = "The input layer computes nothing, so it has no biases: only the neurons of the later layers do."
    elif count == int(np.prod(sizes)):
        hint = "Multiplying all the sizes counts connections that do not exist: layers connect only to the next."
    else:
        hint = "Count layer by layer: a layer from n_in to n_out neurons has n_in x n_out weights and n_out biases."
    return _verdict(False, "", hint)


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


def _xor_net(state):
    """Return (the 2-2-1 network of an explorer state, None), or (None, the Feedback for an unusable state)."""
    if _unanswered(state):
        return None, Feedback(False, NOT_ANSWERED)
    if not isinstance(state, dict):
        return None, _verdict(False, "", f"Give the explorer's state, a dict such as xor_explorer.state; got "
                              f"{type(state).__name__}.")
    return two_two_one(state, state.get("hidden", "sigmoid")), None


@answer_check
def check_xor_network(state):
    """Check that the 2-2-1 network of a HiddenLayerExplorer state computes XOR."""
    net, refused = _xor_net(state)
    if refused is not None:
        return refused
    accuracy = net.accuracy(*datasets.logic_gate("xor"))
    return _verdict(accuracy == 1.0, "Two lines and a third neuron that combines them: XOR, which no single "
                    "neuron can compute.",
                    f"This network gets {accuracy:.0%} of the XOR table right. Hint: make hidden neuron 1 an OR, "
                    "hidden neuron 2 a NAND, and the output an AND of the two.")


@answer_check
def check_xor_with_and(state):
    """Check that a HiddenLayerExplorer state computes XOR with one of its hidden neurons an AND."""
    net, refused = _xor_net(state)
    if refused is not None:
        return refused
    X, y = datasets.logic_gate("xor")
    z_hidden = net.forward_all(X)[0][0]  # (4 inputs, 2 hidden neurons); class 1 where z >= 0, as in lesson 01
    ands = [j + 1 for j in range(2) if ((z_hidden[:, j] >= 0) == datasets.logic_gate("and")[1].astype(bool)).all()]
    accuracy = net.accuracy(X, y)
    if accuracy == 1.0 and ands:
        return _verdict(True, f"Hidden neuron {ands[0]} is an AND, and the output says 1 where the OR is on and the "
                        "AND is off: XOR = AND(OR, NOT AND), with a negative weight from the AND.", "")
    if accuracy == 1.0:
        return _verdict(False, "", "This solves XOR, but neither hidden neuron is an AND (z >= 0 only for (1, 1)). "
                        "Hint: an AND neuron is a NAND turned around: negate w12, w22 and b2.")
    if not ands:
        return _verdict(False, "", f"This network gets {accuracy:.0%} of XOR right, and neither hidden neuron is an "
                        "AND yet. Hint: start with the hidden neurons: one an OR, the other an AND "
                        "(z >= 0 only for (1, 1)).")
    return _verdict(False, "", f"Hidden neuron {ands[0]} is an AND, but the network gets {accuracy:.0%} of XOR right. "
                    "Hint: with the other neuron an OR, the output should fire when the OR is on and the AND is "
                    "off: a positive weight from the OR, a larger negative one from the AND, and a bias below 0.")


@answer_check
def check_hidden_features(h1, h2):
    """Check a prediction of the known XOR solution's hidden features for x = (1, 1): about (1, 0)."""
    if _unanswered(h1, h2):
        return Feedback(False, NOT_ANSWERED)
    got = np.array(_numbers(h1=h1, h2=h2))
    known = {"w11": 10, "w21": 10, "b1": -5, "w12": -10, "w22": -10, "b2": 15, "v1": 10, "v2": 10, "c": -15}
    want = two_two_one(known).forward_all(np.array([[1.0, 1.0]]))[1][1][0]  # about (1.000, 0.007)
    close = np.abs(got - want) < 0.1
    if close.all():
        return _verdict(True, f"h = ({want[0]:.3f}, {want[1]:.3f}): the OR neuron is on (at least one input is), "
                        "the NAND neuron is off (both are on), so the output, an AND of the two, says 0.", "")
    hints = ["Hidden neuron 1 is the OR: is at least one of the inputs (1, 1) on?",
             "Hidden neuron 2 is the NAND: is at most one of the inputs (1, 1) on?"]
    return _verdict(False, "", "Hint: " + " ".join(h for h, ok in zip(hints, close) if not ok)
                    + " A neuron that is on gives close to 1, one that is off close to 0.")
