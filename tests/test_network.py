import itertools
import warnings
import zlib

import numpy as np
import pytest

from nnlib import MLP, DivergenceWarning, check_gradients, datasets

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear", "step"]
OUTPUT_LOSS = [
    ("sigmoid", "binary_cross_entropy"),
    ("sigmoid", "mse"),
    ("softmax", "categorical_cross_entropy"),
    ("softmax", "mse"),
    ("linear", "mse"),
    ("tanh", "mse"),
    ("relu", "mse"),
    ("leaky_relu", "mse"),
]


def targets(output, loss, rng, n, k):
    if output == "softmax":
        return rng.integers(0, k, size=n)  # labels
    if loss == "binary_cross_entropy":
        return rng.integers(0, 2, size=(n, k)).astype(float)
    return rng.normal(size=(n, k))


@pytest.mark.parametrize(("hidden", "output_loss"), list(itertools.product(HIDDEN, OUTPUT_LOSS)))
def test_gradients_match_numerical_for_every_activation_and_loss(hidden, output_loss):
    output, loss = output_loss
    rng = np.random.default_rng(zlib.crc32(f"{hidden}-{output}-{loss}".encode()))
    net = MLP([3, 5, 4, 3], activation=hidden, output=output, loss=loss, seed=1)
    net.biases = [rng.normal(scale=0.5, size=b.shape) for b in net.biases]  # no exact kinks at z = 0
    X = rng.normal(size=(6, 3))
    report = check_gradients(net, X, targets(output, loss, rng, 6, 3))
    assert report.max_error < 1e-6, str(report)


def test_gradient_check_catches_a_wrong_gradient():
    net = MLP([2, 3, 1], seed=0)
    X, y = datasets.xor(8)
    real = net.gradients
    net.gradients = lambda X, y: ([dW * 1.01 for dW in real(X, y)[0]], real(X, y)[1])
    report = check_gradients(net, X, y)
    assert not report.passed and report.max_error > 1e-3
    assert "FAIL" in str(report) and "NO" in str(report)


def test_contract_shapes():
    net = MLP([2, 8, 3, 1])
    assert [W.shape for W in net.weights] == [(2, 8), (8, 3), (3, 1)]
    assert [b.shape for b in net.biases] == [(8,), (3,), (1,)]
    X, y = datasets.moons(20)
    assert net.forward(X).shape == (20, 1)
    assert net.predict(X).shape == (20,)
    dWs, dbs = net.gradients(X, y)
    assert [d.shape for d in dWs] == [W.shape for W in net.weights]
    assert [d.shape for d in dbs] == [b.shape for b in net.biases]
    assert isinstance(net.loss(X, y), float)


def test_default_loss_follows_the_output():
    assert MLP([2, 1], output="sigmoid").loss_name == "binary_cross_entropy"
    assert MLP([2, 3], output="softmax").loss_name == "categorical_cross_entropy"
    assert MLP([2, 1], output="linear").loss_name == "mse"
    assert MLP([2, 1], output="tanh").loss_name == "mse"


def test_targets_as_labels_column_or_one_hot_agree():
    net = MLP([2, 4, 3], output="softmax", seed=3)
    X, y = datasets.blobs(30, centers=3)
    one_hot = np.eye(3)[y]
    assert net.loss(X, y) == pytest.approx(net.loss(X, one_hot))
    binary = MLP([2, 4, 1], seed=3)
    yb = y % 2
    assert binary.loss(X, yb) == pytest.approx(binary.loss(X, yb[:, None]))


def test_same_seed_same_network():
    a, b = MLP([2, 5, 1], seed=7), MLP([2, 5, 1], seed=7)
    assert all(np.array_equal(p, q) for p, q in zip(a.weights, b.weights))
    assert not np.array_equal(a.weights[0], MLP([2, 5, 1], seed=8).weights[0])


