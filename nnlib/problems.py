"""The playground's problems: 2-D datasets by name, for classification and regression, or your own.

Each named dataset lives on a fixed square of the plane, so that switching
between them never changes the axes of a picture.
"""

import numpy as np

from . import datasets
from .checks import as_matrix, describe, pair, vector, whole_number

PROBLEMS = {"classification": ["circles", "xor", "gaussian", "spiral", "moons"],
            "regression": ["plane", "gaussian mixture"]}
MANY_CLASSES = ("gaussian", "spiral")  # the other classification sets have two classes by construction
HALF_WIDTH = {"circles": 1.8, "xor": 1.9, "gaussian": 3.2, "spiral": 1.6, "moons": 2.1, "plane": 2.2,
              "gaussian mixture": 2.2}  # each dataset's square runs from -h to h


def make_data(dataset, classes=2, noise=0.1, n=200, seed=0):
    """Return (X, y) for a named dataset: labels for classification, numbers in [-1, 1] for regression."""
    if dataset == "gaussian":
        return datasets.blobs(n, centers=classes, noise=0.3 + noise, seed=seed)
    if dataset == "spiral":
        return datasets.spirals(n, classes=classes, noise=noise, seed=seed)
    if dataset == "plane":
        return datasets.regression_plane(n, noise, seed)
    if dataset == "gaussian mixture":
        return datasets.regression_gaussians(n, noise, seed)
    return datasets.make(dataset, n=n, noise=noise, seed=seed)


def extent_of(dataset, X=None):
    """Return (x_min, x_max, y_min, y_max): a named dataset's fixed square, or X's range with a margin."""
    if X is None:
        h = HALF_WIDTH[dataset]
        return (-h, h, -h, h)
    low, high = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    return (low[0], high[0], low[1], high[1])


def own_data(data, max_classes=4):
    """Return (X, y, problem, classes) for data=(X, y).

    Labels 0, 1, ... (at most max_classes of them) make a classification
    problem; any other numbers a regression problem.
    """
    X, y = pair(data, "data", ("X", "y"))
    X = as_matrix(X, "data[0] (X)", 2)
    y = vector(y, len(X), "data[1] (y)", "data[0] (X)")
    if len(np.unique(y)) < 2:
        raise ValueError(f"data[1] (y) must hold at least two different labels or targets; got only {y[0]!r}")
    if np.all(y == np.round(y)) and y.min() >= 0 and y.max() < max_classes:
        return X, y.astype(int), "classification", int(y.max()) + 1
    return X, y.astype(float), "regression", 2


def split(X, y, train_percent, seed, regression):
    """Return (X_train, X_test, y_train, y_test): classes split in the same ratio, targets at random."""
    parts = datasets.train_test_split(X, y[:, None] if regression else y, 1 - train_percent / 100, seed=seed)
    return tuple(a[:, 0] if regression and a.ndim == 2 and a.shape[1] == 1 else a for a in parts)


def square_grid(extent, size):
    """Return size x size points covering extent, row by row from the bottom left: shape (size**2, 2)."""
    xs, ys = np.linspace(*extent[:2], size), np.linspace(*extent[2:], size)
    return np.column_stack([np.tile(xs, size), np.repeat(ys, size)])


def neuron_counts(neurons, name="neurons", layers=6, most=8):
    """Return `layers` neuron counts from one count for every layer (4) or a list, one per layer ([4, 2]).

    A shorter list is continued with its last count.
    """
    many = isinstance(neurons, (list, tuple, np.ndarray))
    counts = [whole_number(k, f"{name}[{i}]" if many else name, 1, most, example=4)
              for i, k in enumerate(neurons if many else [neurons])]
    if not counts or len(counts) > layers:
        raise ValueError(f"{name} must be one count for every layer, such as 4, or a list of 1 to {layers} "
                         f"counts, such as [4, 2]; got {describe(neurons)}")
    return counts + [counts[-1]] * (layers - len(counts))
