"""The exercise checks of lesson 05: the full MLP.

The checks of the training loop the learner builds (sgd_step, train, the digit network) are in
lesson05_build.py; momentum_step's check is here, with the momentum section's other exercise.
"""

import warnings

import numpy as np

from .. import checks, datasets
from ..checks import describe
from ..features import FEATURES, feature_map
from ..network import MLP
from ..optim import SGD
from ..problems import make_data, neuron_counts, split
from .feedback import NOT_ANSWERED, Feedback, _all_finite, _call, _function, _shape, _unanswered, _verdict, answer_check
from .lesson05_build import _gap, _same


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


@answer_check
def check_plain_lr(plain_lr):
    """Check the learning rate at which plain SGD takes the steps of momentum 0.9 at lr 0.02, once v has settled."""
    if _unanswered(plain_lr):
        return Feedback(False, NOT_ANSWERED)
    plain_lr = checks.positive_number(plain_lr, "plain_lr", example=0.1)
    ok = np.isclose(plain_lr, 0.2)
    grows = ("While the gradient stays the same the velocity keeps growing; it settles where it no longer "
             "changes, v = momentum * v - lr * g. Solve that for v.")
    hint = {0.02: "Momentum adds up the steps. " + grows,
            0.002: "Solve v = momentum * v - lr * g for v: v (1 - momentum) = - lr * g."}.get(round(plain_lr, 6), grows)
    return _verdict(ok, "v (1 - momentum) = - lr g, so v = - lr / (1 - momentum) g = - 0.2 g: the steps of plain "
                        "SGD at lr 0.2, ten times lr.", hint)


# The common momentum mistakes, as (p, v, g, lr, momentum) -> (new p, new v), and what to say.
MOMENTUM_MISTAKES = [
    (lambda p, v, g, lr, mu: (p - (mu * v + lr * g), mu * v + lr * g),
     "Your steps are right, but your velocities have the opposite sign: you keep v = momentum * v + lr * g and "
     "subtract it. In this course (and in nnlib.SGD) the velocity is the step itself: v <- momentum * v - lr * g, "
     "then p <- p + v. The steps are the same, but return our v: it is the one passed back in"),
    (lambda p, v, g, lr, mu: (p - lr * (mu * v + g), mu * v + g),
     "Your steps are right, but your velocity is a running sum of gradients without lr (v = momentum * v + g, then "
     "p - lr * v, as PyTorch writes it). Here the velocity is the step itself: v <- momentum * v - lr * g, then "
     "p <- p + v"),
    (lambda p, v, g, lr, mu: (p + v, mu * v - lr * g),
     "You moved p by the old velocity, then updated v (so at the first step, with v = 0, p did not move): update "
     "v first, then p <- p + v with the new v"),
    (lambda p, v, g, lr, mu: (p - lr * g, -lr * g),
     "Your velocity forgets the previous one, so this is plain SGD: v <- momentum * v - lr * g keeps momentum "
     "times the old velocity"),
    (lambda p, v, g, lr, mu: (p - lr * (mu * v + (1 - mu) * g), mu * v + (1 - mu) * g),
     "You averaged the gradients, v = momentum * v + (1 - momentum) * g, as Adam does. nnlib.SGD adds them up: "
     "v <- momentum * v - lr * g, then p <- p + v"),
]


