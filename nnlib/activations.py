"""Activation functions and their derivatives.

Each activation takes the weighted sum ``z`` (any shape) and returns the
activation ``a`` of the same shape; each derivative returns da/dz, also of the
same shape. Softmax is the exception: its outputs depend on each other, so its
derivative is a Jacobian matrix per sample (see ``softmax_derivative``).

All of them are safe for inputs as large as +-1e4: no overflow warnings, no NaN.
Each first checks that z holds real numbers (see checks.py); lists work too.
"""

import numpy as np

from .checks import choice, real_array


def step(z):
    """Return 1 where z >= 0 and 0 elsewhere (the perceptron's threshold)."""
    z = real_array(z, "z")
    return (z >= 0).astype(np.result_type(z, np.float32))


def step_derivative(z):
    """Return 0 everywhere: the step is flat (at z = 0 it has no derivative)."""
    z = real_array(z, "z")
    return np.zeros_like(z, dtype=np.result_type(z, np.float32))


def sigmoid(z):
    """Return 1 / (1 + exp(-z)), computed so that exp never overflows."""
    z = real_array(z, "z")
    z = np.asarray(z, dtype=np.result_type(z, np.float32))
    e = np.exp(-np.abs(z))  # always in (0, 1]
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_derivative(z):
    """Return sigmoid(z) * (1 - sigmoid(z)). Note: a function of z, not of the output."""
    z = real_array(z, "z")
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    """Return the hyperbolic tangent, an S-curve from -1 to 1."""
    z = real_array(z, "z")
    return np.tanh(z)


def tanh_derivative(z):
    """Return 1 - tanh(z)**2."""
    z = real_array(z, "z")
    return 1 - np.tanh(z) ** 2


def relu(z):
    """Return max(0, z)."""
    z = real_array(z, "z")
    return np.maximum(z, 0)


def relu_derivative(z):
    """Return 1 where z > 0, else 0 (we take 0 at the kink z = 0)."""
    z = real_array(z, "z")
    return (z > 0).astype(np.result_type(z, np.float32))


def leaky_relu(z, slope=0.01):
    """Return z where z > 0, else slope * z, so negative inputs still pass a gradient."""
    z = real_array(z, "z")
    return np.where(z > 0, z, slope * z)


def leaky_relu_derivative(z, slope=0.01):
    """Return 1 where z > 0, else slope."""
    z = real_array(z, "z")
    one = np.ones_like(z, dtype=np.result_type(z, np.float32))
    return np.where(z > 0, one, slope * one)


def linear(z):
    """Return z unchanged (the identity, used for regression outputs)."""
    z = real_array(z, "z")
    return z


def linear_derivative(z):
    """Return 1 everywhere."""
    z = real_array(z, "z")
    return np.ones_like(z, dtype=np.result_type(z, np.float32))


def softmax(z):
    """Return exp(z) / sum(exp(z)) along the last axis: each row sums to 1.

    Subtracting each row's maximum first changes nothing mathematically
    (it cancels between top and bottom) but keeps exp from overflowing.
    """
    z = real_array(z, "z")
    z = np.asarray(z, dtype=np.result_type(z, np.float32))
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_derivative(z):
    """Return the Jacobian da_i/dz_j = a_i (delta_ij - a_j) for each row of z.

    z has shape (n_samples, k); the result has shape (n_samples, k, k).
    """
    z = real_array(z, "z")
    a = softmax(z)  # (n, k)
    return a[:, :, None] * (np.eye(a.shape[-1], dtype=a.dtype) - a[:, None, :])  # (n, k, k)


ACTIVATIONS = {
    "step": (step, step_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
    "linear": (linear, linear_derivative),
    "softmax": (softmax, softmax_derivative),
}


def get(name):
    """Return the pair (f, f_derivative) for an activation name such as "tanh"."""
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name such as 'tanh', got {name!r}")
    return ACTIVATIONS[choice(name, tuple(ACTIVATIONS), "activation")]


def backward(name, z, grad_a):
    """Return dL/dz given dL/da, for the activation called name.

    For the element-wise activations this is grad_a * f'(z). For softmax it
    is the Jacobian applied to grad_a, written without building the
    (k, k) matrices: a * (grad_a - sum(grad_a * a)).
    """
    if name == "softmax":
        a = softmax(z)
        return a * (grad_a - (grad_a * a).sum(axis=1, keepdims=True))
    return grad_a * get(name)[1](z)
