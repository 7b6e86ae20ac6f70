"""The exercise checks of lesson 05 that build training: the SGD step, the mini-batch loop, the digit network.

The learner's ``train(X, Y, weights, biases, lr, epochs, batch_size, rng)`` is compared with ``MLP.fit``
number for number, from the same starting weights with the same rng (the network's, as it is after drawing
them). Where they part, the check names the first epoch, the layers, and the common mistake that gives
exactly the learner's numbers, if one does.
"""

import time

import numpy as np

from .. import checks
from ..checks import describe
from ..network import MLP
from .feedback import NOT_ANSWERED, Feedback, _all_finite, _call, _function, _shape, _verdict, answer_check

SAME = {"rtol": 1e-9, "atol": 1e-12}  # closer than this is rounding: the same numbers

# check_train's small problem: 40 samples in batches of 12 (the last of 4), 3 epochs.
SIZES, N, BATCH, EPOCHS, LR, SEED = (5, 6, 4, 3), 40, 12, 3, 0.5, 5
DIGIT_SIZES = (64, 128, 10)

# Mistakes in the loop, each made on purpose by _simulate, and what to say when the learner's numbers match one.
SHUFFLE = "Did you shuffle with the rng you were given, once per epoch? "
DIVIDE = "Did you divide by the batch size? Each step follows the mean gradient of its batch: divide by len(X_batch)"
LOOP_MISTAKES = {
    "not shuffled": "every epoch takes the samples in the same order. " + SHUFFLE + "order = rng.permutation(n)",
    "shuffled once": "you shuffled once, before the first epoch, so every epoch has the same batches. " + SHUFFLE
                     + "Draw order = rng.permutation(n) inside the loop over epochs",
    "divided by n": "your steps are too small: you divided by n, the size of the whole training set. " + DIVIDE,
    "not divided": "your steps are too large: you added up the batch's gradients. " + DIVIDE,
    "divided by batch_size": f"you divided by batch_size, but the last batch has only {N % BATCH} samples. " + DIVIDE,
    "last batch dropped": f"your loop skips the last, smaller batch ({N % BATCH} of the {N} samples here): "
                          "range(0, n, batch_size) gives every batch, the last one too, and it makes a step",
}
LOSS_MISTAKES = {
    "plain mean": "your losses are the plain mean of the batch losses; nnlib weights each batch's loss by its size "
                  "(the last batch is smaller): add up loss * len(X_batch), then divide by n",
    "sum": "your losses are sums, not means: divide each epoch's total by n",
    "last batch": "your loss of each epoch is the last batch's only: take the mean over all its batches, "
                  "each loss weighted by its batch's size",
    "after": "your losses are measured after each epoch, on all the data. nnlib's (and this check's) are the "
             "mean of each batch's loss before its step: they come free from the forward pass the step needs",
}


def _same(got, want):
    return len(got) == len(want) and all(np.allclose(g, w, **SAME) for g, w in zip(got, want))


def _gap(got, want):
    """Return the largest difference between two lists of arrays (inf where one holds NaN)."""
    return max(float(np.nan_to_num(np.abs(np.subtract(g, w)), nan=np.inf).max(initial=0)) for g, w in zip(got, want))


def _generator(state):
    """Return a new random generator in this state."""
    rng = np.random.default_rng()
    rng.bit_generator.state = state
    return rng


def _start(sizes, seed):
    """Return (net, weights, biases, state): an MLP, copies of its starting weights, and its rng's state now."""
    net = MLP(list(sizes), activation="relu", output="softmax", seed=seed)
    return net, [W.copy() for W in net.weights], [b.copy() for b in net.biases], net.rng.bit_generator.state


def _run(train, X, Y, start, lr, epochs, batch_size):
    """Call the learner's train on copies of everything from the start; return (result, its rng, failure or None)."""
    _, weights, biases, state = start
    rng = _generator(state)
    result, failed = _call(train, X.copy(), Y.copy(), [W.copy() for W in weights], [b.copy() for b in biases],
                           lr, epochs, batch_size, rng)
    return result, rng, failed


