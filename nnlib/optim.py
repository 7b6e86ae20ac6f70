"""Stochastic gradient descent, with optional momentum."""

from .checks import number, positive_number


class SGD:
    """Gradient descent on a list of parameter arrays.

    Plain:        p <- p - lr * g
    With momentum: v <- momentum * v - lr * g;  p <- p + v
    (v is a running "velocity" that keeps moving in directions the gradient
    keeps pointing to, and damps directions where it flips sign.)
    """

    def __init__(self, lr=0.1, momentum=0.0):
        self.lr = positive_number(lr, "lr", example=0.1)
        self.momentum = number(momentum, "momentum", 0, 1, example=0.9, open_high=True)
        self.velocities = None

    def step(self, params, grads):
        """Return new parameter arrays one step downhill; the old arrays are left untouched.

        Returning new arrays (rather than changing them in place) lets the
        caller keep the previous parameters for free, to fall back on if a
        step makes the loss blow up.
        """
        if self.momentum == 0:
            return [p - self.lr * g for p, g in zip(params, grads)]
        if self.velocities is None:
            self.velocities = [0 * p for p in params]
        self.velocities = [self.momentum * v - self.lr * g for v, g in zip(self.velocities, grads)]
        return [p + v for p, v in zip(params, self.velocities)]
