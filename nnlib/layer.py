"""One dense (fully connected) layer, forward and backward.

Samples are rows. A layer with n_in inputs and n_out neurons has
W of shape (n_in, n_out) and b of shape (n_out,), so that

    Z = A_prev @ W + b        (n_samples, n_out)
    A = f(Z)

Many texts (the digit-recognizer article of lesson 02 among them) put samples in columns and write
Z = W A + b with W of shape (n_out, n_in): the same numbers, transposed.
"""

from . import activations
from .checks import backward_arrays, layer_arrays


def dense_forward(A_prev, W, b, activation):
    """Return (Z, A): the weighted sums and activations of one layer.

    A_prev is the previous layer's activations (or the inputs X),
    shape (n_samples, n_in); activation is a name such as "tanh".
    """
    A_prev, W, b = layer_arrays(A_prev, W, b)  # shapes checked against each other: see checks.py
    Z = A_prev @ W + b  # (n, n_in) @ (n_in, n_out) + (n_out,) -> (n, n_out)
    A = activations.get(activation)[0](Z)  # (n, n_out)
    return Z, A


def dense_backward(dZ, A_prev, W, need_dA_prev=True):
    """Return (dW, db, dA_prev) given dZ = dL/dZ of shape (n_samples, n_out).

    The chain rule through Z = A_prev @ W + b, one line each:
    dL/dW = A_prev.T @ dZ, dL/db = sum of dZ over samples, dL/dA_prev = dZ @ W.T.
    The first layer's inputs are the data, which are not learned: pass
    need_dA_prev=False there to skip that product (dA_prev is then None).
    """
    dZ, A_prev, W = backward_arrays(dZ, A_prev, W)  # shapes checked against each other: see checks.py
    dW = A_prev.T @ dZ  # (n_in, n) @ (n, n_out) -> (n_in, n_out)
    db = dZ.sum(axis=0)  # (n_out,)
    dA_prev = dZ @ W.T if need_dA_prev else None  # (n, n_out) @ (n_out, n_in) -> (n, n_in)
    return dW, db, dA_prev
