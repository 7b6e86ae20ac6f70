import numpy as np

from nnlib import MLP, datasets
from nnlib.landscape import neuron_losses, weight_grid


def test_weight_grid_covers_the_square():
    W, extent = weight_grid(span=2.0, points=5)
    assert W.shape == (2, 25) and extent == (-2.0, 2.0, -2.0, 2.0)
    assert W[:, 0].tolist() == [-2.0, -2.0] and W[:, -1].tolist() == [2.0, 2.0]


def test_neuron_losses_match_the_network_loss_at_every_point():
    X, y = datasets.blobs(40, seed=1)
    W, _ = weight_grid(span=3.0, points=4)
    for loss in ["binary_cross_entropy", "mse"]:
        values = neuron_losses(X, y, W, b=0.5, loss=loss)
        net = MLP([2, 1], output="sigmoid", loss=loss)
        for j in range(W.shape[1]):
            net.weights, net.biases = [W[:, [j]]], [np.array([0.5])]
            assert np.isclose(values[j], net.loss(X, y))
