"""The source tutorials' code, as written, to compare with nnlib's.

The course grew from a few short, widely read notes and tutorials (listed in
docs/sources.md). Their code is kept here verbatim (layout and names
included, bugs included) so that the lessons can run it, show where it agrees
with nnlib and where it goes wrong. Do not copy it into new code: nnlib's
modules are the versions to learn from.

Two sources have code:
* a study note built on Jason Brownlee's widely copied tutorial "How to Code a
  Neural Network with Backpropagation In Python (from scratch)": a network is
  a list of layers, each a list of neurons, each a dict whose 'weights' list
  ends with the bias. The note omits `activate` and `transfer`; the ones
  below are the tutorial's own;
* an article on a digit recognizer for the Kaggle "Digit Recognizer" data
  (code from the GitHub repository ishubhamsingh2e/neural-network-scratch),
  with samples as columns: its functions are named digits_article_* here.
"""

from math import exp

import numpy as np


# ----- the backpropagation tutorial: a network as lists of neurons ---------------------------
def activate(weights, inputs):
    """(From the backpropagation tutorial.) The bias is the last weight."""
    activation = weights[-1]
    for i in range(len(weights) - 1):
        activation += weights[i] * inputs[i]
    return activation


def transfer(activation):
    """(From the backpropagation tutorial.) The sigmoid."""
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
    """Return the tutorial's list-of-neurons form of an nnlib MLP (sigmoid everywhere).

    Neuron j of layer l gets the weights W[l][:, j] (one per input) followed by b[l][j].
    """
    return [[{"weights": [float(v) for v in W[:, j]] + [float(b[j])]} for j in range(W.shape[1])]
            for W, b in zip(net.weights, net.biases)]


# ----- the digit-recognizer article: samples as columns ----------------------------------------
def digits_article_forward(X, W1, b1, W2, b2):
    """The article's forward_propragation with its attributes as arguments.

    Its convention: X is (n_features, m), one sample per COLUMN; W1 is
    (n_hidden, n_features), b1 is (n_hidden, 1). nnlib's W is the transpose.
    """
    Z1 = W1.dot(X) + b1
    A1 = np.maximum(Z1, 0)  # self.ReLU(Z1)
    Z2 = W2.dot(A1) + b2
    A2 = np.exp(Z2) / sum(np.exp(Z2))  # the repository's self.softmax(Z2): no max shift, so it can overflow
    return Z1, A1, Z2, A2


def transfer_derivative(output):
    """(The tutorial's own.) The sigmoid's slope, written in terms of its output o: o (1 - o)."""
    return output * (1.0 - output)


def backward_propagate_error(network, expected):
    for i in reversed(range(len(network))):
        layer = network[i]
        errors = list()
        if i != len(network)-1:
            for j in range(len(layer)):
                error = 0.0
                for neuron in network[i + 1]:
                    error += (neuron['weights'][j] * neuron['delta'])
                errors.append(error)
        else:
            for j in range(len(layer)):
                neuron = layer[j]
                errors.append(neuron['output'] - expected[j])
        for j in range(len(layer)):
            neuron = layer[j]
            neuron['delta'] = errors[j] * transfer_derivative(neuron['output'])


def gradients_from_deltas(network, row):
    """Return (dWs, dbs) in nnlib's shapes from the deltas the tutorial's backward pass leaves on its neurons.

    As the tutorial's update_weights uses them: the weight from input i to
    neuron j moves by delta_j * input_i, the bias (last weight) by delta_j.
    """
    dWs, dbs = [], []
    inputs = list(row)
    for layer in network:
        dWs.append(np.array([[neuron["delta"] * x for neuron in layer] for x in inputs]))  # (n_in, n_out)
        dbs.append(np.array([neuron["delta"] for neuron in layer]))  # (n_out,)
        inputs = [neuron["output"] for neuron in layer]
    return dWs, dbs


def digits_article_backward(Z1, A1, Z2, A2, X, one_hot_Y, W2, m):
    """The article's backward_propragation with its attributes as arguments, as written.

    `m` is not defined in the article's function: in its repository it is a
    global, the number of rows of the whole data set. Samples are columns, as
    in digits_article_forward.
    """
    dZ2 = A2 - one_hot_Y
    dW2 = 1 / m * dZ2.dot(A1.T)
    db2 = 1 / m * np.sum(dZ2)
    dZ1 = W2.T.dot(dZ2) * (Z1 > 0)  # self.ReLU_deriv(Z1)
    dW1 = 1 / m * dZ1.dot(X.T)
    db1 = 1 / m * np.sum(dZ1)
    return dW1, db1, dW2, db2


def digits_article_train(X, y, fixes=(), hidden=10, epochs=30, batch_size=None, lr=0.1, seed=0):
    """Train the article's network (ReLU hidden layer, softmax output); return (params, accuracy per epoch).

    X is (n, n_features) with samples as rows, y labels 0..9; internally the
    article's samples-as-columns convention is used. fixes may contain
      "bias"    -- sum the bias gradients per unit (axis=1), not over everything;
      "m"       -- divide by the batch's size, not by the whole data set's m;
      "softmax" -- subtract each column's maximum before exp.
    With batch_size None it does full-batch gradient descent, as the article does.
    """
    rng = np.random.default_rng(seed)
    n, n_features = X.shape
    k = int(y.max()) + 1
    W1, b1 = rng.random((hidden, n_features)) - 0.5, rng.random((hidden, 1)) - 0.5  # the article's initialisation
    W2, b2 = rng.random((k, hidden)) - 0.5, rng.random((k, 1)) - 0.5
    m = n  # the repository's global: the number of rows of the whole data set
    batch_size = n if batch_size is None else batch_size
    accuracy = []
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            Xb, Yb = X[idx].T, np.eye(k)[y[idx]].T  # (n_features, batch), (k, batch)
            Z1 = W1.dot(Xb) + b1
            A1 = np.maximum(Z1, 0)
            Z2 = W2.dot(A1) + b2
            if "softmax" in fixes:
                Z2 = Z2 - Z2.max(axis=0, keepdims=True)
            with np.errstate(over="ignore", invalid="ignore"):
                A2 = np.exp(Z2) / sum(np.exp(Z2))
            dW1, db1, dW2, db2 = digits_article_backward(Z1, A1, Z2, A2, Xb, Yb, W2, len(idx) if "m" in fixes else m)
            if "bias" in fixes:
                scale = 1 / (len(idx) if "m" in fixes else m)
                dZ2 = A2 - Yb
                db2 = scale * dZ2.sum(axis=1, keepdims=True)
                db1 = scale * (W2.T.dot(dZ2) * (Z1 > 0)).sum(axis=1, keepdims=True)
            W1, b1, W2, b2 = W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2
        with np.errstate(over="ignore", invalid="ignore"):
            scores = W2.dot(np.maximum(W1.dot(X.T) + b1, 0)) + b2  # (k, n)
        accuracy.append(float(np.mean(scores.argmax(axis=0) == y)) if np.isfinite(scores).all() else float("nan"))
    return (W1, b1, W2, b2), accuracy


def digits_article_predict(params, X):
    """Return the article's predicted labels for X (samples as rows) with parameters from digits_article_train."""
    W1, b1, W2, b2 = params
    scores = W2.dot(np.maximum(W1.dot(X.T) + b1, 0)) + b2  # (k, n)
    return scores.argmax(axis=0)
