"""The build-it checks of lesson 03: the learner's softmax, cross_entropy and their gradient.

Each check runs the learner's function on a few fixed arrays, compares with
nnlib, and names the usual mistake when it sees one: a softmax that overflows,
a cross-entropy summed instead of averaged, a gradient not divided by n.
"""

import numpy as np

from .. import activations, losses
from ..gradcheck import numerical_gradient
from .feedback import (
    _all_finite,
    _call,
    _close,
    _function,
    _shape,
    _unanswered,
    _verdict,
    answer_check,
)

# Scores of 4 samples for 3 classes: ordinary ones first, then scores near +-1000.
Z_ORDINARY = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 0.5, 2.0], [4.0, -2.0, 1.0]])
Z_LARGE = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0], [-1002.0, -1001.0, -1000.0]])
# Probabilities and one-hot targets of 4 samples, 3 classes (classes 0, 2, 1, 0).
P = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.25, 0.5, 0.25], [0.2, 0.3, 0.5]])
LABELS = np.array([0, 2, 1, 0])
Y = np.eye(3)[LABELS]


def _as_number(value):
    """Return value as a float if it is one number (a 0-d or one-entry array too), else None."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(array.reshape(-1)[0]) if array.size == 1 and not isinstance(value, bool) else None


def _rows_sum(got, axis):
    try:
        return np.asarray(got, dtype=float).sum(axis=axis)
    except (TypeError, ValueError):
        return None


@answer_check
def check_softmax(softmax):
    """Check a learner's softmax(Z) row by row, on ordinary scores and on scores near +-1000."""
    if (refused := _function(softmax, "softmax")) is not None:
        return refused
    for Z in (Z_ORDINARY, Z_LARGE):
        got, failed = _call(softmax, Z.copy())
        if failed is not None:
            if "broadcast" in failed.message:
                failed.message = failed.message.rstrip() + (
                    " Hint: a per-row max or sum (over axis=1) has shape (4,), one number per row; keep it a "
                    "column, shape (4, 1), with keepdims=True, so that each row meets its own number.")
            return failed
        want = activations.softmax(Z)
        if _shape(got) != Z.shape:
            return _verdict(False, "", f"For scores of shape {Z.shape} your softmax returned "
                            f"{'shape ' + str(_shape(got)) if _shape(got) is not None else repr(got)}; it should "
                            "return probabilities of the same shape, one row per sample.")
        if not _all_finite(got):
            rows = [i for i, row in enumerate(np.asarray(got, dtype=float)) if not np.isfinite(row).all()]
            if Z is Z_ORDINARY:
                return _verdict(False, "", f"Your softmax gives NaN or infinity in rows {rows} of ordinary scores.")
            if rows == [0, 3]:  # the big rows are right: the whole array's maximum was subtracted
                return _verdict(False, "", "Rows 0 and 3 come out NaN: there the scores are far below the largest "
                                "score of the whole array, so after subtracting that maximum every e^z underflows "
                                "to 0, and 0/0 is NaN. Subtract each row's own maximum (axis=1, keepdims=True).")
            return _verdict(False, "", f"Your softmax gives NaN for the scores near +-1000 (rows {rows} of "
                            f"{Z.tolist()}): e^1000 overflows to infinity, and inf/inf is NaN; e^-1000 "
                            "underflows to 0, and 0/0 is NaN. Hint: softmax does not change if you subtract "
                            "the same number c from every score of a row (e^-c cancels between top and bottom). "
                            "Which c makes every exponent at most 0, and at least one exactly 0?")
        if not _close(got, want):
            row_sums, column_sums = _rows_sum(got, 1), _rows_sum(got, 0)
            if column_sums is not None and np.allclose(column_sums, 1):
                hint = "Your columns sum to 1, not your rows: sum along axis=1 (each sample's classes)."
            elif row_sums is not None and np.isclose(row_sums.sum(), 1):
                hint = ("The whole array sums to 1, not each row: divide each row by the sum of its own row, "
                        "e.sum(axis=1, keepdims=True).")
            elif row_sums is not None and not np.allclose(row_sums, 1):
                hint = f"Your rows sum to {np.round(row_sums, 4).tolist()}; each should sum to 1."
            else:
                hint = "Hint: e^z of each entry, divided by the sum of e^z over its row."
            return _verdict(False, "", f"For scores {Z[0].tolist()} your softmax gives "
                            f"{np.round(np.asarray(got, dtype=float)[0], 4).tolist()}; expected "
                            f"{np.round(want[0], 4).tolist()}. {hint}")
    return _verdict(True, "Every row sums to 1, and scores near +-1000 neither overflow nor underflow.", "")


