"""The source tutorials' code, run beside nnlib's: where they agree and where they do not."""

import numpy as np
import pytest

from nnlib import MLP
from nnlib.course import sources


@pytest.mark.parametrize("sizes", [[2, 3, 2], [4, 5, 5, 3], [3, 1]])
def test_tutorial_loop_forward_equals_matrix_forward(sizes):
    net = MLP(sizes, activation="sigmoid", output="sigmoid", seed=5)
    net.biases = [np.random.default_rng(1).normal(size=b.shape) for b in net.biases]
    X = np.random.default_rng(2).normal(size=(7, sizes[0]))
    network = sources.network_from_mlp(net)
    loop = np.array([sources.forward_propagate(network, list(row)) for row in X])
    assert np.abs(loop - net.forward(X)).max() < 1e-12
    assert network[-1][0]["output"] == pytest.approx(net.forward(X[-1:])[0, 0])  # the tutorial stores outputs


def test_network_from_mlp_puts_the_bias_last():
    net = MLP([2, 3, 1], activation="sigmoid", seed=0)
    network = sources.network_from_mlp(net)
    assert [len(layer) for layer in network] == [3, 1]
    assert network[0][1]["weights"] == [net.weights[0][0, 1], net.weights[0][1, 1], net.biases[0][1]]


def test_digits_article_columns_are_our_rows_transposed():
    net = MLP([4, 10, 3], activation="relu", output="softmax", seed=3)
    X = np.random.default_rng(1).random((6, 4))
    (W1, W2), (b1, b2) = net.weights, net.biases
    Z1, A1, Z2, A2 = sources.digits_article_forward(X.T, W1.T, b1[:, None], W2.T, b2[:, None])
    zs, acts = net.forward_all(X)
    assert np.allclose(Z1, zs[0].T) and np.allclose(A1, acts[1].T) and np.allclose(A2, acts[2].T)


def test_digits_article_softmax_overflows_where_nnlib_does_not():
    W1, b1 = np.eye(2), np.zeros((2, 1))
    W2, b2 = np.eye(2) * 1000, np.zeros((2, 1))
    with np.errstate(over="ignore", invalid="ignore"):
        *_, A2 = sources.digits_article_forward(np.array([[1.0], [0.5]]), W1, b1, W2, b2)
    assert np.isnan(A2).any()
    net = MLP([2, 2, 2], activation="relu", output="softmax")
    net.weights, net.biases = [W1.T, W2.T], [b1[:, 0], b2[:, 0]]
    assert np.isfinite(net.forward(np.array([[1.0, 0.5]]))).all()


# ----- backward passes --------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(5))
def test_tutorial_backward_equals_nnlib_for_sigmoid_mse(seed):
    rng = np.random.default_rng(seed)
    net = MLP([3, 4, 5, 2], activation="sigmoid", output="sigmoid", loss="mse", seed=seed)
    net.biases = [rng.normal(size=b.shape) for b in net.biases]
    row, expected = rng.normal(size=3), rng.random(2)
    network = sources.network_from_mlp(net)
    sources.forward_propagate(network, list(row))
    sources.backward_propagate_error(network, list(expected))
    dWs, dbs = sources.gradients_from_deltas(network, row)
    nWs, nbs = net.gradients(row[None, :], expected[None, :])
    assert max(np.abs(p - q).max() for p, q in zip(dWs + dbs, nWs + nbs)) < 1e-10


def article_case(seed=2, n=5):
    net = MLP([4, 6, 3], activation="relu", output="softmax", seed=seed)
    net.biases = [np.random.default_rng(seed).normal(scale=0.1, size=b.shape) for b in net.biases]
    X = np.random.default_rng(seed + 1).normal(size=(n, 4))
    labels = np.arange(n) % 3
    (W1, W2), (b1, b2) = net.weights, net.biases
    Z1, A1, Z2, A2 = sources.digits_article_forward(X.T, W1.T, b1[:, None], W2.T, b2[:, None])
    return net, X, labels, (Z1, A1, Z2, A2)


@pytest.mark.parametrize("seed", range(5))
def test_digits_article_backward_weights_equal_nnlib_and_fixed_biases_too(seed):
    net, X, labels, (Z1, A1, Z2, A2) = article_case(seed)
    Y = np.eye(3)[labels].T
    dW1, _, dW2, _ = sources.digits_article_backward(Z1, A1, Z2, A2, X.T, Y, net.weights[1].T, m=len(X))
    (nW1, nW2), (nb1, nb2) = net.gradients(X, labels)
    assert np.abs(dW1.T - nW1).max() < 1e-10 and np.abs(dW2.T - nW2).max() < 1e-10
    dZ2 = A2 - Y  # the lesson's fix: sum over samples only
    fixed_db2 = dZ2.sum(axis=1) / len(X)
    fixed_db1 = (net.weights[1].dot(dZ2) * (Z1 > 0)).sum(axis=1) / len(X)
    assert np.abs(fixed_db2 - nb2).max() < 1e-10 and np.abs(fixed_db1 - nb1).max() < 1e-10


def test_digits_article_bug_bias_gradients_are_single_numbers_and_db2_is_zero():
    net, X, labels, (Z1, A1, Z2, A2) = article_case()
    one_hot = np.eye(3)[labels].T
    _, db1, _, db2 = sources.digits_article_backward(Z1, A1, Z2, A2, X.T, one_hot, net.weights[1].T, m=len(X))
    _, (nb1, nb2) = net.gradients(X, labels)
    assert np.ndim(db1) == 0 and np.ndim(db2) == 0
    assert abs(db2) < 1e-12 and np.abs(nb2).max() > 0.01  # the output biases never learn
    assert db1 == pytest.approx(nb1.sum())  # one number: every unit's gradient summed


def test_digits_article_bug_m_shrinks_minibatch_gradients_by_batch_over_m():
    net, X, labels, (Z1, A1, Z2, A2) = article_case(n=8)
    args = (Z1, A1, Z2, A2, X.T, np.eye(3)[labels].T, net.weights[1].T)
    as_written = sources.digits_article_backward(*args, m=1347)[0]
    fixed = sources.digits_article_backward(*args, m=8)[0]
    assert np.allclose(as_written, fixed * 8 / 1347)


@pytest.fixture(scope="module")
def digits_train():
    from nnlib import datasets

    X, y = datasets.digits()
    X_train, _, y_train, _ = datasets.train_test_split(X, y, test_fraction=0.25, seed=42)
    return X_train, y_train


def test_digits_article_bugs_cost_accuracy_as_lesson04_says(digits_train):
    X, y = digits_train

    def accuracy(fixes):
        return sources.digits_article_train(X, y, fixes, epochs=30, batch_size=64, lr=0.1)[1][-1]

    as_written, bias, m, both = accuracy(()), accuracy(("bias",)), accuracy(("m",)), accuracy(("bias", "m"))
    assert m > as_written + 0.3  # the m bug: learning 21 times too slowly (0.44 -> 0.88 in the lesson)
    assert bias > as_written and both > m  # the bias fix helps a little on top
    assert accuracy(("bias", "m", "softmax")) == both  # no overflow on inputs in [0, 1]


def test_digits_article_softmax_bug_gives_nan_on_raw_pixels(digits_train):
    X, y = digits_train
    naive = sources.digits_article_train(X * 255, y, ("bias", "m"), epochs=3, batch_size=64, lr=1e-4)[1]
    shifted = sources.digits_article_train(X * 255, y, ("bias", "m", "softmax"), epochs=3, batch_size=64, lr=1e-4)[1]
    assert np.isnan(naive[-1]) and shifted[-1] > 0.2
