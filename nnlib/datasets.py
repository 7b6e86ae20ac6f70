"""Small datasets made in code, all seeded so that every run gives the same data.

Every function returns (X, y): X of shape (n_samples, 2) (digits: 64) as
floats, y of shape (n_samples,) as whole-number class labels.
"""

import numpy as np

from . import checks
from .checks import as_matrix, choice, number, positive_int


def _noise_level(noise):
    return number(noise, "noise", 0, 5, example=0.1)


def _rng(value):
    return np.random.default_rng(checks.seed(value))


def x2_table():
    """Return the four-row table of the ml_zero_to_hero notebook: the label equals the second input x2."""
    X = np.array([[0, 0], [0, 1], [1, 1], [1, 0]], dtype=float)
    y = np.array([0, 1, 1, 0])
    return X, y


GATES = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "xor": [0, 1, 1, 0], "nand": [1, 1, 1, 0]}


def logic_gate(name):
    """Return the truth table of a logic gate ("and", "or", "xor" or "nand").

    X lists the inputs in the order (0, 0), (0, 1), (1, 0), (1, 1).
    """
    name = choice(name, tuple(GATES), "gate")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    return X, np.array(GATES[name])


def xor(n=200, noise=0.0, seed=0):
    """Return points in the four quadrants, labelled 1 where x1 and x2 have
    opposite signs: the XOR truth table spread out in the plane."""
    n = positive_int(n, "n")
    rng = _rng(seed)
    y = np.arange(n) % 2
    sign1 = rng.choice([-1.0, 1.0], size=n)
    sign2 = np.where(y == 1, -sign1, sign1)  # opposite signs for class 1
    X = rng.uniform(0.1, 1.1, size=(n, 2)) * np.column_stack([sign1, sign2])  # a margin around the axes
    return X + _noise_level(noise) * rng.normal(size=X.shape), y


def blobs(n=200, centers=2, noise=0.5, seed=0):
    """Return Gaussian clouds around `centers` points spread on a circle of radius 1.5."""
    n, centers = positive_int(n, "n"), positive_int(centers, "centers", example=3)
    rng = _rng(seed)
    y = np.arange(n) % centers
    angle = 2 * np.pi * y / centers + np.pi / 4
    X = 1.5 * np.column_stack([np.cos(angle), np.sin(angle)])
    return X + _noise_level(noise) * rng.normal(size=X.shape), y


def moons(n=200, noise=0.1, seed=0):
    """Return two interleaving half circles."""
    n = positive_int(n, "n")
    rng = _rng(seed)
    y = np.arange(n) % 2
    t = rng.uniform(0, np.pi, size=n)
    X = np.where(y[:, None] == 0,
                 np.column_stack([np.cos(t), np.sin(t)]),
                 np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)]))
    X = X - [0.5, 0.25]  # centre on the origin
    return X + _noise_level(noise) * rng.normal(size=X.shape), y


def circles(n=200, noise=0.1, factor=0.5, seed=0):
    """Return a small circle (label 1) inside a larger one (label 0)."""
    n = positive_int(n, "n")
    factor = number(factor, "factor (the inner radius over the outer one)", 0, 1, 0.5, open_low=True, open_high=True)
    rng = _rng(seed)
    y = np.arange(n) % 2
    t = rng.uniform(0, 2 * np.pi, size=n)
    r = np.where(y == 1, factor, 1.0)
    X = r[:, None] * np.column_stack([np.cos(t), np.sin(t)])
    return X + _noise_level(noise) * rng.normal(size=X.shape), y


def spirals(n=300, classes=2, noise=0.1, turns=1.25, seed=0):
    """Return `classes` interleaved spiral arms, the hardest of the 2-D sets."""
    n, classes = positive_int(n, "n"), positive_int(classes, "classes", example=3)
    turns = number(turns, "turns", 0, example=1.25, open_low=True)
    rng = _rng(seed)
    y = np.arange(n) % classes
    r = rng.uniform(0.05, 1, size=n)
    t = 2 * np.pi * (turns * r + y / classes)
    X = r[:, None] * np.column_stack([np.cos(t), np.sin(t)])
    return X + _noise_level(noise) * 0.5 * rng.normal(size=X.shape), y