@answer_check
def check_momentum_step(momentum_step):
    """Check momentum_step(params, grads, velocities, lr, momentum) -> (new_params, new_velocities), 3 steps."""
    if (refused := _function(momentum_step, "momentum_step")) is not None:
        return refused
    rng, shapes, lr, mu = np.random.default_rng(4), [(3, 2), (2,)], 0.1, 0.9
    params = [rng.normal(size=s) for s in shapes]
    grads = [[rng.normal(size=s) for s in shapes] for _ in range(3)]
    optimizer, want, p = SGD(lr, mu), [], params
    for g in grads:
        p = optimizer.step(p, g)
        want.append((p, optimizer.velocities))
    p, v, trail, changed = params, [np.zeros(s) for s in shapes], [], False
    for k, g in enumerate(grads):
        given = [a.copy() for a in p + v]
        result, failed = _call(momentum_step, given[:2], [d.copy() for d in g], given[2:], lr, mu)
        if failed is not None:
            return failed
        if not isinstance(result, (list, tuple)) or len(result) != 2:
            return _verdict(False, "", f"Return a pair: new_params, new_velocities. Got {describe(result)}.")
        for name, got in zip(("new_params", "new_velocities"), result):
            if not isinstance(got, (list, tuple)) or [_shape(a) for a in got] != shapes or not _all_finite(got[0]) \
                    or not _all_finite(got[-1]):
                return _verdict(False, "", f"Your {name} should be a list of arrays of shapes {shapes}, like params; "
                                f"got {describe(got)}.")
        changed |= any(not np.array_equal(a, b) for a, b in zip(given, p + v))
        p, v = ([np.asarray(a, dtype=float) for a in part] for part in result)
        trail.append((p, v))
        if not (_same(p, want[k][0]) and _same(v, want[k][1])):
            break
    else:
        return _verdict(not changed, f"Three steps match nnlib.SGD(lr={lr}, momentum={mu}): v <- momentum * v - "
                        "lr * g, then p <- p + v.", "Your numbers are right, but you changed the arrays you were "
                        "given in place: return new arrays, and leave params and velocities as they were.")
    if _same(p, want[k][1]) and _same(v, want[k][0]):
        return _verdict(False, "", "You returned the velocities first: return new_params, new_velocities.")
    for step, why in MOMENTUM_MISTAKES:
        q, u, ok = params, [np.zeros(s) for s in shapes], True
        for (a, b), g in zip(trail, grads):
            q, u = zip(*(step(*args, lr, mu) for args in zip(q, u, g)))
            ok = ok and _same(a, q) and _same(b, u)
        if ok:
            return _verdict(False, "", why + ".")
    wrong = ("params", p, want[k][0]) if not _same(p, want[k][0]) else ("velocities", v, want[k][1])
    return _verdict(False, "", f"At step {k + 1} your new {wrong[0]} differ from nnlib.SGD's by up to "
                    f"{_gap(wrong[1], wrong[2]):.2g}. Hint: first v <- momentum * v - lr * g for each parameter, "
                    "then p <- p + v; return both lists.")


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


XOR_EPOCHS, XOR_NEURONS = 50, 4  # the playground question: 95 % of xor's test points, from x1 and x2 alone


