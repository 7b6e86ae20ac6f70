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


def descend(loss_and_gradient, start, lr, steps, limit=1e6):
    """Run gradient descent from start; return (path, losses, diverged_at).

    loss_and_gradient(w) returns (L(w), dL/dw). path has one row per visited
    point, losses one value per point. If the loss passes `limit` (or stops
    being finite) the walk stops there and diverged_at is that step's number,
    else None.
    """
    w = np.array(start, dtype=float)
    path, values = [w], []
    for step in range(steps + 1):
        loss, gradient = loss_and_gradient(w)
        values.append(loss)
        if not np.isfinite(loss) or loss > limit:
            return np.array(path), np.array(values), step
        if step == steps:
            break
        w = w - lr * gradient
        path.append(w)
    return np.array(path), np.array(values), None


def quadratic_curvatures(X):
    """Return the eigenvalues of X^T X / n, smallest first: the curvatures of the
    mean-squared-error bowl of a linear model (gradient descent on it diverges
    for learning rates above 2 / the largest)."""
    return np.linalg.eigvalsh(X.T @ X / len(X))


def least_squares(X, y):
    """Return the weights w minimising ||X w - y||^2: the bottom of a linear model's bowl."""
    return np.linalg.lstsq(X, y, rcond=None)[0]
