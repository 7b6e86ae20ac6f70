"""The exercise checks of lesson 05 that build training: the SGD step, momentum, the mini-batch loop, the digits.

The learner's ``train`` is compared with ``MLP.fit`` number for number; the loop written out, and what
says where and why the two part, is in lesson05_train.py.
"""

import time

import numpy as np

from .. import checks
from ..checks import describe
from ..network import MLP
from ..optim import SGD
from .feedback import NOT_ANSWERED, Feedback, _all_finite, _call, _function, _shape, _verdict, answer_check
from .lesson05_train import (
    BATCH,
    DIGIT_SIZES,
    EPOCHS,
    LOSS_MISTAKES,
    LR,
    SEED,
    SIZES,
    N,
    diagnose,
    form,
    gap,
    generator,
    parting,
    reference,
    run,
    same,
    simulate,
    start_of,
    unwritten,
)


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
    if same(got, [p - lr * g for p, g in zip(params, grads)]):
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
        if same(got, want):
            return _verdict(False, "", hint)
    wrong = [i for i, (g, p, d) in enumerate(zip(got, params, grads)) if not same([g], [p - lr * d])]
    return _verdict(False, "", f"params[{wrong[0]}] should be {np.round(params[wrong[0]] - lr * grads[wrong[0]], 4)}, "
                    f"yours is {np.round(got[wrong[0]], 4)}. Each new parameter is p - lr * g, with the g at the "
                    "same position in grads.")


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
        if not (same(p, want[k][0]) and same(v, want[k][1])):
            break
    else:
        return _verdict(not changed, f"Three steps match nnlib.SGD(lr={lr}, momentum={mu}): v <- momentum * v - "
                        "lr * g, then p <- p + v.", "Your numbers are right, but you changed the arrays you were "
                        "given in place: return new arrays, and leave params and velocities as they were.")
    if same(p, want[k][1]) and same(v, want[k][0]):
        return _verdict(False, "", "You returned the velocities first: return new_params, new_velocities.")
    for step, why in MOMENTUM_MISTAKES:
        q, u, ok = params, [np.zeros(s) for s in shapes], True
        for (a, b), g in zip(trail, grads):
            q, u = zip(*(step(*args, lr, mu) for args in zip(q, u, g)))
            ok = ok and same(a, q) and same(b, u)
        if ok:
            return _verdict(False, "", why + ".")
    wrong = ("params", p, want[k][0]) if not same(p, want[k][0]) else ("velocities", v, want[k][1])
    return _verdict(False, "", f"At step {k + 1} your new {wrong[0]} differ from nnlib.SGD's by up to "
                    f"{gap(wrong[1], wrong[2]):.2g}. Hint: first v <- momentum * v - lr * g for each parameter, "
                    "then p <- p + v; return both lists.")


@answer_check
def check_train(train, momentum=0.0):
    """Check a learner's train(X, Y, weights, biases, lr, epochs, batch_size, rng) against MLP.fit.

    A network [5, 6, 4, 3] (ReLU, softmax) learns 40 samples for 3 epochs in batches of 12, the last of 4;
    then for 2 epochs in one batch of all 40, where fit draws no permutation. With momentum (exercise 13),
    train is called with momentum= and compared with MLP.fit(..., momentum=momentum).
    """
    if (refused := _function(train, "train")) is not None:
        return refused
    momentum = checks.number(momentum, "momentum", 0, 1, example=0.9, open_high=True)
    rng = np.random.default_rng(11)
    X, Y = rng.normal(size=(N, SIZES[0])), np.eye(SIZES[-1])[rng.integers(0, SIZES[-1], size=N)]  # 3 classes
    start = start_of(SIZES, SEED)
    net, weights, biases, _ = start
    snapshots = []  # fit makes new arrays at every step, so these are never changed afterwards
    history = net.fit(X, Y, epochs=EPOCHS, lr=LR, batch_size=BATCH, momentum=momentum,
                      on_epoch=lambda epoch, net: snapshots.append((net.weights, net.biases)))
    result, rng, failed = run(train, X, Y, start, LR, EPOCHS, BATCH, momentum)
    if failed is not None:
        return failed if (blank := unwritten(train)) is None else blank
    problem, got = form(result, weights, biases, EPOCHS)
    if problem:
        return _verdict(False, "", problem)
    if unchanged := [name for name, a, b in (("weights", got[0], weights), ("biases", got[1], biases)) if same(a, b)]:
        return _verdict(False, "", f"Your train returned the starting {' and '.join(unchanged)}, unchanged. Keep what "
                        "sgd_step returns: params = sgd_step(weights + biases, dWs + dbs, lr), then weights, biases "
                        "= params[:L], params[L:].")
    if not same(got[0] + got[1], net.weights + net.biases):
        return _verdict(False, "", diagnose(train, X, Y, start, snapshots, got, momentum))
    if rng.bit_generator.state != net.rng.bit_generator.state:
        return _verdict(False, "", "Your weights match nnlib's, but the rng you were given has not moved on as "
                        f"it should ({EPOCHS} permutations, one per epoch). Shuffle with rng itself, not a copy "
                        "or a new generator, so that training can go on where it stopped.")
    if not same([got[2]], [history["loss"]]):
        variants = simulate(X, Y, weights, biases, LR, EPOCHS, BATCH, generator(start[3]), momentum)[2]
        why = next((why for kind, why in LOSS_MISTAKES.items() if same([got[2]], [variants[kind]])),
                   "each epoch's loss is the mean of its batches' losses (each before its step), weighted by "
                   "the batches' sizes")
        return _verdict(False, "", f"Your weights match nnlib's, but your losses do not: yours "
                        f"{np.round(got[2], 4)}, nnlib's {np.round(history['loss'], 4)}. Hint: {why}.")
    largest = max(gap(got[0] + got[1], net.weights + net.biases), gap([got[2]], [history["loss"]]))
    if (full_batch := _full_batch(train, X, Y, momentum)) is not None:
        return _verdict(False, "", full_batch)
    settings = f", momentum {momentum:g}" if momentum else ""
    return _verdict(True, f"Your train matches MLP.fit{f'(..., momentum={momentum:g})' if momentum else ''} number "
                    f"for number ({EPOCHS} epochs of batches of {BATCH} from {N} samples, the last batch of "
                    f"{N % BATCH}{settings}; largest difference {largest:.0g}), moves the rng on as fit does, and "
                    f"with batch_size = n, one batch of all {N}, matches fit too.", "")


