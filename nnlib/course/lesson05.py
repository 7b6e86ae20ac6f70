"""The exercise checks of lesson 05: the full MLP."""

import numpy as np

from .. import checks, datasets
from ..network import MLP
from .feedback import NOT_ANSWERED, Feedback, _unanswered, _verdict, answer_check


@answer_check
def check_iterations(iterations_per_epoch, total_iterations):
    """Check the iterations of training 1347 samples in batches of 32 for 20 epochs."""
    if _unanswered(iterations_per_epoch, total_iterations):
        return Feedback(False, NOT_ANSWERED)
    iterations_per_epoch = checks.whole_number(iterations_per_epoch, "iterations_per_epoch", 0, example=10)
    total_iterations = checks.whole_number(total_iterations, "total_iterations", 0, example=200)
    per_epoch = -(-1347 // 32)  # the last batch is smaller, but it is still a step
    ok = iterations_per_epoch == per_epoch and total_iterations == 20 * per_epoch
    hint = ("Hint: 1347 / 32 = 42.1, and the 3 samples left over make a 43rd, smaller batch."
            if iterations_per_epoch == 42 else "Hint: one iteration per batch; one epoch sees every sample once.")
    return _verdict(ok, f"{per_epoch} iterations per epoch, {20 * per_epoch} in all.", hint)


def overfitting_setup(seed=0):
    """Return (X_train, y_train, X_val, y_val): 40 very noisy moons to train on, 2000 to validate on.

    Each seed draws a different training set from the same distribution; the validation
    points are the same for every seed, so scores of different training sets can be averaged.
    """
    X_train, y_train = datasets.moons(40, noise=0.5, seed=seed)
    X_val, y_val = datasets.moons(2000, noise=0.5, seed=1000)
    return X_train, y_train, X_val, y_val


def overfitting_test_set():
    """Return (X_test, y_test): 2000 fresh points of overfitting_setup()'s moons, for one final score."""
    return datasets.moons(2000, noise=0.5, seed=2000)


_MEAN_ACCURACIES = {}  # (l2, training_sets) -> (training, validation): ten trainings each, so computed once


def validation_accuracy_with_l2(l2, training_sets=10):
    """Return the big network's mean (training accuracy, validation accuracy) with this L2 strength.

    As in lesson 05, section 5: the network [2, 64, 64, 1] (ReLU) is trained full-batch for 600
    epochs (lr 0.1, momentum 0.9) on each of the training sets 0 .. training_sets - 1 of
    overfitting_setup(); averaging over them makes a difference of a point or two real, not luck.
    """
    key = (float(l2), training_sets)
    if key not in _MEAN_ACCURACIES:
        train, val = [], []
        for seed in range(training_sets):
            X_train, y_train, X_val, y_val = overfitting_setup(seed)
            net = MLP([2, 64, 64, 1], activation="relu", seed=seed)
            net.fit(X_train, y_train, epochs=600, lr=0.1, momentum=0.9, l2=float(l2))
            train.append(net.accuracy(X_train, y_train))
            val.append(net.accuracy(X_val, y_val))
        _MEAN_ACCURACIES[key] = (float(np.mean(train)), float(np.mean(val)))
    return _MEAN_ACCURACIES[key]


@answer_check
def check_l2_helps(l2):
    """Check that this L2 strength raises the big network's mean validation accuracy by at least 2 points."""
    if _unanswered(l2):
        return Feedback(False, NOT_ANSWERED)
    l2 = checks.number(l2, "l2", 0, example=0.01)  # a string or -1: ❌ saying what is expected
    (base_train, base), (train, got) = validation_accuracy_with_l2(0.0), validation_accuracy_with_l2(l2)
    ok = got >= base + 0.02
    if got < base or train < base_train - 0.2:
        advice = (f"Too strong: training accuracy falls to {train:.0%} (from {base_train:.0%}) and the "
                  "network underfits; try less.")
    else:
        advice = "Not enough yet: the network still learns the noise of its 40 points; try more (0.001 to 0.1)."
    return _verdict(ok, f"Mean validation accuracy {base:.1%} without L2, {got:.1%} with l2 = {l2:g}; "
                        f"training accuracy fell from {base_train:.0%} to {train:.0%}.",
                    f"Mean validation accuracy {got:.1%} with l2 = {l2:g}, against {base:.1%} without. {advice}")


@answer_check
def check_most_confused(true_digit, predicted_digit, confusion):
    """Check the largest off-diagonal entry of a confusion matrix was read correctly."""
    if _unanswered(true_digit, predicted_digit):
        return Feedback(False, NOT_ANSWERED)
    C = checks.as_matrix(confusion, "confusion").astype(int)
    if C.shape[0] != C.shape[1]:
        return _verdict(False, "", f"confusion must be a square matrix, one row and column per digit; got {C.shape}.")
    true_digit = checks.whole_number(true_digit, "true_digit", 0, len(C) - 1, example=4)
    predicted_digit = checks.whole_number(predicted_digit, "predicted_digit", 0, len(C) - 1, example=9)
    off = C - np.diag(np.diag(C))
    i, j = np.unravel_index(off.argmax(), off.shape)
    ok = off[true_digit, predicted_digit] == off.max()
    return _verdict(ok, f"{off.max()} images of a {i} were read as a {j}: the most common mistake.",
                    f"Row {true_digit}, column {predicted_digit} holds {off[true_digit, predicted_digit]}; "
                    "look for the largest number off the diagonal (rows: the true digit).")
