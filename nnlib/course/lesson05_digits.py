"""Lesson 05's questions on the digits: the mini-batch error at batch 512, training without momentum, zero weights.

Every check answers at once: the batch errors and the accuracies without momentum were measured once, here
(tests/test_build_it_05.py measures them again), and the zero-weights network takes milliseconds to follow.
"""

import functools

import numpy as np

from .. import checks, datasets
from ..network import MLP
from .feedback import NOT_ANSWERED, Feedback, _unanswered, _verdict, answer_check


@functools.cache
def _digit_split():
    """Return (X_train, X_val, y_train, y_val): the training and validation digits of the lesson's section 1."""
    X, y = datasets.digits()
    X_rest, _, y_rest, _ = datasets.train_test_split(X, y, test_fraction=0.25, seed=42)
    return datasets.train_test_split(X_rest, y_rest, test_fraction=0.2, seed=42)


# Section 1's measurement continued to batch 512, with the same draws: the mean relative error of 200 mini-batch
# gradients of the first layer's weights. Measured once, here; tests/test_build_it_05.py measures them again.
BATCH_ERRORS = {128: 0.4638, 512: 0.1740}


@answer_check
def check_batch_error(error_512):
    """Check the mean relative error of mini-batch gradients of 512 training digits, measured as in section 1."""
    if _unanswered(error_512):
        return Feedback(False, NOT_ANSWERED)
    error_512 = checks.number(error_512, "error_512", 0, example=0.3)
    errors = BATCH_ERRORS
    want, rule = errors[512], errors[128] / 2
    if abs(error_512 - want) < 0.02:
        return _verdict(True, f"About {want:.0%}, less than the {rule:.0%} the rule predicts (half of batch 128's "
                        f"{errors[128]:.0%}). The rule holds while a batch is a small share of the data. Drawn without "
                        "replacement, a batch of 512 is nearly half of the 1 078 digits, so it shares much of its "
                        "sum with the full gradient; at batch 1 078 the error would be 0.", "")
    if abs(error_512 / 100 - want) < 0.02:
        return _verdict(False, "", f"Write it as a fraction: {error_512 / 100:g}.")
    if abs(error_512 - rule) < 0.02:
        return _verdict(False, "", f"That is what the rule predicts, half of batch 128's {errors[128]:.0%}; measure "
                        "it instead: section 1's loop with batch 512.")
    return _verdict(False, "", "Measure it as section 1 does: the untrained MLP([64, 32, 10], activation=\"relu\", "
                    "output=\"softmax\", seed=0), the gradient of its first layer's weights on all training digits "
                    "(full) and on 200 batches of 512 drawn with rng.choice(len(X_train), 512, replace=False); the "
                    "mean of norm(g - full) / norm(full).")


# The validation accuracy of section 8's network trained on the training digits without momentum, at lr 0.05 and at
# lr 0.5 (40 epochs of batches of 32, from MLP([64, 128, 10], ..., seed=0)'s weights): 262 and 267 of the 269
# validation digits. Two trainings would make the check slow; tests/test_build_it_05.py trains them again.
WITHOUT_MOMENTUM = (262 / 269, 267 / 269)


@answer_check
def check_without_momentum(val_accuracy_lr_005, val_accuracy_lr_05):
    """Check the validation accuracies of section 8's network trained without momentum, at lr 0.05 and lr 0.5."""
    if _unanswered(val_accuracy_lr_005, val_accuracy_lr_05):
        return Feedback(False, NOT_ANSWERED)
    got = [checks.number(a, name, 0, 100, example=0.9)
           for a, name in ((val_accuracy_lr_005, "val_accuracy_lr_005"), (val_accuracy_lr_05, "val_accuracy_lr_05"))]
    want = WITHOUT_MOMENTUM
    if all(abs(g - w) < 0.005 for g, w in zip(got, want)):
        return _verdict(True, f"Without momentum, lr 0.05 gets {want[0]:.1%} of the validation digits after 40 "
                        f"epochs, and lr 0.5, the step scale lr / (1 - momentum) of lr 0.05 with momentum 0.9, gets "
                        f"{want[1]:.1%}. Compare both with your run with momentum: as in section 4, on these digits "
                        "what momentum buys is mostly its longer step.", "")
    if all(abs(g - w) < 0.005 for g, w in zip(got[::-1], want)):
        return _verdict(False, "", "You swapped them: lr 0.05 first, then lr 0.5.")
    if all(abs(g / 100 - w) < 0.005 for g, w in zip(got, want)):
        return _verdict(False, "", "Write them as fractions, between 0 and 1.")
    return _verdict(False, "", "Train MLP([64, 128, 10], activation=\"relu\", output=\"softmax\", seed=0) on X_train, "
                    "y_train with epochs=40, batch_size=32 and no momentum (the default), at lr 0.05, then a new one "
                    "at lr 0.5; score each with accuracy(X_val, y_val).")


@functools.cache
def _zero_weights():
    """Return (validation accuracy, the answer it gives) of section 8's digit network started from zero weights.

    With every weight 0, every hidden ReLU outputs 0 and its slope there is taken as 0, so only the output
    biases get a gradient: the batch's mean of softmax(b) - y. So this follows MLP.fit's steps on those
    biases alone (the same batches from the same rng, momentum 0.9, lr 0.05, 40 epochs): fit's numbers, quickly.
    """
    X_train, X_val, y_train, y_val = _digit_split()
    net, Y = MLP([64, 128, 10], activation="relu", output="softmax", seed=0), np.eye(10)[y_train]
    b, v = net.biases[-1], np.zeros(10)
    for _ in range(40):
        for i in np.array_split(net.rng.permutation(len(Y)), range(32, len(Y), 32)):
            P = np.exp(b - b.max())
            v = 0.9 * v - 0.05 * (P / P.sum() - Y[i].mean(axis=0))
            b = b + v
    answer = int(np.argmax(b))
    return float(np.mean(y_val == answer)), answer


@answer_check
def check_zero_weights(val_accuracy):
    """Check the validation accuracy of section 8's digit network started from zero weights.

    Trained as in section 8 (40 epochs of batches of 32, lr 0.05, momentum 0.9), on the training
    digits of section 1's split, scored on its validation digits.
    """
    if _unanswered(val_accuracy):
        return Feedback(False, NOT_ANSWERED)
    val_accuracy = checks.number(val_accuracy, "val_accuracy", 0, 100, example=0.5)
    want, answer = _zero_weights()
    ok = abs(val_accuracy - want) < 0.005
    return _verdict(ok, f"{want:.1%}: the network answers {answer} for every digit. With zero weights every "
                    "hidden ReLU neuron outputs 0, and its slope there is taken as 0, so no gradient reaches the "
                    "hidden weights; the output weights' gradient is the hidden outputs, 0, times dZ. Only the output "
                    "biases learn: one answer for every image, right for that digit's share of the validation digits.",
                    f"Write it as a fraction: {val_accuracy / 100:g}." if abs(val_accuracy / 100 - want) < 0.005 else
                    "Start every weight at 0 (net.weights = [np.zeros_like(W) for W in net.weights]), train on "
                    "X_train with section 8's settings, then net.accuracy(X_val, y_val).")


