"""Seconds per epoch: nnlib against a hand-written numpy loop of the same maths.

One epoch of a 784-128-10 ReLU/softmax MLP, batch 64, plain SGD, on 60 000
synthetic float32 samples (MNIST-sized). Also scikit-learn's MLPClassifier
and PyTorch, where installed. Run:  python benchmarks/train_speed.py [--repeats 3]
"""

import argparse
import statistics
import time

import numpy as np

from nnlib import MLP

N, SIZES, BATCH, LR = 60_000, [784, 128, 10], 64, 0.05


def synthetic_data(seed=0):
    """Return X (60000, 784) float32 in [0, 1) and labels from a random linear teacher."""
    rng = np.random.default_rng(seed)
    X = rng.random((N, SIZES[0]), dtype=np.float32)
    y = (X @ rng.normal(size=(SIZES[0], SIZES[-1])).astype(np.float32)).argmax(axis=1)
    return X, y


def handwritten_epoch(X, Y, params, rng):
    """One epoch of mini-batch SGD, written out by hand: the reference."""
    W1, b1, W2, b2 = params
    order = rng.permutation(len(X))
    for start in range(0, len(X), BATCH):
        idx = order[start:start + BATCH]
        x, y = X[idx], Y[idx]
        z1 = x @ W1 + b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ W2 + b2
        e = np.exp(z2 - z2.max(axis=1, keepdims=True))
        a2 = e / e.sum(axis=1, keepdims=True)
        d2 = (a2 - y) / len(x)
        dW2, db2 = a1.T @ d2, d2.sum(axis=0)
        d1 = (d2 @ W2.T) * (z1 > 0)
        dW1, db1 = x.T @ d1, d1.sum(axis=0)
        W1, b1, W2, b2 = W1 - LR * dW1, b1 - LR * db1, W2 - LR * dW2, b2 - LR * db2
    return [W1, b1, W2, b2]


def time_nnlib(X, y):
    net = MLP(SIZES, activation="relu", output="softmax", seed=0)
    start = time.perf_counter()
    net.fit(X, y, epochs=1, lr=LR, batch_size=BATCH)
    return time.perf_counter() - start, net


def time_handwritten(X, y):
    net = MLP(SIZES, activation="relu", output="softmax", seed=0)  # same starting weights
    params = [p.astype(np.float32) for p in (net.weights[0], net.biases[0], net.weights[1], net.biases[1])]
    Y = np.eye(SIZES[-1], dtype=np.float32)[y]
    start = time.perf_counter()
    params = handwritten_epoch(X, Y, params, np.random.default_rng(0))
    return time.perf_counter() - start, params


def time_sklearn(X, y):
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(hidden_layer_sizes=(SIZES[1],), activation="relu", solver="sgd", batch_size=BATCH,
                        learning_rate_init=LR, momentum=0.0, max_iter=1, shuffle=True, random_state=0)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    return time.perf_counter() - start


def time_torch(X, y):
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(SIZES[0], SIZES[1]), torch.nn.ReLU(),
                                torch.nn.Linear(SIZES[1], SIZES[2]))
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    start = time.perf_counter()
    order = torch.randperm(len(X))
    for i in range(0, len(X), BATCH):
        idx = order[i:i + BATCH]
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(Xt[idx]), yt[idx]).backward()
        optimizer.step()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="epochs timed for each (median reported)")
    repeats = parser.parse_args().repeats
    X, y = synthetic_data()
    print(f"one epoch, MLP {SIZES} relu/softmax, batch {BATCH}, plain SGD, X {X.shape} {X.dtype}")

    nnlib_times, hand_times = [], []
    for _ in range(repeats):  # interleaved, so that both see the same machine load
        seconds, net = time_nnlib(X, y)
        nnlib_times.append(seconds)
        seconds, params = time_handwritten(X, y)
        hand_times.append(seconds)
    assert all(W.dtype == np.float32 for W in net.weights), "nnlib must train in the dtype it is given"
    nn, hand = statistics.median(nnlib_times), statistics.median(hand_times)
    print(f"nnlib          {nn:6.3f} s/epoch")
    print(f"hand-written   {hand:6.3f} s/epoch")
    print(f"ratio nnlib / hand-written = {nn / hand:.3f}  (target <= 1.15)")
    for name, timer in (("scikit-learn", time_sklearn), ("PyTorch", time_torch)):
        try:
            seconds = statistics.median(timer(X, y) for _ in range(repeats))
        except ImportError:
            print(f"{name:14s} not installed")
            continue
        print(f"{name:14s} {seconds:6.3f} s/epoch  ({seconds / nn:.2f}x nnlib)")


if __name__ == "__main__":
    main()