def _per_label(function, P_or_Z):
    """Return function(P_or_Z, labels) if the learner's function works on labels instead of one-hot, else None."""
    got, failed = _call(function, P_or_Z.copy(), LABELS.copy())
    return None if failed is not None else got


LABELS_HINT = ("Your function works with class labels ({labels}); here Y is one-hot, shape (4, 3): a row per "
               "sample with a 1 at its class, as in Y = np.eye(3)[labels]. {fix}")


@answer_check
def check_cross_entropy(cross_entropy):
    """Check a learner's cross_entropy(P, Y): the mean over samples of -sum(Y log P), Y one-hot."""
    if (refused := _function(cross_entropy, "cross_entropy")) is not None:
        return refused
    want = losses.categorical_cross_entropy(P, Y)
    got, failed = _call(cross_entropy, P.copy(), Y.copy())
    with_labels, value = _as_number(_per_label(cross_entropy, P)), _as_number(got)
    right = value is not None and np.isclose(value, want)
    if with_labels is not None and np.isclose(with_labels, want) and not right:
        return _verdict(False, "", LABELS_HINT.format(labels=LABELS.tolist(),
                                                      fix="Multiply it by log P and sum: -np.sum(Y * np.log(P))."))
    if failed is not None:
        return failed
    if value is None:
        shape = _shape(got)
        if shape == (len(P),):
            return _verdict(False, "", f"Your cross_entropy returned {len(P)} numbers, one loss per sample; "
                            "return their mean, one number.")
        return _verdict(False, "", f"Your cross_entropy returned {'shape ' + str(shape) if shape else repr(got)}; "
                        "it should return one number, the loss.")
    n, k = P.shape
    mistakes = [(n, f"That is {n} times the answer: the sum over the {n} samples. Cross-entropy is their mean: "
                    "divide the sum by n = len(P)."),
                (-1, "It is negative: log P is at most 0, so -sum(Y log P) needs its minus sign."),
                (-n, f"It is negative, and {n} times too large: put the minus sign back, and divide the sum by "
                     "n = len(P) (the mean over samples)."),
                (1 / k, f"That is the answer divided by {k}: np.mean over the whole array averages over all "
                        f"{n} x {k} entries. Sum over the classes and divide by the number of samples only."),
                (-1 / k, f"It is negative and {k} times too small: np.mean over the whole array averages over all "
                         f"{n} x {k} entries. Sum over the classes, divide by n, and keep the minus sign.")]
    binary = losses.binary_cross_entropy(P, Y) * k  # -sum(y log p + (1 - y) log(1 - p)) / n
    for factor, hint in mistakes:
        if np.isclose(value, factor * want):
            return _verdict(False, "", f"Your cross_entropy gives {value:.5f}; expected {want:.5f}. {hint}")
    if np.isclose(value, binary) or np.isclose(value, binary / k):
        return _verdict(False, "", f"Your cross_entropy gives {value:.5f}; expected {want:.5f}. That is binary "
                        "cross-entropy, with its (1 - y) log(1 - p) terms; with one-hot Y over k classes, "
                        "the loss is -sum(Y log P) alone, divided by n.")
    ok = bool(np.isclose(value, want))
    return _verdict(ok, f"The mean over samples of -log(probability of the true class): {want:.5f}.",
                    f"Your cross_entropy gives {value:.5f}; expected {want:.5f}. "
                    "Hint: -np.sum(Y * np.log(P)) / len(P).")


def _reference_loss(softmax, cross_entropy, Z, Y):
    """Return (loss function of Z, whose it is): the learner's own if they agree with nnlib's, else nnlib's."""
    def theirs():
        return float(np.asarray(cross_entropy(softmax(Z.copy()), Y.copy()), dtype=float))

    if callable(softmax) and callable(cross_entropy):
        value, failed = _call(theirs)
        if failed is None and np.isclose(value, losses.categorical_cross_entropy(activations.softmax(Z), Y)):
            return theirs, "your own cross_entropy(softmax(Z), Y)"
    return (lambda: losses.categorical_cross_entropy(activations.softmax(Z), Y),
            "nnlib's loss (your softmax and cross_entropy do not pass their checks yet)")