def _simulate(X, Y, weights, biases, lr, epochs, batch_size, rng, mistake=None):
    """MLP.fit's loop, written out (its very numbers); with a mistake, that one mistake made on purpose.

    Return (weights, biases, {loss kind: one loss per epoch}).
    """
    net = MLP([len(weights[0])] + [len(b) for b in biases], activation="relu", output="softmax")
    n, L = len(X), len(weights)
    losses = {kind: [] for kind in ("right", *LOSS_MISTAKES)}
    order = rng.permutation(n) if mistake == "shuffled once" else np.arange(n)
    for _ in range(epochs):
        if batch_size < n and mistake not in ("not shuffled", "shuffled once"):
            order = rng.permutation(n)
        batch_losses, sizes = [], []
        for start in range(0, n - batch_size + 1 if mistake == "last batch dropped" else n, batch_size):
            i = order[start:start + batch_size]
            net.weights, net.biases = weights, biases
            loss, dWs, dbs = net._loss_and_gradients(X[i], Y[i])
            scale = {"divided by n": len(i) / n, "not divided": len(i),
                     "divided by batch_size": len(i) / batch_size}.get(mistake)
            params = [p - lr * (g if scale is None else g * scale) for p, g in zip(weights + biases, dWs + dbs)]
            weights, biases = params[:L], params[L:]
            batch_losses, sizes = batch_losses + [loss], sizes + [len(i)]
        net.weights, net.biases = weights, biases
        total = float(np.dot(batch_losses, sizes))
        for kind, value in (("right", total / n), ("plain mean", np.mean(batch_losses)), ("sum", total),
                            ("last batch", batch_losses[-1]), ("after", net.loss(X, Y))):
            losses[kind].append(value)
    return weights, biases, losses


def _form(result, weights, biases, epochs):
    """Return what is wrong with the form of (weights, biases, losses), or None; the lists as float arrays."""
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        return f"Return three things: weights, biases, losses. Got {describe(result)}.", None
    parts = []
    for name, got, want in (("weights", result[0], weights), ("biases", result[1], biases)):
        if not isinstance(got, (list, tuple)) or len(got) != len(want):
            return (f"Your {name} should be a list of {len(want)} arrays, one per layer; got {describe(got)}. "
                    f"Did you split sgd_step's list back, {name} = params[:L] or params[L:]?"), None
        for l, (g, w) in enumerate(zip(got, want)):
            if _shape(g) != w.shape:
                return f"Your {name}[{l}] has shape {_shape(g)}; it should be {w.shape}, as at the start.", None
            if not _all_finite(g):
                return (f"Your {name}[{l}] holds NaN or infinite numbers: the steps blew up. Does sgd_step subtract "
                        "lr * g, and is dZ divided by the batch size?"), None
        parts.append([np.asarray(g, dtype=float) for g in got])
    losses = result[2]
    if not isinstance(losses, (list, tuple, np.ndarray)) or not _all_finite(losses) or np.ndim(losses) != 1:
        return f"losses should be a list of numbers, one per epoch; got {describe(losses)}.", None
    if len(losses) != epochs:
        return (f"losses should hold one number per epoch, {epochs} here; yours holds {len(losses)}"
                f"{' (one per batch?)' * (len(losses) > epochs)}. Append each epoch's mean loss, once."), None
    return None, (*parts, np.asarray(losses, dtype=float))


def _parting(got, want):
    """Return 'layers 1 and 3 (largest difference 0.02, in W3)': where two (weights, biases) differ."""
    L = len(want[0])
    found = [l + 1 for l in range(L) if not _same([got[0][l], got[1][l]], [want[0][l], want[1][l]])] or [0]
    gap, where = max((_gap([got[k][l]], [want[k][l]]), f"{'Wb'[k]}{l + 1}") for k in (0, 1) for l in range(L))
    names = f"layer {found[0]}" if len(found) == 1 else f"layers {', '.join(map(str, found[:-1]))} and {found[-1]}"
    return f"{names} (largest difference {gap:.2g}, in {where})"


def _diagnose(train, X, Y, start, snapshots, got):
    """Say where the learner's weights first part from nnlib's, and why, if a common mistake explains it."""
    net, weights, biases, _ = start
    epoch = EPOCHS
    for e in range(1, EPOCHS):  # the first epoch after which they differ
        result, _, failed = _run(train, X, Y, start, LR, e, BATCH)
        _, shorter = _form(result, weights, biases, e) if failed is None else (None, None)
        if shorter is None or not _same(shorter[0] + shorter[1], snapshots[e - 1][0] + snapshots[e - 1][1]):
            epoch = e
            break
    where = _parting(got, snapshots[-1])
    for mistake, why in LOOP_MISTAKES.items():
        W, b, _ = _simulate(X, Y, weights, biases, LR, EPOCHS, BATCH, _generator(start[3]), mistake)
        if _same(got[0] + got[1], W + b):
            return f"Your weights part from nnlib's in epoch {epoch}, in {where}: {why}."
    return (f"Your weights part from nnlib's in epoch {epoch}, in {where}. {SHUFFLE}(order = rng.permutation(n).) "
            "Did you divide by the batch size, len(X_batch)? Does every batch, the last smaller one too, make one "
            "step with sgd_step, and does check_sgd_step pass? Are your pieces from lessons 02-04 the working ones?")