def test_learns_xor_with_a_hidden_layer():
    X, y = datasets.xor(200, noise=0.05)
    net = MLP([2, 8, 1], seed=0)
    history = net.fit(X, y, epochs=300, lr=0.5)
    assert history["loss"][-1] < 0.2 < history["loss"][0]
    assert net.accuracy(X, y) > 0.95


def test_mini_batches_momentum_and_validation_on_spirals():
    X, y = datasets.spirals(300, classes=3)
    X_train, X_test, y_train, y_test = datasets.train_test_split(X, y, seed=0)
    net = MLP([2, 32, 32, 3], activation="relu", output="softmax", seed=0)
    history = net.fit(X_train, y_train, epochs=300, lr=0.02, batch_size=32, momentum=0.9,
                      validation=(X_test, y_test))
    assert len(history["loss"]) == len(history["val_loss"]) == len(history["val_accuracy"]) == 300
    assert history["val_accuracy"][-1] > 0.9
    assert history["val_accuracy"][-1] == pytest.approx(net.accuracy(X_test, y_test))


def test_l2_shrinks_the_weights():
    X, y = datasets.moons(100)
    plain, decayed = MLP([2, 16, 1], seed=0), MLP([2, 16, 1], seed=0)
    plain.fit(X, y, epochs=200, lr=0.5)
    decayed.fit(X, y, epochs=200, lr=0.5, l2=0.05)
    assert np.linalg.norm(decayed.weights[0]) < 0.8 * np.linalg.norm(plain.weights[0])


def test_on_epoch_is_called_every_epoch():
    seen = []
    MLP([2, 1]).fit(*datasets.logic_gate("and"), epochs=5, lr=1.0, on_epoch=lambda e, net: seen.append(e))
    assert seen == [0, 1, 2, 3, 4]


def test_float32_in_float32_arithmetic():
    X, y = datasets.moons(64)
    net = MLP([2, 8, 1], seed=0)
    net.fit(X.astype(np.float32), y, epochs=3, lr=0.1, batch_size=16)
    assert all(W.dtype == np.float32 for W in net.weights + net.biases)
    assert net.forward(X.astype(np.float32)).dtype == np.float32
    dWs, _ = net.gradients(X.astype(np.float32), y)
    assert dWs[0].dtype == np.float32


def test_divergence_stops_with_a_message_and_finite_weights():
    X, y = datasets.blobs(50, noise=0.3)
    X = X * 1000  # badly scaled inputs and a huge learning rate: the loss explodes
    net = MLP([2, 16, 16, 1], activation="relu", output="linear", seed=0)
    with pytest.warns(DivergenceWarning, match="smaller learning rate"):
        history = net.fit(X, y, epochs=200, lr=10.0)
    assert "lr=10" in history["stopped"]
    assert len(history["loss"]) < 200
    assert all(np.isfinite(W).all() for W in net.weights + net.biases)
    assert np.isfinite(net.loss(X, y))


def test_training_is_quiet_when_it_converges():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = MLP([2, 4, 1]).fit(*datasets.moons(50), epochs=20, lr=0.5, batch_size=10)
    assert history["stopped"] is None


# ----- bad input: a clear message naming the argument, what was given and what was expected -----
BAD_CONSTRUCTION = [
    (dict(sizes=[2]), ValueError, "at least 2 layer sizes"),
    (dict(sizes=[2, 0, 1]), ValueError, r"sizes\[1\] must be a whole number of at least 1; got 0"),
    (dict(sizes=[2, 2.5, 1]), TypeError, r"sizes\[1\] must be a whole number"),
    (dict(sizes="2,1"), ValueError, "sizes must list"),
    (dict(sizes=[2, 1], activation="sigmod"), ValueError, "unknown activation 'sigmod'"),
    (dict(sizes=[2, 1], output="softmax"), ValueError, "softmax output needs at least 2"),
    (dict(sizes=[2, 3, 1], activation="softmax"), ValueError, "only makes sense for the output"),
    (dict(sizes=[2, 1], loss="hinge"), ValueError, "unknown loss 'hinge'"),
    (dict(sizes=[2, 1], output="linear", loss="binary_cross_entropy"), ValueError, "use output='sigmoid'"),
    (dict(sizes=[2, 3], output="sigmoid", loss="categorical_cross_entropy"), ValueError, "use output='softmax'"),
]


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD_CONSTRUCTION)
def test_bad_construction(kwargs, error, message):
    with pytest.raises(error, match=message):
        MLP(**kwargs)


