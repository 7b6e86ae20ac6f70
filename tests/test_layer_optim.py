import numpy as np
import pytest

from nnlib import SGD, dense_backward, dense_forward
from nnlib.gradcheck import numerical_gradient


def test_dense_forward_shapes_and_values():
    A_prev = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])  # 3 samples, 2 inputs
    W = np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]])  # 2 inputs -> 3 neurons
    b = np.array([0.1, 0.2, 0.3])
    Z, A = dense_forward(A_prev, W, b, "relu")
    assert Z.shape == A.shape == (3, 3)
    assert np.allclose(Z[0], [1 * 0.5 + 2 * 1 + 0.1, -1 + 0.2, 2 - 1 + 0.3])
    assert np.allclose(A, np.maximum(Z, 0))


def test_dense_backward_matches_finite_differences():
    rng = np.random.default_rng(0)
    A_prev, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    G = rng.normal(size=(4, 2))  # dL/dZ for the loss L = sum(G * Z)

    def loss():
        return np.sum(G * dense_forward(A_prev, W, b, "linear")[0])

    dW, db, dA_prev = dense_backward(G, A_prev, W)
    assert np.allclose(dW, numerical_gradient(loss, W))
    assert np.allclose(db, numerical_gradient(loss, b))
    assert np.allclose(dA_prev, numerical_gradient(loss, A_prev))


def test_sgd_plain_step_returns_new_arrays():
    p, g = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    (new,) = SGD(lr=0.1).step([p], [g])
    assert np.allclose(new, [0.95, 2.1])
    assert np.array_equal(p, [1.0, 2.0])  # the old parameters are untouched


def test_sgd_momentum_accumulates_velocity():
    opt = SGD(lr=0.1, momentum=0.9)
    p, g = np.array([0.0]), np.array([1.0])
    (p,) = opt.step([p], [g])  # v = -0.1
    (p,) = opt.step([p], [g])  # v = 0.9 * -0.1 - 0.1 = -0.19
    assert np.allclose(p, [-0.29])


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_sgd_rejects_bad_learning_rates(lr):
    with pytest.raises(ValueError, match="lr must be a number above 0, such as 0.1; got"):
        SGD(lr=lr)


def test_sgd_rejects_bad_momentum():
    with pytest.raises(ValueError, match="momentum must be a number from 0 up to but not including 1"):
        SGD(lr=0.1, momentum=1.0)
    with pytest.raises(TypeError, match="lr must be a number"):
        SGD(lr="fast")
