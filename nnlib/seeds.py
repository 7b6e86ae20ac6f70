"""The seed notes' code, as written, to compare with nnlib's.

The course grew from five short notes. Their code is kept here verbatim
(layout and names included, bugs included) so that the lessons can run it,
show where it agrees with nnlib and where it goes wrong. Do not copy it into
new code: nnlib's modules are the versions to learn from.

Seed 000 stores a network as a list of layers, each a list of neurons, each a
dict whose 'weights' list ends with the bias. It omits `activate` and
`transfer`; the ones below are from the tutorial it links to.
"""

from math import exp

import numpy as np


# ----- seed 000: a network as lists of neurons ---------------------------------------------
def activate(weights, inputs):
    """(From the tutorial seed 000 cites.) The bias is the last weight."""
    activation = weights[-1]
    for i in range(len(weights) - 1):
        activation += weights[i] * inputs[i]
    return activation


def transfer(activation):
    """(From the tutorial seed 000 cites.) The sigmoid."""
    return 1.0 / (1.0 + exp(-activation))


def forward_propagate(network, row):
    inputs = row
    for layer in network:
        new_inputs = []
        for neuron in layer:
            activation = activate(neuron['weights'], inputs)
            neuron['output'] = transfer(activation)
            new_inputs.append(neuron['output'])
        inputs = new_inputs
    return inputs


def network_from_mlp(net):
    """Return seed 000's list-of-neurons form of an nnlib MLP (sigmoid everywhere).

    Neuron j of layer l gets the weights W[l][:, j] (one per input) followed by b[l][j].
    """
    return [[{"weights": [float(v) for v in W[:, j]] + [float(b[j])]} for j in range(W.shape[1])]
            for W, b in zip(net.weights, net.biases)]


# ----- seed 002: samples as columns --------------------------------------------------------
def seed002_forward(X, W1, b1, W2, b2):
    """Seed 002's forward_propragation with its attributes as arguments.

    Its convention: X is (n_features, m), one sample per COLUMN; W1 is
    (n_hidden, n_features), b1 is (n_hidden, 1). nnlib's W is the transpose.
    """
    Z1 = W1.dot(X) + b1
    A1 = np.maximum(Z1, 0)  # self.ReLU(Z1)
    Z2 = W2.dot(A1) + b2
    A2 = np.exp(Z2) / sum(np.exp(Z2))  # self.softmax(Z2): no max shift, so it can overflow
    return Z1, A1, Z2, A2
