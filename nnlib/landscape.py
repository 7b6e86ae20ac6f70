"""Loss landscapes: a model's loss as a function of two of its parameters.

Used to draw the surface that gradient descent walks on.
"""

import numpy as np

from . import activations, losses


def weight_grid(span=10.0, points=41):
    """Return (W, extent): every (w1, w2) of a square grid as the columns of W, shape (2, points**2)."""
    values = np.linspace(-span, span, points)
    w1, w2 = np.meshgrid(values, values)  # (points, points) each
    return np.stack([w1.ravel(), w2.ravel()]), (-span, span, -span, span)


def neuron_losses(X, y, W, b, loss="binary_cross_entropy", activation="sigmoid"):
    """Return the loss of one neuron f(x . w + b) for each column w of W, shape (k,).

    X is (n, 2), y holds n targets, W is (2, k). All k neurons are evaluated
    in one matrix product; each column is then scored by nnlib's own loss.
    """
    z = X @ W + b  # (n, 2) @ (2, k) -> (n, k): one column per setting of the weights
    a = activations.get(activation)[0](z)
    loss_of = losses.get(loss)[0]
    Y = np.asarray(y, dtype=float).reshape(-1, 1)  # (n, 1)
    return np.array([loss_of(a[:, [j]], Y) for j in range(W.shape[1])])
