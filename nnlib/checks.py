"""Input checks: one place that turns what a user typed into checked numbers and arrays.

Every public function in nnlib checks what it is given before it computes, so
that a wrong shape or a silly learning rate gives a message that says what was
wrong and how to fix it, instead of an error from deep inside numpy. Every
message names the argument, what was given and what would work, as in
"lr must be a number above 0, such as 0.1; got -1". A value of the wrong type
raises TypeError, a wrong value ValueError, an unknown name (a dict key) KeyError.
"""

import difflib
import numbers
from collections.abc import Hashable, Mapping

import numpy as np


class UnknownName(KeyError):
    """A KeyError for a name that does not exist; its message reads as a sentence."""

    def __str__(self):  # KeyError's own shows its message in quotes
        return str(self.args[0])


def describe(value):
    """Return how a message shows what was given: -1, 'tanh', None, an array of shape (3, 2), ..."""
    if isinstance(value, str):
        try:
            float(value)  # a number written as text: say how to write it
            return f"the string {value!r}; write {value.strip()} without quotes"
        except ValueError:
            return f"the string {value!r}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} (dtype {value.dtype})"
    if callable(value) and hasattr(value, "__name__"):
        return f"the function {value.__name__}"
    text = repr(value.item() if isinstance(value, np.generic) else value)  # np.float64(0.5) shows as 0.5
    return text if len(text) <= 60 else f"{text[:50]}... (a {type(value).__name__})"


def _words(low, high, open_low, open_high, whole, example=None):
    """Return the range [low, high] in words: 'a number above 0', 'a whole number between 0 and 50', ..."""
    if example is not None:
        return f"{_words(low, high, open_low, open_high, whole)}, such as {example}"
    kind = "a whole number" if whole else "a number"
    above = f"above {low:g}" if open_low else f"of at least {low:g}"
    below = f"below {high:g}" if open_high else f"of at most {high:g}"
    if low == -np.inf:
        return f"{kind} {below}" if high < np.inf else ("a finite number" if not whole else kind)
    if high == np.inf:
        return f"{kind} {above}"
    if open_low == open_high:
        return f"{kind} {'strictly ' if open_low else ''}between {low:g} and {high:g}"
    return f"{kind} from {low:g} up to but not including {high:g}" if open_high else f"{kind} {above}, {below}"


def number(value, name, low=-np.inf, high=np.inf, example=None, open_low=False, open_high=False):
    """Return value as a float, checked to be a finite number from low to high.

    open_low / open_high leave an end out: number(lr, "lr", 0, open_low=True)
    asks for a number above 0. A number written as a string ("0.1") is refused,
    not converted: the message shows how to write it.
    """
    want = f"{name} must be {_words(low, high, open_low, open_high, False, example)}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{want}; got {describe(value)}")
    inside = (value > low if open_low else value >= low) and (value < high if open_high else value <= high)
    if not np.isfinite(value):
        raise ValueError(f"{want}; got {describe(value)}, which is not a finite number")
    if not inside:
        raise ValueError(f"{want}; got {describe(value)}")
    return float(value)


def whole_number(value, name, low=-np.inf, high=np.inf, example=None):
    """Return value as an int, checked to be a whole number from low to high (2.0 counts; 2.5 does not)."""
    want = f"{name} must be {_words(low, high, False, False, True, example)}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{want}; got {describe(value)}")
    if not np.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{want}; got {describe(value)}")
    if value != int(value):
        raise TypeError(f"{want}; got {describe(value)}")
    return int(value)


def positive_number(value, name, example=None):
    """Return value as a float, raising if it is not a finite number above zero."""
    return number(value, name, 0, example=example, open_low=True)


def positive_int(value, name, example=None):
    """Return value as an int, raising if it is not a whole number of at least 1."""
    return whole_number(value, name, 1, example=example)


def seed(value, name="seed"):
    """Return a random seed: None, or a whole number of at least 0."""
    return None if value is None else whole_number(value, name, 0, example=0)