@answer_check
def check_sgd_step(sgd_step):
    """Check a learner's sgd_step(params, grads, lr) -> new_params: a new list, each p - lr * g."""
    if (refused := _function(sgd_step, "sgd_step")) is not None:
        return refused
    rng = np.random.default_rng(3)
    shapes = [(3, 2), (2, 1), (2,), (1,)]  # W1, W2, then b1, b2: the weights, then the biases
    params, grads, lr = [rng.normal(size=s) for s in shapes], [rng.normal(size=s) for s in shapes], 0.1
    given = [p.copy() for p in params]
    got, failed = _call(sgd_step, list(given), [g.copy() for g in grads], lr)
    changed = any(not np.array_equal(a, p) for a, p in zip(given, params))
    if failed is not None:
        if changed and failed.message == NOT_ANSWERED:
            return _verdict(False, "", "Your sgd_step changed the arrays it was given and returned nothing. "
                            "Return a new list, [p - lr * g for p, g in zip(params, grads)], and leave params as "
                            "they were.")
        return failed
    if not isinstance(got, (list, tuple)) or len(got) != len(params):
        return _verdict(False, "", f"Return a list of {len(params)} new arrays, one for each of params (here W1, W2, "
                        f"b1, b2), in the same order; got {describe(got)}.")
    for i, (g, p) in enumerate(zip(got, params)):
        if _shape(g) != p.shape or not _all_finite(g):
            return _verdict(False, "", f"Your new params[{i}] is {describe(g)}; it should be an array of shape "
                            f"{p.shape}, like params[{i}].")
    got = [np.asarray(g, dtype=float) for g in got]
    if _same(got, [p - lr * g for p, g in zip(params, grads)]):
        return _verdict(not changed, "Every parameter moves against its gradient, p - lr * g, into a new array: "
                        "the old ones are left as they were.",
                        "Your numbers are right, but you changed the arrays you were given (p -= lr * g changes p "
                        "itself). Return new arrays, p - lr * g, and leave params as they were: the caller may "
                        "still need the old values (section 6 keeps every epoch's weights).")
    hints = [([p + lr * g for p, g in zip(params, grads)], "You stepped uphill: the gradient points to where the "
              "loss grows, so subtract it, p - lr * g."),
             ([p - g for p, g in zip(params, grads)], "Your step is the whole gradient: multiply it by the "
              "learning rate, p - lr * g."),
             (params, "Your new params are the old ones: each should move by - lr * g.")]
    for want, hint in hints:
        if _same(got, want):
            return _verdict(False, "", hint)
    wrong = [i for i, (g, p, d) in enumerate(zip(got, params, grads)) if not _same([g], [p - lr * d])]
    return _verdict(False, "", f"params[{wrong[0]}] should be {np.round(params[wrong[0]] - lr * grads[wrong[0]], 4)}, "
                    f"yours is {np.round(got[wrong[0]], 4)}. Each new parameter is p - lr * g, with the g at the "
                    "same position in grads.")


@answer_check
def check_train(train):
    """Check a learner's train(X, Y, weights, biases, lr, epochs, batch_size, rng) against MLP.fit.

    A network [5, 6, 4, 3] (ReLU, softmax) learns 40 samples for 3 epochs in batches of 12, the last of 4.
    """
    if (refused := _function(train, "train")) is not None:
        return refused
    rng = np.random.default_rng(11)
    X, Y = rng.normal(size=(N, SIZES[0])), np.eye(SIZES[-1])[rng.integers(0, SIZES[-1], size=N)]  # 3 classes
    start = _start(SIZES, SEED)
    net, weights, biases, _ = start
    snapshots = []  # fit makes new arrays at every step, so these are never changed afterwards
    history = net.fit(X, Y, epochs=EPOCHS, lr=LR, batch_size=BATCH,
                      on_epoch=lambda epoch, net: snapshots.append((net.weights, net.biases)))
    result, rng, failed = _run(train, X, Y, start, LR, EPOCHS, BATCH)
    if failed is not None:
        return failed
    problem, got = _form(result, weights, biases, EPOCHS)
    if problem:
        return _verdict(False, "", problem)
    if unchanged := [name for name, a, b in (("weights", got[0], weights), ("biases", got[1], biases)) if _same(a, b)]:
        return _verdict(False, "", f"Your train returned the starting {' and '.join(unchanged)}, unchanged. Keep what "
                        "sgd_step returns: params = sgd_step(weights + biases, dWs + dbs, lr), then weights, biases "
                        "= params[:L], params[L:].")
    if not _same(got[0] + got[1], net.weights + net.biases):
        return _verdict(False, "", _diagnose(train, X, Y, start, snapshots, got))
    if rng.bit_generator.state != net.rng.bit_generator.state:
        return _verdict(False, "", "Your weights match nnlib's, but the rng you were given has not moved on as "
                        f"it should ({EPOCHS} permutations, one per epoch). Shuffle with rng itself, not a copy "
                        "or a new generator, so that training can go on where it stopped.")
    if not _same([got[2]], [history["loss"]]):
        variants = _simulate(X, Y, weights, biases, LR, EPOCHS, BATCH, _generator(start[3]))[2]
        why = next((why for kind, why in LOSS_MISTAKES.items() if _same([got[2]], [variants[kind]])),
                   "each epoch's loss is the mean of its batches' losses (each before its step), weighted by "
                   "the batches' sizes")
        return _verdict(False, "", f"Your weights match nnlib's, but your losses do not: yours "
                        f"{np.round(got[2], 4)}, nnlib's {np.round(history['loss'], 4)}. Hint: {why}.")
    gap = max(_gap(got[0] + got[1], net.weights + net.biases), _gap([got[2]], [history["loss"]]))
    return _verdict(True, f"Your train matches MLP.fit number for number ({EPOCHS} epochs of batches of {BATCH} "
                    f"from {N} samples, the last batch of {N % BATCH}; largest difference {gap:.0g}), and moves "
                    "the rng on as fit does.", "")


