"""Loss landscapes: a model's loss as a function of two of its parameters.

Used to draw the surface that gradient descent walks on.
"""

import numpy as np

from . import activations, checks, losses


def weight_grid(span=10.0, points=41):
    """Return (W, extent): every (w1, w2) of a square grid as the columns of W, shape (2, points**2)."""
    span, points = checks.positive_number(span, "span", example=10.0), checks.whole_number(points, "points", 2)
    values = np.linspace(-span, span, points)
    w1, w2 = np.meshgrid(values, values)  # (points, points) each
    return np.stack([w1.ravel(), w2.ravel()]), (-span, span, -span, span)


def neuron_losses(X, y, W, b, loss="binary_cross_entropy", activation="sigmoid"):
    """Return the loss of one neuron f(x . w + b) for each column w of W, shape (k,).

    X is (n, 2), y holds n targets, W is (2, k). All k neurons are evaluated
    in one matrix product; each column is then scored by nnlib's loss (for mse and binary
    cross-entropy, the same formula written for all columns at once: PER_SAMPLE below).
    """
    X = checks.as_matrix(X, "X", 2)
    W, b = checks.as_matrix(W, "W"), checks.number(b, "b")
    if W.shape[0] != 2:
        raise ValueError(f"W must have 2 rows, one per weight (w1, w2), and one column per setting; got {W.shape}")
    Y = checks.vector(y, len(X))[:, None]  # (n, 1)
    z = X @ W + b  # (n, 2) @ (2, k) -> (n, k): one column per setting of the weights
    a = activations.get(activation)[0](z)
    loss_of = losses.get(loss)[0]  # checks the name first
    if loss in PER_SAMPLE:  # every column at once: (n, k) losses, then the mean over samples
        return PER_SAMPLE[loss](a, Y).mean(axis=0)
    return np.array([loss_of(a[:, [j]], Y) for j in range(W.shape[1])])


# The losses of losses.py per sample, for many columns at once (the same clipping; tests check they agree).
PER_SAMPLE = {
    "mse": lambda a, Y: 0.5 * (a - Y) ** 2,
    "binary_cross_entropy": lambda a, Y: -(Y * np.log(losses.clip(a)) + (1 - Y) * np.log(1 - losses.clip(a))),
}


def descend(loss_and_gradient, start, lr, steps, limit=1e6):
    """Run gradient descent from start; return (path, losses, diverged_at).

    loss_and_gradient(w) returns (L(w), dL/dw). path has one row per visited
    point, losses one value per point. If the loss passes `limit` (or stops
    being finite) the walk stops there and diverged_at is that step's number,
    else None.
    """
    checks.function(loss_and_gradient, "loss_and_gradient", "lambda w: (loss(w), gradient(w))")
    lr, steps = checks.positive_number(lr, "lr", example=0.1), checks.whole_number(steps, "steps", 0, example=20)
    w = checks.real_array(start, "start").astype(float)
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
    X = checks.as_matrix(X, "X")
    return np.linalg.eigvalsh(X.T @ X / len(X))


def least_squares(X, y):
    """Return the weights w minimising ||X w - y||^2: the bottom of a linear model's bowl."""
    X = checks.as_matrix(X, "X")
    return np.linalg.lstsq(X, checks.vector(y, len(X)), rcond=None)[0]