def flag(value, name):
    """Return value if it is True or False (a string such as "no" would count as True)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {describe(value)}")
    return bool(value)


def function(value, name, example):
    """Return value if it can be called like a function."""
    if not callable(value):
        raise TypeError(f"{name} must be a function, such as {example}; got {describe(value)}")
    return value


def index_of(value, options):
    """Return the position of value among options, or None (never an error, whatever value is)."""
    if isinstance(value, (str, np.ndarray, bool)) or not isinstance(value, Hashable):  # a name: the usual case
        return list(options).index(value) if isinstance(value, str) and value in options else None
    kind = numbers.Real if isinstance(value, numbers.Real) else type(value)  # 1 matches 1.0, not '1'
    return next((i for i, option in enumerate(options) if isinstance(option, kind) and option == value), None)


def _nearest(value, options):
    strings = [option for option in options if isinstance(option, str)]
    close = difflib.get_close_matches(value, strings, 1) if isinstance(value, str) else []
    return f" (did you mean {close[0]!r}?)" if close else ""


def choice(value, options, name):
    """Return value if it is one of options, else raise naming the valid ones (and the nearest)."""
    index = index_of(value, options)
    if index is None:
        shown = repr(value) if isinstance(value, str) else describe(value)
        raise ValueError(f"unknown {name} {shown}{_nearest(value, options)}; "
                         f"choose one of {', '.join(map(repr, options))}")
    return options[index]


def known_keys(values, allowed, name, what="name"):
    """Return values as a dict, checked to be a dict whose keys are all among allowed."""
    if not isinstance(values, Mapping):
        raise TypeError(f"{name} must be a dict such as {{{allowed[0]!r}: ...}}; got {describe(values)}")
    unknown = [key for key in values if key not in allowed]
    if unknown:
        raise UnknownName(f"unknown {what}(s) {unknown} in {name}{_nearest(unknown[0], allowed)}; "
                          f"the {what}s are {', '.join(map(repr, allowed))}")
    return dict(values)


def pair(value, name, names):
    """Return value as a tuple of two things, such as validation=(X_val, y_val)."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"{name} must be a pair, such as {name}=({', '.join(names)}); got {describe(value)}")
    return tuple(value)


def coordinates(values, name, count, example):
    """Return values as a float array of count finite numbers, such as a starting point (x, y)."""
    if not isinstance(values, (list, tuple, np.ndarray)) or len(values) != count or np.ndim(values[0]) != 0:
        raise ValueError(f"{name} must be {count} numbers, such as {example}; got {describe(values)}")
    return np.array([number(v, f"{name}[{i}]") for i, v in enumerate(values)])


def real_array(X, name, example="np.array([[0.5, -1.0]])"):
    """Return X as a numpy array of real numbers (bool counts), or raise naming name."""
    if type(X) is np.ndarray and X.dtype.kind in "biuf":
        return X  # the usual case, at once
    if isinstance(X, (str, bytes, Mapping)) or X is None:
        raise TypeError(f"{name} must be an array of numbers, such as {example}; got {describe(X)}")
    try:
        X = np.asarray(X)
    except (ValueError, TypeError) as err:  # ragged lists
        raise ValueError(f"{name} must be a rectangular array of numbers ({err})") from None
    if X.dtype.kind not in "biuf":  # bool, int, unsigned, float: real numbers (not text, objects, complex)
        raise TypeError(f"{name} must be an array of real numbers, such as {example}; got {describe(X)}")
    return X


def as_matrix(X, name="X", n_features=None):
    """Return X as a 2-D float array (n_samples, n_features); a 1-D X is refused rather than guessed at."""
    X = real_array(X, name, "np.array([[0.0, 1.0], [1.0, 0.0]])")
    if X.ndim != 2:
        hint = f" For one sample use {name}[None, :]; for one feature use {name}[:, None]." if X.ndim == 1 else ""
        raise ValueError(f"{name} must be 2-D with shape (n_samples, n_features), got shape {X.shape}.{hint}")
    if X.size == 0:
        raise ValueError(f"{name} has no {'samples' if len(X) == 0 else 'features'} (shape {X.shape})")
    X = X if X.dtype.kind == "f" else X.astype(np.float64)
    if not (np.isfinite(X.min()) and np.isfinite(X.max())):  # NaN or inf shows in min or max
        bad = int(np.size(X) - np.isfinite(X).sum())
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); clean or impute them first")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"{name} has {X.shape[1]} features but the first layer expects {n_features}")
    return X


def vector(y, n, name="y", x_name="X"):
    """Return y as a 1-D float array of n finite numbers, one per row of X (a column (n, 1) is flattened)."""
    y = real_array(y, name, "np.array([0, 1, 1, 0])")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.size == 0:
        raise ValueError(f"{name} is empty: give at least one target")
    if y.ndim != 1 or len(y) != n:
        raise ValueError(f"{x_name} has {n} samples but {name} has shape {y.shape}; give one per row, ({n},)")
    if not np.isfinite(y).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return y.astype(float)


def class_labels(y, n, n_classes=2, name="y", x_name="X"):
    """Return y as n whole-number class labels from 0 to n_classes - 1, as an int array."""
    y = vector(y, n, name, x_name)
    if not (np.all(y == np.round(y)) and y.min() >= 0 and y.max() < n_classes):
        which = f"from 0 to {n_classes - 1}" if n_classes < np.inf else "of at least 0"
        raise ValueError(f"{name} must hold class labels, whole numbers {which}; got values from {y.min():g} to "
                         f"{y.max():g}")
    return y.astype(int)