@answer_check
def check_softmax_cross_entropy_gradient(gradient, softmax=None, cross_entropy=None):
    """Check dL/dZ = (softmax(Z) - Y) / n against central differences of the learner's own loss, and nnlib.

    gradient(Z, Y) is the learner's; softmax and cross_entropy are theirs from
    the exercises before, used for the numerical gradient when they are right.
    """
    if (refused := _function(gradient, "softmax_cross_entropy_gradient")) is not None:
        return refused
    Z, (n, k) = Z_ORDINARY, Z_ORDINARY.shape
    want = activations.backward("softmax", Z, losses.categorical_cross_entropy_gradient(activations.softmax(Z), Y))
    got, failed = _call(gradient, Z.copy(), Y.copy())
    with_labels = _per_label(gradient, Z)
    if _close(with_labels, want) and (failed is not None or not _close(got, want)):
        return _verdict(False, "", LABELS_HINT.format(labels=LABELS.tolist(), fix="Subtract it as it is: P - Y."))
    if failed is not None:
        blank_softmax = _unanswered(softmax) or (callable(softmax) and _call(softmax, Z.copy())[1] is not None)
        if blank_softmax and failed.message.startswith("❌"):
            failed.message += " (Your softmax from exercise 2 does not run yet: does this function call it?)"
        return failed
    if _shape(got) != Z.shape:
        return _verdict(False, "", f"Your gradient has {'shape ' + str(_shape(got)) if _shape(got) else repr(got)}; "
                        f"it should have Z's shape {Z.shape}: one dL/dz per score.")
    if not _all_finite(got):
        return _verdict(False, "", "Your gradient holds NaN or infinity for ordinary scores.")
    nudged = Z.copy()  # numerical_gradient nudges this array in place, and the loss reads it
    loss, whose = _reference_loss(softmax, cross_entropy, nudged, Y)
    numerical = numerical_gradient(loss, nudged)
    got = np.asarray(got, dtype=float)
    from_numerical, from_nnlib = np.abs(got - numerical).max(), np.abs(got - want).max()
    if _close(got, want):
        return _verdict(True, f"dL/dZ = (softmax(Z) - Y) / n. It matches the central differences of {whose} "
                        f"(largest difference {from_numerical:.0e}) and nnlib's chain rule through softmax's "
                        f"Jacobian (largest difference {from_nnlib:.0e}).", "")
    P_ = activations.softmax(Z)
    mistakes = [(n * want, f"It is {n} times too large: you forgot to divide by n. The loss is the mean over the "
                           f"n = {n} samples, so each sample's p - y is divided by n = len(Z)."),
                (-want, "Its sign is flipped: it is p - y, not y - p. At the true class p < 1, so dL/dz is "
                        "negative there: raising the true class's score lowers the loss."),
                (-n * want, f"Its sign is flipped (it is p - y, not y - p), and it is {n} times too large "
                            "(divide by n = len(Z))."),
                (want / k, f"It is {k} times too small: divide by the number of samples n = {n}, not by the "
                           f"number of entries n x k = {n * k}."),
                ((Z - Y) / n, "You subtracted Y from the scores Z: the gradient is softmax(Z) - Y, "
                              "the probabilities minus the targets."),
                (Z - Y, "You subtracted Y from the scores Z: the gradient is (softmax(Z) - Y) / n."),
                (P_ / n, "Subtract Y: the gradient is (softmax(Z) - Y) / n.")]
    hint = next((hint for wrong, hint in mistakes if _close(got, wrong)),
                "Hint: (softmax(Z) - Y) / len(Z); the derivation above shows why.")
    return _verdict(False, "", f"For the scores {Z[0].tolist()} (class {LABELS[0]}) your dL/dz is "
                    f"{np.round(got[0], 4).tolist()}; the central differences of {whose} give "
                    f"{np.round(numerical[0], 4).tolist()}. {hint}")
