"""The exercise checks of lesson 05: the full MLP."""

import numpy as np

from .. import datasets
from ..network import MLP
from .feedback import NOT_ANSWERED, Feedback, _unanswered, _verdict


def check_iterations(iterations_per_epoch, total_iterations):
    """Check the iterations of training 1347 samples in batches of 32 for 20 epochs."""
    if _unanswered(iterations_per_epoch, total_iterations):
        return Feedback(False, NOT_ANSWERED)
    per_epoch = -(-1347 // 32)  # the last batch is smaller, but it is still a step
    ok = iterations_per_epoch == per_epoch and total_iterations == 20 * per_epoch
    hint = ("Hint: 1347 / 32 = 42.1, and the 3 samples left over make a 43rd, smaller batch."
            if iterations_per_epoch == 42 else "Hint: one iteration per batch; one epoch sees every sample once.")
    return _verdict(ok, f"{per_epoch} iterations per epoch, {20 * per_epoch} in all.", hint)


def overfitting_setup():
    """Return (X_train, y_train, X_test, y_test): few, noisy moons, on which a big network overfits."""
    X, y = datasets.moons(200, noise=0.35, seed=3)
    X_train, X_test, y_train, y_test = datasets.train_test_split(X, y, test_fraction=0.8, seed=3)
    return X_train, y_train, X_test, y_test


def test_accuracy_with_l2(l2):
    """Return the test accuracy of the lesson's big network on overfitting_setup() with this L2 strength."""
    X_train, y_train, X_test, y_test = overfitting_setup()
    net = MLP([2, 64, 64, 1], activation="relu", seed=0)
    net.fit(X_train, y_train, epochs=600, lr=0.1, batch_size=10, momentum=0.9, l2=l2)
    return net.accuracy(X_test, y_test)


test_accuracy_with_l2.__test__ = False  # not a pytest test, despite its name


def check_l2_helps(l2):
    """Check that this L2 strength raises the overfitting network's test accuracy by at least 2 points."""
    if _unanswered(l2):
        return Feedback(False, NOT_ANSWERED)
    if not isinstance(l2, (int, float)) or l2 < 0:
        return _verdict(False, "", f"l2 must be a number of at least 0, got {l2!r}.")
    base, got = test_accuracy_with_l2(0.0), test_accuracy_with_l2(float(l2))
    ok = got >= base + 0.02
    return _verdict(ok, f"Test accuracy {base:.1%} without L2, {got:.1%} with l2 = {l2:g}.",
                    f"Test accuracy {got:.1%} with l2 = {l2:g}, against {base:.1%} without. "
                    + ("Too strong: the network can no longer fit even the training data; try less."
                       if got < base else "Hint: try values between 0.001 and 0.1."))


def check_most_confused(true_digit, predicted_digit, confusion):
    """Check the largest off-diagonal entry of a confusion matrix was read correctly."""
    if _unanswered(true_digit, predicted_digit):
        return Feedback(False, NOT_ANSWERED)
    C = np.array(confusion, dtype=int)
    off = C - np.diag(np.diag(C))
    i, j = np.unravel_index(off.argmax(), off.shape)
    ok = off[true_digit, predicted_digit] == off.max()
    return _verdict(ok, f"{off.max()} images of a {i} were read as a {j}: the most common mistake.",
                    f"Row {true_digit}, column {predicted_digit} holds {off[true_digit, predicted_digit]}; "
                    "look for the largest number off the diagonal (rows: the true digit).")