def layer_arrays(A_prev, W, b):
    """Return the arrays of a dense layer's forward pass, checked against each other."""
    A_prev, W, b = real_array(A_prev, "A_prev"), real_array(W, "W"), real_array(b, "b")
    if A_prev.ndim != 2 or W.ndim != 2 or b.ndim != 1:
        raise ValueError(f"A_prev must have shape (n_samples, n_in), W (n_in, n_out) and b (n_out,); got "
                         f"A_prev {A_prev.shape}, W {W.shape}, b {b.shape}")
    if W.shape[0] != A_prev.shape[1]:
        raise ValueError(f"W has {W.shape[0]} rows but A_prev has {A_prev.shape[1]} columns: "
                         f"W must have shape (n_in, n_out) = ({A_prev.shape[1]}, n_out); got {W.shape}")
    if b.shape[0] != W.shape[1]:
        raise ValueError(f"b has {b.shape[0]} entries but W has {W.shape[1]} columns (neurons): "
                         f"b must have shape (n_out,) = ({W.shape[1]},)")
    return A_prev, W, b


def backward_arrays(dZ, A_prev, W):
    """Return the arrays of a dense layer's backward pass, checked against each other."""
    dZ, A_prev, W = real_array(dZ, "dZ"), real_array(A_prev, "A_prev"), real_array(W, "W")
    if dZ.ndim != 2 or A_prev.ndim != 2 or W.ndim != 2:
        raise ValueError(f"dZ must have shape (n_samples, n_out), A_prev (n_samples, n_in) and W (n_in, n_out); "
                         f"got dZ {dZ.shape}, A_prev {A_prev.shape}, W {W.shape}")
    if dZ.shape[0] != A_prev.shape[0]:
        raise ValueError(f"dZ has {dZ.shape[0]} rows but A_prev has {A_prev.shape[0]}: both have one row per sample")
    if W.shape != (A_prev.shape[1], dZ.shape[1]):
        raise ValueError(f"W must have shape (n_in, n_out) = ({A_prev.shape[1]}, {dZ.shape[1]}) to match A_prev "
                         f"{A_prev.shape} and dZ {dZ.shape}; got {W.shape}")
    return dZ, A_prev, W


def same_shape(a, y):
    """Return (a, y) as arrays of the same shape: outputs and targets of a loss."""
    if type(a) is np.ndarray and type(y) is np.ndarray and a.shape == y.shape and a.ndim == 2 and len(a):
        return a, y  # the usual case, checked in a fraction of a microsecond
    a, y = real_array(a, "a"), real_array(y, "y")
    if a.shape != y.shape or a.ndim != 2 or len(a) == 0:
        raise ValueError(f"a (the outputs) and y (the targets) must have the same shape (n_samples, n_outputs); "
                         f"got a {a.shape} and y {y.shape}. A column of n targets is y[:, None].")
    return a, y


def targets(y, n_samples, n_out, output, loss_name, dtype=np.float64, name="y", x_name="X"):
    """Return targets y as a float matrix Y of shape (n_samples, n_out), checked.

    y may be class labels (n,) -- 0/1 for a sigmoid output, 0..k-1 for softmax,
    which become one-hot rows -- or a matrix (n, 1) or (n, n_out).
    """
    if y is None:
        raise TypeError(f"{name} is missing: give the targets, one per row of {x_name}")
    y = real_array(y, name, "np.array([0, 1, 1, 0])")
    if y.ndim == 0 or len(y) != n_samples:
        raise ValueError(f"{x_name} has {n_samples} samples but {name} has {len(y) if y.ndim else 'no'} targets; "
                         f"give one target per row of {x_name}")
    if not np.isfinite(y).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    k = n_out
    if y.ndim == 1 and output == "softmax":
        if not np.all(y == np.round(y)) or y.min() < 0 or y.max() >= k:
            raise ValueError(f"{name} holds class labels for a softmax output of {k} neurons, so they must be "
                             f"whole numbers from 0 to {k - 1}; got values from {y.min()} to {y.max()}")
        Y = np.eye(k, dtype=dtype)[y.astype(int)]  # one-hot, (n, k)
    elif y.ndim <= 2:
        Y = y.reshape(len(y), -1)  # labels (n,) become a column (n, 1)
    else:
        raise ValueError(f"{name} must have shape (n,), (n, 1) or (n, {k}); got {y.shape}")
    if Y.shape[1] != k:
        raise ValueError(f"{name} has {Y.shape[1]} column(s) but the network has {k} output(s); "
                         f"give {name} of shape (n,) or (n, {k})")
    if loss_name != "mse" and (Y.min() < 0 or Y.max() > 1):
        raise ValueError(f"{loss_name} needs targets between 0 and 1 (labels or probabilities); "
                         f"{name} ranges from {Y.min()} to {Y.max()}")
    return Y.astype(dtype, copy=False)


def labels(Y, output):
    """Return the class labels of a target matrix Y (n, n_out), comparable with MLP.predict()."""
    if output == "softmax":
        return Y.argmax(axis=1)
    if output == "sigmoid" and Y.shape[1] == 1:
        return (Y[:, 0] >= 0.5).astype(int)
    return Y[:, 0] if Y.shape[1] == 1 else Y