@answer_check
def check_xor_playground(state):
    """Check a playground setting: xor from x1 and x2 only, at most 4 hidden neurons, 95 % of the test points.

    The network is trained from new weights for 50 epochs, as Restart and then 50 epochs of play would.
    """
    if _unanswered(state):
        return Feedback(False, NOT_ANSWERED)
    if not isinstance(state, dict):
        return _verdict(False, "", f"Give playground.state, the playground's whole setting; got {describe(state)}.")
    s = dict(state)
    if "neurons" in s:  # a preset's shorthand: one number for every layer, or a list
        s.update(zip([f"neurons_{i}" for i in range(1, 7)], neuron_counts(s.pop("neurons"), "neurons")))
    needed = ["dataset", "noise", "train_percent", "data_seed", *FEATURES, "layers", "activation", "lr",
              "regularization", "reg_rate", "batch_size"]
    if missing := [name for name in needed if name not in s]:
        return _verdict(False, "", f"Give playground.state, the playground's whole setting: this one has no {missing}.")
    features = [name for name in FEATURES if s[name]]
    if s["dataset"] != "xor" or s.get("problem", "classification") != "classification":
        return _verdict(False, "", f"This question is about xor: choose the dataset xor (yours is {s['dataset']!r}).")
    if features != ["x1", "x2"]:
        return _verdict(False, "", f"Use the features x1 and x2 only (yours: {', '.join(features) or 'none'}). With "
                        "x1·x2 no hidden layer is needed, as the preset 'xor, no layer: x1·x2' shows; the question "
                        "is what hidden neurons make of the raw coordinates.")
    noise = checks.number(s["noise"], "noise", 0, 0.5)
    percent = checks.whole_number(s["train_percent"], "train_percent", 10, 90)
    if noise < 0.1 or percent > 50:
        return _verdict(False, "", f"Keep the data as hard as at the start, noise 0.1 or more and train % 50 or less; "
                        f"yours has noise {noise:g} and train % {percent:g}.")
    layers = checks.whole_number(s["layers"], "layers", 0, 6)
    hidden = [checks.whole_number(s[f"neurons_{i}"], f"neurons_{i}", 1, 8) for i in range(1, layers + 1)]
    if sum(hidden) > XOR_NEURONS:
        return _verdict(False, "", f"Your network has {sum(hidden)} hidden neurons (layers of {hidden}); find one "
                        f"with {XOR_NEURONS} or fewer in all.")
    activation = checks.choice(s["activation"], ("tanh", "sigmoid", "relu", "linear"), "activation")
    kind = checks.choice(s["regularization"], ("none", "L1", "L2"), "regularization").lower()
    rate = {} if kind == "none" else {kind: checks.number(s["reg_rate"], "reg_rate", 0)}
    X, y = make_data("xor", 2, noise, 200, checks.whole_number(s["data_seed"], "data_seed", 0, 999))
    X_train, X_test, y_train, y_test = split(X, y, percent, s["data_seed"], False)
    net = MLP([2, *hidden, 1], activation=activation, output="sigmoid", seed=s["data_seed"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a blow-up is reported below, in words
        history = net.fit(feature_map(X_train, features), y_train, epochs=XOR_EPOCHS, lr=s["lr"], **rate,
                          batch_size=min(checks.whole_number(s["batch_size"], "batch_size", 1), len(X_train)))
    accuracy = net.accuracy(feature_map(X_test, features), y_test)
    network = f"{' and '.join(map(str, hidden)) or 'no'} hidden {activation} neuron{'s' * (sum(hidden) != 1)}"
    return _verdict(accuracy >= 0.95 and not history["stopped"],
                    f"After {XOR_EPOCHS} epochs from new weights, {network} get {accuracy:.0%} of the test points "
                    "right." + (" Can 3 neurons do it?" if sum(hidden) == XOR_NEURONS else ""),
                    f"After {XOR_EPOCHS} epochs from new weights ({network}), {accuracy:.0%} of the test points are "
                    "right; 95 % is the aim. " + ("Training blew up: choose a smaller lr." if history["stopped"] else
                    "Try another activation, lr or shape." if hidden else "With no hidden layer the network draws "
                    "one line, and xor needs two: add a hidden layer."))


_ZERO_WEIGHTS = []  # (validation accuracy, the answers it gives): computed once


@answer_check
def check_zero_weights(val_accuracy):
    """Check the validation accuracy of section 8's digit network started from zero weights.

    Trained as in section 8 (40 epochs of batches of 32, lr 0.05, momentum 0.9), on the training
    digits of section 1's split, scored on its validation digits.
    """
    if _unanswered(val_accuracy):
        return Feedback(False, NOT_ANSWERED)
    val_accuracy = checks.number(val_accuracy, "val_accuracy", 0, 100, example=0.5)
    if not _ZERO_WEIGHTS:  # trained once, then kept
        X, y = datasets.digits()
        X_rest, _, y_rest, _ = datasets.train_test_split(X, y, test_fraction=0.25, seed=42)
        X_train, X_val, y_train, y_val = datasets.train_test_split(X_rest, y_rest, test_fraction=0.2, seed=42)
        net = MLP([64, 128, 10], activation="relu", output="softmax", seed=0)
        net.weights = [np.zeros_like(W) for W in net.weights]
        net.fit(X_train, y_train, epochs=40, lr=0.05, batch_size=32, momentum=0.9)
        _ZERO_WEIGHTS.extend([net.accuracy(X_val, y_val), np.unique(net.predict(X_val))])
    want, answers = _ZERO_WEIGHTS
    ok = abs(val_accuracy - want) < 0.005
    return _verdict(ok, f"{want:.1%}: the network answers {answers[0]} for every digit. With zero weights every "
                    "hidden ReLU neuron outputs 0, and its slope there is taken as 0, so no gradient reaches the "
                    "hidden weights; the output weights' gradient is the hidden outputs, 0, times dZ. Only the output "
                    "biases learn: one answer for every image, right for that digit's share of the validation digits.",
                    f"Write it as a fraction: {val_accuracy / 100:g}." if abs(val_accuracy / 100 - want) < 0.005 else
                    "Start every weight at 0 (net.weights = [np.zeros_like(W) for W in net.weights]), train on "
                    "X_train with section 8's settings, then net.accuracy(X_val, y_val).")


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
