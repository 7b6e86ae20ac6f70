"""The seed notes' code, run beside nnlib's: where they agree and where they do not."""

import numpy as np
import pytest

from nnlib import MLP, seeds


@pytest.mark.parametrize("sizes", [[2, 3, 2], [4, 5, 5, 3], [3, 1]])
def test_seed000_loop_forward_equals_matrix_forward(sizes):
    net = MLP(sizes, activation="sigmoid", output="sigmoid", seed=5)
    net.biases = [np.random.default_rng(1).normal(size=b.shape) for b in net.biases]
    X = np.random.default_rng(2).normal(size=(7, sizes[0]))
    network = seeds.network_from_mlp(net)
    loop = np.array([seeds.forward_propagate(network, list(row)) for row in X])
    assert np.abs(loop - net.forward(X)).max() < 1e-12
    assert network[-1][0]["output"] == pytest.approx(net.forward(X[-1:])[0, 0])  # the seed stores outputs


def test_network_from_mlp_puts_the_bias_last():
    net = MLP([2, 3, 1], activation="sigmoid", seed=0)
    network = seeds.network_from_mlp(net)
    assert [len(layer) for layer in network] == [3, 1]
    assert network[0][1]["weights"] == [net.weights[0][0, 1], net.weights[0][1, 1], net.biases[0][1]]


def test_seed002_columns_are_our_rows_transposed():
    net = MLP([4, 10, 3], activation="relu", output="softmax", seed=3)
    X = np.random.default_rng(1).random((6, 4))
    (W1, W2), (b1, b2) = net.weights, net.biases
    Z1, A1, Z2, A2 = seeds.seed002_forward(X.T, W1.T, b1[:, None], W2.T, b2[:, None])
    zs, acts = net.forward_all(X)
    assert np.allclose(Z1, zs[0].T) and np.allclose(A1, acts[1].T) and np.allclose(A2, acts[2].T)


def test_seed002_softmax_overflows_where_nnlib_does_not():
    W1, b1 = np.eye(2), np.zeros((2, 1))
    W2, b2 = np.eye(2) * 1000, np.zeros((2, 1))
    with np.errstate(over="ignore", invalid="ignore"):
        *_, A2 = seeds.seed002_forward(np.array([[1.0], [0.5]]), W1, b1, W2, b2)
    assert np.isnan(A2).any()
    net = MLP([2, 2, 2], activation="relu", output="softmax")
    net.weights, net.biases = [W1.T, W2.T], [b1[:, 0], b2[:, 0]]
    assert np.isfinite(net.forward(np.array([[1.0, 0.5]]))).all()