def _full_batch(train, X, Y, momentum, epochs=2):
    """Return what goes wrong when batch_size is n (fit then draws no permutation), or None if nothing does."""
    start = start_of(SIZES, SEED)
    net, weights, biases, _ = start
    history = net.fit(X, Y, epochs=epochs, lr=LR, batch_size=N, momentum=momentum)
    result, rng, failed = run(train, X, Y, start, LR, epochs, N, momentum)
    problem, got = (failed.message.removeprefix("❌ Not yet. "), None) if failed else form(result, weights, biases,
                                                                                           epochs)
    if problem or not same(got[0] + got[1], net.weights + net.biases) or not same([got[2]], [history["loss"]]):
        return (f"With batch_size = n ({N} here: one batch holding every sample), your train and fit part: "
                + (problem or f"your weights differ in {parting(got, (net.weights, net.biases))}"
                   if problem or not same(got[0] + got[1], net.weights + net.biases) else "your losses differ."))
    if rng.bit_generator.state != net.rng.bit_generator.state:
        return ("Your numbers match fit's, with batch_size = n too, but there your rng moved and fit's did not. When "
                "batch_size is n, draw no permutation: fit does not, and your rng must move as fit's does. Draw "
                "order = rng.permutation(n) only when batch_size < n (else order = np.arange(n)).")
    return None


@answer_check
def check_digit_network(train, X, y, X_test, y_test, lr=0.1, epochs=20, batch_size=32, momentum=0.0):
    """Train a network [64, 128, 10] on the digits with the learner's train, and compare it with MLP.fit's.

    Both start from the weights MLP([64, 128, 10], activation="relu", output="softmax", seed=0) draws,
    and shuffle with that network's rng; train gets the labels y one-hot (and momentum=, when it is not 0).
    MLP.fit's network is trained once per session for each data and settings, then kept.
    """
    if (refused := _function(train, "train")) is not None:
        return refused
    X, X_test = checks.as_matrix(X, "X", 64), checks.as_matrix(X_test, "X_test", 64)
    y = checks.class_labels(y, len(X), 10, "y", "X")
    y_test = checks.class_labels(y_test, len(X_test), 10, "y_test", "X_test")
    lr = checks.positive_number(lr, "lr", example=0.1)
    epochs = checks.whole_number(epochs, "epochs", 1, 200, example=20)
    batch_size = checks.whole_number(batch_size, "batch_size", 1, len(X), example=32)
    momentum = checks.number(momentum, "momentum", 0, 1, example=0.9, open_high=True)
    net, start, history = reference(X, y, lr, epochs, batch_size, momentum)
    _, weights, biases, _ = start
    seconds = time.perf_counter()
    result, _, failed = run(train, X, np.eye(10)[y], start, lr, epochs, batch_size, momentum)
    seconds = time.perf_counter() - seconds
    theirs = net.accuracy(X_test, y_test)
    if failed is not None and failed.message != NOT_ANSWERED:
        return failed if (blank := unwritten(train)) is None else blank
    if failed is not None:
        return Feedback(False, "⏳ Write train in exercise 3 first, then run this cell again. (nnlib's MLP.fit, "
                        f"from the same start with these settings, gets {theirs:.1%} of the test digits right: "
                        "your train should give exactly that.)")
    problem, got = form(result, weights, biases, epochs)
    if problem:
        return _verdict(False, "", problem)
    mine = MLP(list(DIGIT_SIZES), activation="relu", output="softmax")
    mine.weights, mine.biases = got[0], got[1]
    accuracy = mine.accuracy(X_test, y_test)
    parted = [e + 1 for e, (a, b) in enumerate(zip(got[2], history["loss"])) if not same([a], [b])]
    if parted or not same(got[0] + got[1], net.weights + net.biases):
        return _verdict(False, "", f"Your network gets {accuracy:.1%} of the test digits right, nnlib's "
                        f"{theirs:.1%}, but they are not the same network: " + (
                            f"your losses part from nnlib's in epoch {parted[0]}" if parted else "your losses match")
                        + (f", and your weights differ in {parting(got, (net.weights, net.biases))}" if not same(
                            got[0] + got[1], net.weights + net.biases) else ", but not your weights")
                        + f". check_train(train{f', {momentum:g}' if momentum else ''}) says why.")
    largest = max(gap(got[0] + got[1], net.weights + net.biases), gap([got[2]], [history["loss"]]))
    report = (f"Your own network {list(DIGIT_SIZES)}, trained by your train in {seconds:.1f} s, gets {accuracy:.1%} "
              f"of the {len(X_test)} test digits right. From the same starting weights, with the same shuffling, "
              f"it matches nnlib's MLP.fit number for number: the largest difference in the weights and the "
              f"{epochs} losses is {largest:.0g}.")
    return _verdict(accuracy >= 0.95, report, report + f" It should reach 95 %: with lr={lr:g} for {epochs} "
                    "epochs it has not learned enough (lr 0.1 for 20 epochs in batches of 32 does).")
