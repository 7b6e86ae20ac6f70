"""Input checks: one place that turns what a user typed into checked numbers and arrays.

Every public function in nnlib checks what it is given before it computes, so
that a wrong shape or a silly learning rate gives a message that says what was
wrong and how to fix it, instead of an error from deep inside numpy.
"""

import numbers

import numpy as np


def as_matrix(X, name="X", n_features=None):
    """Return X as a 2-D float array of shape (n_samples, n_features).

    A 1-D X is refused rather than guessed at: a single sample is
    ``X[None, :]`` and a single feature is ``X[:, None]``.
    """
    if isinstance(X, (str, bytes)) or X is None:
        raise TypeError(f"{name} must be an array of numbers, got {type(X).__name__}")
    try:
        X = np.asarray(X)
    except (ValueError, TypeError) as err:  # ragged lists
        raise ValueError(f"{name} must be a rectangular array of numbers ({err})") from None
    if X.dtype == object or not np.issubdtype(X.dtype, np.number) or np.iscomplexobj(X):
        raise TypeError(f"{name} must hold real numbers, got dtype {X.dtype}")
    if X.ndim != 2:
        hint = " For one sample use X[None, :]; for one feature use X[:, None]." if X.ndim == 1 else ""
        raise ValueError(
            f"{name} must be 2-D with shape (n_samples, n_features), got shape {X.shape}.{hint}"
        )
    if X.shape[0] == 0:
        raise ValueError(f"{name} has no samples (shape {X.shape})")
    if not np.issubdtype(X.dtype, np.floating):
        X = X.astype(np.float64)
    if not (np.isfinite(X.min()) and np.isfinite(X.max())):  # NaN or inf shows in min or max
        bad = int(np.size(X) - np.isfinite(X).sum())
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); clean or impute them first")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(
            f"{name} has {X.shape[1]} features but the first layer expects {n_features}"
        )
    return X


def positive_number(value, name):
    """Return value as a float, raising if it is not a finite number above zero."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number above 0, got {value!r}")
    return float(value)


def positive_int(value, name):
    """Return value as an int, raising if it is not a whole number of at least 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value!r}")
    return int(value)


def choice(value, options, name):
    """Return value if it is one of options, else raise naming the valid ones."""
    if value not in options:
        raise ValueError(f"unknown {name} {value!r}; choose one of {', '.join(map(repr, options))}")
    return value


def targets(y, n_samples, n_out, output, loss_name, dtype=np.float64):
    """Return targets y as a float matrix Y of shape (n_samples, n_out), checked.

    y may be class labels (n,) -- 0/1 for a sigmoid output, 0..k-1 for softmax,
    which become one-hot rows -- or a matrix (n, 1) or (n, n_out).
    """
    if y is None:
        raise TypeError("y is missing: give the targets, one per sample")
    if isinstance(y, (str, bytes)):
        raise TypeError(f"y must be an array of numbers, got {type(y).__name__}")
    try:
        y = np.asarray(y)
    except (ValueError, TypeError) as err:
        raise ValueError(f"y must be a rectangular array ({err})") from None
    if not (np.issubdtype(y.dtype, np.number) or y.dtype == bool) or np.iscomplexobj(y):
        raise TypeError(f"y must hold numbers, got dtype {y.dtype}")
    if y.ndim == 0 or len(y) != n_samples:
        raise ValueError(f"X has {n_samples} samples but y has {len(y) if y.ndim else 'no'} targets; "
                         "give one target per row of X")
    if not np.isfinite(y).all():
        raise ValueError("y contains NaN or infinite values")
    k = n_out
    if y.ndim == 1 and output == "softmax":
        if not np.all(y == np.round(y)) or y.min() < 0 or y.max() >= k:
            raise ValueError(f"y holds class labels for a softmax output of {k} neurons, so they must be "
                             f"whole numbers from 0 to {k - 1}; got values from {y.min()} to {y.max()}")
        Y = np.eye(k, dtype=dtype)[y.astype(int)]  # one-hot, (n, k)
    elif y.ndim == 1:
        Y = y[:, None]  # (n, 1)
    elif y.ndim == 2:
        Y = y
    else:
        raise ValueError(f"y must have shape (n,), (n, 1) or (n, {k}); got {y.shape}")
    if Y.shape[1] != k:
        raise ValueError(f"y has {Y.shape[1]} column(s) but the network has {k} output(s); "
                         f"give y of shape (n,) or (n, {k})")
    if loss_name != "mse" and (Y.min() < 0 or Y.max() > 1):
        raise ValueError(f"{loss_name} needs targets between 0 and 1 (labels or probabilities); "
                         f"y ranges from {Y.min()} to {Y.max()}")
    return Y.astype(dtype, copy=False)


def labels(Y, output):
    """Return the class labels of a target matrix Y (n, n_out), comparable with MLP.predict()."""
    if output == "softmax":
        return Y.argmax(axis=1)
    if output == "sigmoid" and Y.shape[1] == 1:
        return (Y[:, 0] >= 0.5).astype(int)
    return Y[:, 0] if Y.shape[1] == 1 else Y
