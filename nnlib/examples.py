"""Small networks with named parameters, for the lessons' sliders and exercises."""

import numpy as np

from .checks import UnknownName, describe, number
from .network import MLP

TWO_TWO_ONE = ["w11", "w21", "b1", "w12", "w22", "b2", "v1", "v2", "c"]


def two_two_one(values, hidden="sigmoid"):
    """Return the 2-2-1 MLP with the named parameters of lesson 02.

    w{i}{j} is the weight from input i to hidden neuron j (weights[0][i-1, j-1]),
    b{j} is hidden neuron j's bias, v{j} the weight from hidden neuron j to
    the output (weights[1][j-1, 0]) and c the output's bias.
    Other keys (such as an explorer's "hidden" and "sample") are ignored.
    """
    if not hasattr(values, "keys"):
        raise TypeError(f"values must be a dict of the 9 parameters, such as {{'w11': 1.0, ...}}; got "
                        f"{describe(values)}")
    missing = [name for name in TWO_TWO_ONE if name not in values]
    if missing:
        raise UnknownName(f"values is missing {missing}; it needs all of {TWO_TWO_ONE}")
    v = {name: number(values[name], name) for name in TWO_TWO_ONE}
    net = MLP([2, 2, 1], activation=hidden, output="sigmoid")
    net.weights = [np.array([[v["w11"], v["w12"]], [v["w21"], v["w22"]]]),  # (2 inputs, 2 hidden)
                   np.array([[v["v1"]], [v["v2"]]])]  # (2 hidden, 1 output)
    net.biases = [np.array([v["b1"], v["b2"]]), np.array([v["c"]])]
    return net
