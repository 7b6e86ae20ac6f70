"""Loss functions and their gradients.

Each loss takes the network's output ``a`` and the targets ``y``, both of shape
(n_samples, n_outputs), and returns one number: the mean over samples. Each
gradient returns dL/da, the same shape as ``a``. Other shapes are refused:
numpy would silently broadcast (n, 1) against (n,) into an (n, n) table.

Mean squared error uses the 1/2 convention of many textbooks,
L = 1/(2n) * sum (a - y)**2. The 1/2 does not move the minimum; it only makes
the derivative come out as (a - y)/n instead of 2(a - y)/n.

The cross-entropies take log of probabilities; they clip the probabilities a
hair away from 0 and 1 first, so log(0) never happens.
"""

import numpy as np

from .checks import choice, same_shape

# The smallest probability the cross-entropies take the log of, per dtype.
EPS = {np.dtype(np.float32): float(np.finfo(np.float32).eps), np.dtype(np.float64): float(np.finfo(np.float64).eps)}


def clip(a):
    """Return a with its values kept a hair (machine epsilon) inside (0, 1)."""
    eps = EPS.get(a.dtype, 1e-15)
    return np.clip(a, eps, 1 - eps)


def mse(a, y):
    """Return the mean squared error 1/(2n) * sum((a - y)**2)."""
    a, y = same_shape(a, y)  # the same (n_samples, n_outputs): no silent broadcasting
    return float(0.5 * np.sum((a - y) ** 2) / len(a))


def mse_gradient(a, y):
    """Return dL/da = (a - y) / n for the mean squared error."""
    a, y = same_shape(a, y)
    return (a - y) / len(a)


def binary_cross_entropy(a, y):
    """Return -1/n * sum(y log a + (1 - y) log(1 - a)), for outputs a in (0, 1)."""
    a, y = same_shape(a, y)
    a = clip(a)
    return float(-np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / len(a))


def binary_cross_entropy_gradient(a, y):
    """Return dL/da = (a - y) / (a (1 - a)) / n for binary cross-entropy."""
    a, y = same_shape(a, y)
    a = clip(a)
    return (a - y) / (a * (1 - a)) / len(a)


def categorical_cross_entropy(a, y):
    """Return -1/n * sum(y log a) for softmax outputs a and one-hot targets y."""
    a, y = same_shape(a, y)
    a = np.maximum(a, EPS.get(a.dtype, 1e-15))  # log(a) needs a > 0; a <= 1 already
    return float(-np.sum(y * np.log(a)) / len(a))


def categorical_cross_entropy_gradient(a, y):
    """Return dL/da = -y / a / n for categorical cross-entropy."""
    a, y = same_shape(a, y)
    a = clip(a)
    return -y / a / len(a)


LOSSES = {
    "mse": (mse, mse_gradient),
    "binary_cross_entropy": (binary_cross_entropy, binary_cross_entropy_gradient),
    "categorical_cross_entropy": (categorical_cross_entropy, categorical_cross_entropy_gradient),
}

# The loss each output activation is usually paired with.
DEFAULT_LOSS = {"sigmoid": "binary_cross_entropy", "softmax": "categorical_cross_entropy"}


def get(name):
    """Return the pair (loss, loss_gradient) for a name such as "mse"."""
    if not isinstance(name, str):
        raise TypeError(f"loss must be a name such as 'mse', got {name!r}")
    return LOSSES[choice(name, tuple(LOSSES), "loss")]
