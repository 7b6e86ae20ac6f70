import numpy as np

from nnlib import MLP, datasets
from nnlib.landscape import neuron_losses, weight_grid


def test_weight_grid_covers_the_square():
    W, extent = weight_grid(span=2.0, points=5)
    assert W.shape == (2, 25) and extent == (-2.0, 2.0, -2.0, 2.0)
    assert W[:, 0].tolist() == [-2.0, -2.0] and W[:, -1].tolist() == [2.0, 2.0]


def test_neuron_losses_match_the_network_loss_at_every_point():
    X, y = datasets.blobs(40, seed=1)
    W, _ = weight_grid(span=20.0, points=7)  # out to weights where the sigmoid rounds to 0 or 1
    for loss in ["binary_cross_entropy", "mse"]:
        values = neuron_losses(X, y, W, b=0.5, loss=loss)
        net = MLP([2, 1], output="sigmoid", loss=loss)
        for j in range(W.shape[1]):
            net.weights, net.biases = [W[:, [j]]], [np.array([0.5])]
            assert np.isclose(values[j], net.loss(X, y), rtol=1e-12, atol=0)


def test_descend_follows_the_gradient_and_reports_divergence():
    from nnlib.landscape import descend

    def bowl(w):  # L = w1^2 + 10 w2^2, curvatures 2 and 20
        return float(w[0] ** 2 + 10 * w[1] ** 2), np.array([2 * w[0], 20 * w[1]])

    path, losses, diverged = descend(bowl, [1.0, 1.0], lr=0.01, steps=5)
    assert path.shape == (6, 2) and losses.shape == (6,) and diverged is None
    assert np.allclose(path[1], [1 - 0.02, 1 - 0.2]) and np.all(np.diff(losses) < 0)
    path, losses, diverged = descend(bowl, [1.0, 1.0], lr=0.11, steps=100, limit=1e3)  # 0.11 > 2 / 20
    assert diverged is not None and losses[-1] > 1e3 and len(path) == diverged + 1


def test_quadratic_curvatures_of_correlated_features():
    from nnlib.landscape import quadratic_curvatures

    X, y = datasets.correlated_regression(2000, correlation=0.9, seed=1)
    low, high = quadratic_curvatures(X)
    assert abs(low - 0.1) < 0.03 and abs(high - 1.9) < 0.1  # eigenvalues 1 -+ correlation
    assert np.allclose(np.linalg.lstsq(X, y, rcond=None)[0], [2, -1], atol=0.05)