X4, y4 = datasets.logic_gate("and")
BAD_DATA = [
    (np.ones((4, 3)), y4, ValueError, "X has 3 features but the first layer expects 2"),
    (np.ones(2), y4, ValueError, r"X must be 2-D .* got shape \(2,\)\. For one sample use X\[None, :\]"),
    (X4, y4[:3], ValueError, "X has 4 samples but y has 3 targets"),
    (np.array([[0, np.nan]] * 4), y4, ValueError, "X contains 4 NaN or infinite"),
    (np.array([[0, np.inf]] * 4), y4, ValueError, "NaN or infinite"),
    (X4, np.array([0, 1, 2, 1]), ValueError, "needs targets between 0 and 1"),
    (X4, np.ones((4, 2)), ValueError, r"y has 2 column\(s\) but the network has 1 output"),
    (X4, np.array([0, np.nan, 1, 0]), ValueError, "y contains NaN"),
    ("data", y4, TypeError, "X must be an array of numbers"),
    (np.zeros((0, 2)), y4[:0], ValueError, "X has no samples"),
    (X4, None, TypeError, "y is missing"),
]


@pytest.mark.parametrize(("X", "y", "error", "message"), BAD_DATA)
def test_bad_data(X, y, error, message):
    net = MLP([2, 3, 1])
    with pytest.raises(error, match=message):
        net.fit(X, y, epochs=1, lr=0.1)


def test_bad_labels_for_softmax():
    net = MLP([2, 3], output="softmax")
    with pytest.raises(ValueError, match="whole numbers from 0 to 2; got values from 0 to 3"):
        net.loss(X4, np.array([0, 1, 3, 2]))


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(lr=0), "lr must be a number above 0, such as 0.1; got 0"),
    (dict(lr=-1), "lr must be a number above 0, such as 0.1; got -1"),
    (dict(lr=float("nan")), "lr must be a number above 0, such as 0.1; got nan, which is not a finite number"),
    (dict(batch_size=0), "batch_size must be a whole number between 1 and 4; got 0"),
    (dict(batch_size=5), "batch_size must be a whole number between 1 and 4; got 5"),
    (dict(epochs=0), "epochs must be a whole number of at least 1, such as 100; got 0"),
    (dict(l2=-0.1), r"l2 must be a number of at least 0, such as 0.0001; got -0.1"),
    (dict(momentum=1.5), r"momentum must be a number from 0 up to but not including 1, such as 0.9; got 1.5"),
])
def test_bad_training_settings(kwargs, message):
    settings = dict(epochs=1, lr=0.1) | kwargs
    with pytest.raises(ValueError, match=message):
        MLP([2, 1]).fit(X4, y4, **settings)


def test_forward_rejects_wrong_width_before_numpy_does():
    with pytest.raises(ValueError, match="X has 5 features but the first layer expects 2"):
        MLP([2, 1]).forward(np.zeros((3, 5)))


def test_two_two_one_names_follow_the_lesson():
    from nnlib.examples import two_two_one

    values = {"w11": 1, "w21": 2, "b1": 3, "w12": 4, "w22": 5, "b2": 6, "v1": 7, "v2": 8, "c": 9}
    net = two_two_one(values, hidden="tanh")
    assert net.weights[0].tolist() == [[1, 4], [2, 5]] and net.biases[0].tolist() == [3, 6]
    assert net.weights[1].tolist() == [[7], [8]] and net.biases[1].tolist() == [9]
    assert net.activation == "tanh"
    with pytest.raises(KeyError, match=r"missing \['c'\]"):
        two_two_one({k: v for k, v in values.items() if k != "c"})
