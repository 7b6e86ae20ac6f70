"""Input features: what a network sees of a 2-D point (x1, x2).

TensorFlow Playground lets you feed a network more than the raw coordinates:
squares, their product, sines. A good feature can replace a hidden layer:
circles need a hidden layer on (x1, x2), but none on (x1², x2²).
"""

import numpy as np

from .checks import as_matrix, choice, describe

# name -> (label shown, the feature as a function of X's two columns)
FEATURES = {
    "x1": ("x1", lambda x1, x2: x1),
    "x2": ("x2", lambda x1, x2: x2),
    "x1_squared": ("x1²", lambda x1, x2: x1**2),
    "x2_squared": ("x2²", lambda x1, x2: x2**2),
    "x1_x2": ("x1·x2", lambda x1, x2: x1 * x2),
    "sin_x1": ("sin x1", lambda x1, x2: np.sin(x1)),
    "sin_x2": ("sin x2", lambda x1, x2: np.sin(x2)),
}


def feature_map(X, names):
    """Return the features called names of the points X (n, 2), one column each: shape (n, len(names))."""
    X = as_matrix(X, "X", 2)
    if not names:
        raise ValueError(f"choose at least one feature from {', '.join(FEATURES)}")
    columns = [FEATURES[choice(name, tuple(FEATURES), "feature")][1](X[:, 0], X[:, 1]) for name in names]
    return np.column_stack(columns)  # (n, len(names))


def feature_names(names, name="features"):
    """Return names as a list of known feature names, at least one, or raise naming the valid ones."""
    if isinstance(names, str) or not isinstance(names, (list, tuple)) or not names:
        raise ValueError(f"{name} must list at least one of {', '.join(map(repr, FEATURES))}, such as "
                         f"('x1', 'x2'); got {describe(names)}")
    return [choice(feature, tuple(FEATURES), "feature") for feature in names]
