"""Numerical gradient checking: is backpropagation right?

The derivative of L with respect to one parameter p is approximately the
central difference (L(p + eps) - L(p - eps)) / (2 eps). It is slow (two
forward passes per parameter) but needs no calculus, so it is the referee
for the fast analytic gradients of backpropagation.
"""

import numbers

import numpy as np

from .checks import describe, function, positive_number


def numerical_gradient(f, x, eps=1e-5):
    """Return the central-difference gradient of f() with respect to the array x.

    f takes no arguments and reads x, which is changed in place one entry at
    a time and restored, so f must compute from x's current values.
    """
    _check_nudgeable(f, x)
    eps = positive_number(eps, "eps", example=1e-5)
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f()
        x[i] = old - eps
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def _check_nudgeable(f, x):
    """Raise unless f is a function returning one number and x a float array it can be nudged in."""
    function(f, "f", "lambda: net.loss(X, y)")
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError("x must be a numpy array of floats, since it is changed in place by tiny steps eps; "
                        f"got {describe(x)}" + (": use x.astype(float)" if isinstance(x, np.ndarray) else ""))
    value = f()
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"f must return one number (such as a loss); it returned {describe(value)}")


def relative_error(analytic, numerical):
    """Return |a - n| / (|a| + |n|) over the whole arrays (0 when both are 0)."""
    analytic, numerical = np.asarray(analytic, float), np.asarray(numerical, float)
    denominator = np.linalg.norm(analytic) + np.linalg.norm(numerical)
    return 0.0 if denominator == 0 else float(np.linalg.norm(analytic - numerical) / denominator)


class GradientReport:
    """The result of ``check_gradients``: one row per parameter, and a verdict.

    rows -- (name, analytic, numerical, relative error) per parameter, where
            the error is |a - n| / max(|a| + |n|, 1e-7): the floor keeps two
            tiny gradients that agree in absolute terms from counting as wrong.
    max_error -- the worst relative error over each whole array (see relative_error).
    """

    def __init__(self, rows, array_errors, tol):
        self.rows, self.array_errors, self.tol = rows, array_errors, tol
        self.max_error = max(array_errors.values())

    @property
    def passed(self):
        return self.max_error < self.tol

    def __str__(self):
        lines = [f"{'parameter':<14}{'analytic':>14}{'numerical':>14}{'rel. error':>12}  ok"]
        for name, a, n, err in self.rows:
            lines.append(f"{name:<14}{a:>14.6e}{n:>14.6e}{err:>12.1e}  {'yes' if err < self.tol else 'NO'}")
        verdict = "PASS" if self.passed else "FAIL"
        lines.append(f"max relative error {self.max_error:.1e} (tolerance {self.tol:.0e}): {verdict}")
        return "\n".join(lines)

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))


def check_gradients(net, X, y, eps=1e-5, tol=1e-6):
    """Compare net.gradients(X, y) with central differences; return a GradientReport.

    Use float64 data: in float32 the differences drown in rounding error.
    eps = 1e-5 balances the two errors of a central difference in float64:
    rounding (about 1e-16 / eps) and the curvature of L (about eps**2).
    """
    if not hasattr(net, "gradients") or not hasattr(net, "weights"):
        raise TypeError(f"net must be an MLP, such as MLP([2, 3, 1]); got {describe(net)}")
    eps, tol = positive_number(eps, "eps", example=1e-5), positive_number(tol, "tol", example=1e-6)
    dWs, dbs = net.gradients(X, y)
    rows, array_errors = [], {}
    for kind, params, grads in (("W", net.weights, dWs), ("b", net.biases, dbs)):
        for l, (p, g) in enumerate(zip(params, grads)):
            numeric = numerical_gradient(lambda: net.loss(X, y), p, eps)
            array_errors[f"{kind}[{l}]"] = relative_error(g, numeric)
            for i in np.ndindex(p.shape):
                err = abs(g[i] - numeric[i]) / max(abs(g[i]) + abs(numeric[i]), 1e-7)
                rows.append((f"{kind}[{l}]{list(i)}", float(g[i]), float(numeric[i]), float(err)))
    return GradientReport(rows, array_errors, tol)
