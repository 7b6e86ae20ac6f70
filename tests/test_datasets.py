import numpy as np
import pytest

from nnlib import datasets

TWO_D = ["xor", "blobs", "moons", "circles", "spirals"]


@pytest.mark.parametrize("name", TWO_D)
def test_shapes_labels_and_seeding(name):
    X, y = datasets.make(name, n=120, seed=3)
    assert X.shape == (120, 2) and y.shape == (120,)
    assert set(np.unique(y)) == {0, 1}
    assert np.all(np.bincount(y) == 60)  # balanced classes
    X2, y2 = datasets.make(name, n=120, seed=3)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(X, datasets.make(name, n=120, seed=4)[0])


def test_noise_moves_points():
    X0, _ = datasets.moons(50, noise=0.0)
    X1, _ = datasets.moons(50, noise=0.3)
    assert np.abs(X1 - X0).mean() > 0.1


def test_noiseless_xor_labels_follow_the_quadrants():
    X, y = datasets.xor(100)
    assert np.array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))


def test_circles_inner_radius():
    X, y = datasets.circles(100, noise=0.0, factor=0.3)
    r = np.linalg.norm(X, axis=1)
    assert np.allclose(r[y == 1], 0.3) and np.allclose(r[y == 0], 1.0)


def test_many_classes():
    X, y = datasets.spirals(300, classes=5)
    assert set(np.unique(y)) == set(range(5))
    _, y = datasets.blobs(90, centers=3)
    assert np.all(np.bincount(y) == 30)


def test_tables():
    X, y = datasets.x2_table()
    assert X.tolist() == [[0, 0], [0, 1], [1, 1], [1, 0]] and y.tolist() == [0, 1, 1, 0]
    assert datasets.logic_gate("and")[1].tolist() == [0, 0, 0, 1]
    assert datasets.logic_gate("or")[1].tolist() == [0, 1, 1, 1]
    assert datasets.logic_gate("xor")[1].tolist() == [0, 1, 1, 0]


def test_train_test_split_is_stratified_disjoint_and_seeded():
    X, y = datasets.blobs(200, centers=4)
    X_train, X_test, y_train, y_test = datasets.train_test_split(X, y, test_fraction=0.25, seed=1)
    assert len(X_train) + len(X_test) == 200
    assert np.all(np.isin(np.bincount(y_test), [12, 13]))  # a quarter of each class's 50
    rows = {tuple(r) for r in X_train}
    assert not any(tuple(r) in rows for r in X_test)
    again = datasets.train_test_split(X, y, test_fraction=0.25, seed=1)
    assert np.array_equal(again[1], X_test)


def test_digits_offline():
    X, y = datasets.digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0 and X.max() == 1
    assert set(np.unique(y)) == set(range(10))


@pytest.mark.parametrize(("call", "message"), [
    (lambda: datasets.make("swirl"), "unknown dataset 'swirl'"),
    (lambda: datasets.logic_gate("xnor"), "unknown gate 'xnor'"),
    (lambda: datasets.moons(n=0), "n must be a whole number of at least 1; got 0"),
    (lambda: datasets.moons(noise=-1), "noise must be a number between 0 and 5, such as 0.1; got -1"),
    (lambda: datasets.circles(factor=2), r"factor \(the inner radius over the outer one\) must be a number strictly"),
    (lambda: datasets.train_test_split(np.ones((4, 2)), [0, 1, 0], 0.5), "X has 4 samples but y has 3"),
    (lambda: datasets.train_test_split(np.ones((4, 2)), [0, 1, 0, 1], 1.5),
     "test_fraction must be a number strictly between 0 and 1, such as 0.25; got 1.5"),
])
def test_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()
