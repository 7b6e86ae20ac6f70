"""The exercise checks of lesson 05: the full MLP.

The checks of the training loop the learner builds (sgd_step, momentum_step, train, the digit network)
are in lesson05_build.py, the further questions on the digits in lesson05_digits.py; here are the others,
with the networks of section 5 they ask about.
"""

import warnings

import numpy as np

from .. import checks, datasets
from ..checks import describe
from ..features import FEATURES, feature_map
from ..network import MLP
from ..problems import make_data, neuron_counts, split
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


_L2_NETWORKS = {}  # (l2, training_sets) -> the trained networks: trained once, then kept
L2_BAND = (0.03, 0.1)  # exercise 6 asks about the gap of section 5's table between these two values


def l2_networks(l2, training_sets=10):
    """Return section 5's big network trained with this L2 strength on each of its ten training sets.

    For seed 0 .. training_sets - 1: MLP([2, 64, 64, 1], activation="relu", seed=seed), trained full-batch
    on the 40 points of overfitting_setup(seed) for 600 epochs, lr 0.1, momentum 0.9, l2=l2. The networks
    are kept: asking again for the same l2 costs nothing. Anything that is not an l2 (a blank ..., a
    string) gives None, and check_l2_helps says what is wrong with it.
    """
    try:
        key = (checks.number(l2, "l2", 0), training_sets)
    except (TypeError, ValueError):
        return None
    if key not in _L2_NETWORKS:
        networks = []
        for seed in range(training_sets):
            X_train, y_train, _, _ = overfitting_setup(seed)
            net = MLP([2, 64, 64, 1], activation="relu", seed=seed)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a far too strong l2 blows up: the check then says so, in words
                net.fit(X_train, y_train, epochs=600, lr=0.1, momentum=0.9, l2=key[0])
            networks.append(net)
        _L2_NETWORKS[key] = networks
    return _L2_NETWORKS[key]


def validation_accuracy_with_l2(l2, training_sets=10):
    """Return the mean (training accuracy, validation accuracy) of the networks l2_networks(l2) trains.

    Averaging over ten training sets makes a difference of a point or two real, not luck.
    """
    train, val = [], []
    for seed, net in enumerate(l2_networks(l2, training_sets)):
        X_train, y_train, X_val, y_val = overfitting_setup(seed)
        train.append(net.accuracy(X_train, y_train))
        val.append(net.accuracy(X_val, y_val))
    return float(np.mean(train)), float(np.mean(val))


@answer_check
def check_l2_helps(l2, networks=None):
    """Check an L2 strength between 0.03 and 0.1 that raises the mean validation accuracy by at least 2 points.

    networks are the ten networks l2_networks(l2) trained (in the learner's cell); the baseline, l2 = 0, is
    the table's, trained once.
    """
    if _unanswered(l2):
        return Feedback(False, NOT_ANSWERED)
    l2 = checks.number(l2, "l2", 0, example=0.05)  # a string or -1: ❌ saying what is expected
    low, high = L2_BAND
    if not low < l2 < high:
        where = ("The table shows what happens from 0.1 on: at 0.1 two of the ten networks collapse to one class, "
                 "at 0.3 all of them." if l2 >= high else "Values up to 0.03 are in the table already (0.01 and "
                 "0.03 gain about 4 points).")
        return _verdict(False, "", f"{where} The question is about the gap between {low:g} and {high:g}: choose "
                        f"l2 above {low:g} and below {high:g}.")
    if _unanswered(networks):
        return Feedback(False, "⏳ Train the ten networks with your l2 first, ten = l2_networks(l2), and give them "
                               "to the check: check_l2_helps(l2, ten).")
    if networks is not _L2_NETWORKS.get((l2, 10)):
        other = [f"{key[0]:g}" for key, trained in _L2_NETWORKS.items() if trained is networks]
        return _verdict(False, "", f"These are the networks of l2 = {other[0]}, not of {l2:g}: train them with "
                        "your l2, ten = l2_networks(l2)." if other else "Give the ten networks l2_networks(l2) "
                        f"returns for your l2; got {describe(networks)}.")
    (base_train, base), (train, got) = validation_accuracy_with_l2(0.0), validation_accuracy_with_l2(l2)
    X_val = overfitting_setup()[2]
    collapsed = sum(len(np.unique(net.predict(X_val))) == 1 for net in networks)
    report = (f"Mean validation accuracy {got:.1%} with l2 = {l2:g}, against {base:.1%} without; training accuracy "
              f"{train:.1%}, against {base_train:.1%} without.")
    advice = (f" {collapsed} of the ten networks answer one class everywhere: the penalty has won over the data. "
              "Try less." if collapsed else " Try another value between 0.03 and 0.1.")
    return _verdict(got >= base + 0.02, f"{report} A gain of {100 * (got - base):.1f} points: L2 still helps here.",
                    report + advice)


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