def correlated_regression(n=100, correlation=0.9, w=(2.0, -1.0), noise=0.1, seed=0):
    """Return (X, y) for linear regression: y = X @ w + noise, with correlated features.

    The correlation stretches the loss bowl into a long valley, where gradient
    descent crawls along the bottom or zig-zags across it. y holds real numbers.
    """
    n = positive_int(n, "n")
    correlation = number(correlation, "correlation", -1, 1, example=0.9, open_low=True, open_high=True)
    w = checks.coordinates(w, "w", 2, "(2.0, -1.0)")
    rng = _rng(seed)
    x1, e = rng.normal(size=(2, n))
    X = np.column_stack([x1, correlation * x1 + np.sqrt(1 - correlation**2) * e])  # unit variances
    return X, X @ w + _noise_level(noise) * rng.normal(size=n)


def train_test_split(X, y, test_fraction=0.25, seed=0):
    """Return (X_train, X_test, y_train, y_test), shuffled, each class split in the same ratio."""
    X = as_matrix(X, "X")
    y = np.asarray(y)
    if y.ndim == 0 or len(y) != len(X):
        raise ValueError(f"X has {len(X)} samples but y has {len(y) if y.ndim else 'no'} targets; "
                         "give one target per row of X")
    test_fraction = number(test_fraction, "test_fraction", 0, 1, example=0.25, open_low=True, open_high=True)
    rng = _rng(seed)
    test = np.zeros(len(y), dtype=bool)
    for label in np.unique(y, axis=0) if y.ndim == 1 else [None]:
        members = np.flatnonzero(y == label) if label is not None else np.arange(len(y))
        members = rng.permutation(members)
        test[members[: int(round(test_fraction * len(members)))]] = True
    train_idx, test_idx = rng.permutation(np.flatnonzero(~test)), rng.permutation(np.flatnonzero(test))
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]


def digits():
    """Return scikit-learn's 1797 handwritten digits, 8x8 pixels scaled to [0, 1].

    X has shape (1797, 64), one flattened image per row; y holds 0..9.
    The data ships inside scikit-learn, so this works offline.
    """
    from sklearn.datasets import load_digits  # imported here: only this function needs it

    data = load_digits()
    return data.data / 16.0, data.target


DATASETS = {"xor": xor, "blobs": blobs, "moons": moons, "circles": circles, "spirals": spirals}


def make(name, **kwargs):
    """Return the 2-D dataset called name ("xor", "blobs", "moons", "circles", "spirals")."""
    return DATASETS[choice(name, tuple(DATASETS), "dataset")](**kwargs)  # a wrong keyword: Python names it


# ----- regression: TensorFlow Playground's two, scaled to this course's plane ---------------------------
def regression_plane(n=200, noise=0.0, seed=0):
    """Return points in the square [-2, 2]^2 with the target y = (x1 + x2) / 4, a tilted plane.

    Like TensorFlow Playground's "plane": noise shifts the point at which y is
    read, by up to noise x 2 in each direction. y lies between -1 and 1.
    """
    n = positive_int(n, "n")
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, size=(n, 2))
    shift = _noise_level(noise) * rng.uniform(-2, 2, size=(n, 2))
    return X, np.clip((X + shift).sum(axis=1) / 4, -1, 1)


HILLS = [(-1.3, 0.8, 1), (0.0, 0.8, -1), (1.3, 0.8, 1), (-1.3, -0.8, -1), (0.0, -0.8, 1), (1.3, -0.8, -1)]


def regression_gaussians(n=200, noise=0.0, seed=0):
    """Return points in [-2, 2]^2 whose target is a mixture of six hills and valleys (+1 and -1 at their tops).

    Like TensorFlow Playground's "Gaussian" regression: each centre's value
    falls off linearly to 0 at distance 0.65, and the strongest one counts.
    """
    n = positive_int(n, "n")
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, size=(n, 2))
    P = X + _noise_level(noise) * rng.uniform(-2, 2, size=(n, 2))  # where the target is read
    values = np.stack([sign * np.clip(1 - np.hypot(*(P - [cx, cy]).T) / 0.65, 0, 1) for cx, cy, sign in HILLS])
    return X, values[np.abs(values).argmax(axis=0), np.arange(n)]
