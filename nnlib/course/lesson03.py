"""The exercise checks of lesson 03: loss."""

import numpy as np

from .. import activations, checks, losses
from .feedback import (
    NOT_ANSWERED,
    Feedback,
    _all_finite,
    _call,
    _close,
    _function,
    _numbers,
    _shape,
    _unanswered,
    _verdict,
    answer_check,
)


@answer_check
def check_mse_value(value):
    """Check the mean squared error (1/2 convention) of y = [1, 0, 1] against y_hat = [0.8, 0.3, 0.6]."""
    if _unanswered(value):
        return Feedback(False, NOT_ANSWERED)
    value = checks.number(value, "the loss", example=0.5)  # a string or a list: ❌ saying what is expected
    want = losses.mse(np.array([[0.8], [0.3], [0.6]]), np.array([[1.0], [0.0], [1.0]]))
    ok = bool(np.isclose(value, want))
    halves = "" if not np.isclose(value, 2 * want) else " That is twice the answer: don't forget the 1/2."
    return _verdict(ok, f"1/(2n) * sum of squares = {want:.5f}.",
                    f"Expected {want:.5f}, got {value!r}.{halves} Hint: 0.5 * np.mean((y_hat - y) ** 2).")


@answer_check
def check_stable_softmax(softmax):
    """Check a learner's softmax on ordinary and on very large inputs."""
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]])
    if (refused := _function(softmax, "softmax")) is not None:
        return refused
    got, failed = _call(softmax, z)
    if failed is not None:
        return failed
    want = activations.softmax(z)
    ok = _all_finite(got) and _close(got, want)
    hint = ("It returns NaN for inputs near 1000: exp(1000) overflows. Hint: subtract each row's maximum first."
            if _shape(got) == z.shape and not _all_finite(got) else
            "Hint: exp of each entry, divided by the sum of its row (axis=1, keepdims=True).")
    return _verdict(ok, "Rows sum to 1, and nothing overflows.", hint)


@answer_check
def check_gradients_at_confident_mistake(mse_slope, cross_entropy_slope):
    """Check dL/dz of MSE and of cross-entropy for a sigmoid neuron with z = -5 on a sample with y = 1."""
    if _unanswered(mse_slope, cross_entropy_slope):
        return Feedback(False, NOT_ANSWERED)
    mse_slope, cross_entropy_slope = _numbers(mse_slope=mse_slope, cross_entropy_slope=cross_entropy_slope)
    a = float(activations.sigmoid(np.array(-5.0)))
    want_mse, want_ce = (a - 1) * a * (1 - a), a - 1
    ok = np.isclose(mse_slope, want_mse, rtol=1e-3) and np.isclose(cross_entropy_slope, want_ce, rtol=1e-3)
    return _verdict(ok, f"MSE's slope is {want_mse:.5f}, cross-entropy's {want_ce:.5f}: about 150 times steeper "
                    "where the neuron is confidently wrong.",
                    "Hint: a = sigmoid(-5). For MSE (one sample) dL/dz = (a - y) * a * (1 - a); for "
                    "cross-entropy the a(1 - a) cancels and dL/dz = a - y.")
