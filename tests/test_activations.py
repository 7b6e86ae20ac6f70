import warnings

import numpy as np
import pytest

from nnlib import activations
from nnlib.gradcheck import numerical_gradient

ELEMENTWISE = ["step", "sigmoid", "tanh", "relu", "leaky_relu", "linear"]


def test_known_values():
    z = np.array([-2.0, 0.0, 3.0])
    assert np.array_equal(activations.step(z), [0, 1, 1])
    assert np.allclose(activations.sigmoid(z), 1 / (1 + np.exp(-z)))
    assert np.allclose(activations.tanh(z), np.tanh(z))
    assert np.array_equal(activations.relu(z), [0, 0, 3])
    assert np.allclose(activations.leaky_relu(z), [-0.02, 0, 3])
    assert np.array_equal(activations.linear(z), z)
    assert activations.sigmoid_derivative(np.array(0.0)) == pytest.approx(0.25)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
def test_derivative_matches_finite_differences(name):
    f, df = activations.get(name)
    z = np.array([-3.1, -0.7, 0.4, 2.3])
    numeric = [(f(v + 1e-6) - f(v - 1e-6)) / 2e-6 for v in z]
    assert np.allclose(df(z), numeric, atol=1e-8)


def test_step_derivative_is_zero():
    assert np.array_equal(activations.step_derivative(np.array([-1.0, 0.0, 1.0])), [0, 0, 0])


@pytest.mark.parametrize("name", [*ELEMENTWISE, "softmax"])
def test_no_overflow_or_nan_up_to_1e4(name):
    f, df = activations.get(name)
    z = np.array([[-1e4, -1.0, 0.0, 1.0, 1e4]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, d = f(z), df(z)
    assert np.isfinite(a).all() and np.isfinite(d).all()


def test_sigmoid_saturates_cleanly():
    assert activations.sigmoid(np.array([-1e4, 1e4])).tolist() == [0.0, 1.0]


def test_softmax_rows_sum_to_one_and_shift_invariant():
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0]])
    a = activations.softmax(z)
    assert np.allclose(a.sum(axis=1), 1)
    assert np.allclose(a[1], 1 / 3)
    assert np.allclose(activations.softmax(z[:1] + 50), a[:1])


def test_softmax_jacobian_matches_finite_differences():
    z = np.array([[0.3, -1.2, 2.0]])
    J = activations.softmax_derivative(z)[0]  # (3, 3): row i holds d a_i / d z
    for i in range(3):
        numeric = numerical_gradient(lambda i=i: activations.softmax(z)[0, i], z)[0]
        assert np.allclose(J[i], numeric, atol=1e-8)


def test_backward_applies_softmax_jacobian():
    z = np.array([[0.5, 0.1, -0.3], [2.0, 1.0, 0.0]])
    g = np.array([[1.0, -2.0, 0.5], [0.3, 0.2, -0.1]])
    expected = np.einsum("nij,ni->nj", activations.softmax_derivative(z), g)
    assert np.allclose(activations.backward("softmax", z, g), expected)


def test_float32_stays_float32():
    z = np.linspace(-5, 5, 11, dtype=np.float32)
    for name in ELEMENTWISE:
        f, df = activations.get(name)
        assert f(z).dtype == np.float32 and df(z).dtype == np.float32, name
    assert activations.softmax(z[None]).dtype == np.float32


def test_unknown_name_lists_choices():
    with pytest.raises(ValueError, match="unknown activation 'sigmod'.*'sigmoid'"):
        activations.get("sigmod")
    with pytest.raises(TypeError, match="activation must be a name"):
        activations.get(3)
