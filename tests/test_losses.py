import warnings

import numpy as np
import pytest

from nnlib import losses
from nnlib.gradcheck import numerical_gradient

A = np.array([[0.2, 0.7], [0.9, 0.4], [0.5, 0.1]])
Y = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]])


def test_mse_uses_the_half_convention():
    # 1/(2n) * sum of squares: n = 3 samples
    assert losses.mse(A, Y) == pytest.approx(np.sum((A - Y) ** 2) / 6)
    assert losses.mse(np.array([[3.0]]), np.array([[1.0]])) == pytest.approx(2.0)


def test_binary_cross_entropy_value():
    a, y = np.array([[0.8], [0.3]]), np.array([[1.0], [0.0]])
    assert losses.binary_cross_entropy(a, y) == pytest.approx(-(np.log(0.8) + np.log(0.7)) / 2)


def test_categorical_cross_entropy_value():
    a = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    y = np.array([[1.0, 0, 0], [0, 0, 1.0]])
    assert losses.categorical_cross_entropy(a, y) == pytest.approx(-(np.log(0.7) + np.log(0.8)) / 2)


@pytest.mark.parametrize("name", list(losses.LOSSES))
def test_gradient_matches_finite_differences(name):
    loss, gradient = losses.get(name)
    a = A.copy()
    numeric = numerical_gradient(lambda: loss(a, Y), a)
    assert np.allclose(gradient(A, Y), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", ["binary_cross_entropy", "categorical_cross_entropy"])
def test_no_log_of_zero(name):
    loss, gradient = losses.get(name)
    a, y = np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grad = loss(a, y), gradient(a, y)
    assert np.isfinite(value) and value > 30  # confidently wrong is expensive, but finite
    assert np.isfinite(grad).all()


def test_perfect_predictions_cost_almost_nothing():
    y = np.array([[1.0], [0.0]])
    assert losses.binary_cross_entropy(y, y) < 1e-12
    assert losses.mse(y, y) == 0


def test_unknown_loss_lists_choices():
    with pytest.raises(ValueError, match="unknown loss 'mae'.*'mse'"):
        losses.get("mae")