@answer_check
def check_digit_network(train, X, y, X_test, y_test, lr=0.1, epochs=20, batch_size=32):
    """Train a network [64, 128, 10] on the digits with the learner's train, and with MLP.fit; compare the two.

    Both start from the weights MLP([64, 128, 10], activation="relu", output="softmax", seed=0) draws,
    and shuffle with that network's rng; train gets the labels y one-hot.
    """
    if (refused := _function(train, "train")) is not None:
        return refused
    X, X_test = checks.as_matrix(X, "X", 64), checks.as_matrix(X_test, "X_test", 64)
    y = checks.class_labels(y, len(X), 10, "y", "X")
    y_test = checks.class_labels(y_test, len(X_test), 10, "y_test", "X_test")
    lr = checks.positive_number(lr, "lr", example=0.1)
    epochs = checks.whole_number(epochs, "epochs", 1, 200, example=20)
    batch_size = checks.whole_number(batch_size, "batch_size", 1, len(X), example=32)
    start = _start(DIGIT_SIZES, 0)
    net, weights, biases, _ = start
    seconds = time.perf_counter()
    result, _, failed = _run(train, X, np.eye(10)[y], start, lr, epochs, batch_size)
    seconds = time.perf_counter() - seconds
    if failed is not None and failed.message != NOT_ANSWERED:
        return failed
    history = net.fit(X, y, epochs=epochs, lr=lr, batch_size=batch_size)
    theirs = net.accuracy(X_test, y_test)
    if failed is not None:
        return Feedback(False, "⏳ Write train in exercise 3 first, then run this cell again. (nnlib's MLP.fit, "
                        f"from the same start with these settings, gets {theirs:.1%} of the test digits right: "
                        "your train should give exactly that.)")
    problem, got = _form(result, weights, biases, epochs)
    if problem:
        return _verdict(False, "", problem)
    mine = MLP(list(DIGIT_SIZES), activation="relu", output="softmax")
    mine.weights, mine.biases = got[0], got[1]
    accuracy = mine.accuracy(X_test, y_test)
    parted = [e + 1 for e, (a, b) in enumerate(zip(got[2], history["loss"])) if not np.isclose(a, b, **SAME)]
    if parted or not _same(got[0] + got[1], net.weights + net.biases):
        return _verdict(False, "", f"Your network gets {accuracy:.1%} of the test digits right, nnlib's "
                        f"{theirs:.1%}, but they are not the same network: " + (
                            f"your losses part from nnlib's in epoch {parted[0]}" if parted else "your losses match")
                        + (f", and your weights differ in {_parting(got, (net.weights, net.biases))}" if not _same(
                            got[0] + got[1], net.weights + net.biases) else ", but not your weights")
                        + ". check_train(train), in exercise 3, says why.")
    gap = max(_gap(got[0] + got[1], net.weights + net.biases), _gap([got[2]], [history["loss"]]))
    report = (f"Your own network {list(DIGIT_SIZES)}, trained by your train in {seconds:.1f} s, gets {accuracy:.1%} "
              f"of the {len(X_test)} test digits right. From the same starting weights, with the same shuffling, "
              f"it matches nnlib's MLP.fit number for number: the largest difference in the weights and the "
              f"{epochs} losses is {gap:.0g}.")
    return _verdict(accuracy >= 0.95, report, report + f" It should reach 95 %: with lr={lr:g} for {epochs} "
                    "epochs it has not learned enough (lr 0.1 for 20 epochs in batches of 32 does).")
