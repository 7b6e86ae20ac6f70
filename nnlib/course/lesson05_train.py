"""MLP.fit's training loop written out, to compare the learner's train with it (lesson 05's build-it checks).

The learner's ``train(X, Y, weights, biases, lr, epochs, batch_size, rng)`` (with ``momentum=`` in
exercise 13) is compared with ``MLP.fit`` number for number, from the same starting weights with the
same rng (the network's, as it is after drawing them). Where they part, ``diagnose`` names the first
epoch, the layers, and the common mistake that gives exactly the learner's numbers, if one does.
"""

import numpy as np

from ..checks import describe
from ..network import MLP
from .feedback import NOT_ANSWERED, Feedback, _all_finite, _call, _shape

SAME = {"rtol": 1e-9, "atol": 1e-12}  # closer than this is rounding: the same numbers

# check_train's small problem: 40 samples in batches of 12 (the last of 4), 3 epochs.
SIZES, N, BATCH, EPOCHS, LR, SEED = (5, 6, 4, 3), 40, 12, 3, 0.5, 5
DIGIT_SIZES = (64, 128, 10)

# Mistakes in the loop, each made on purpose by simulate, and what to say when the learner's numbers match one.
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
MOMENTUM_LOOP_MISTAKES = {
    "velocities reset": "your velocities start again at zero every epoch. Create them once, before the loop over "
                        "epochs, and keep what momentum_step returns for the next step",
    "no momentum": "your steps are plain SGD's, without momentum: keep the velocities momentum_step returns and "
                   "pass them back in at the next step",
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


def same(got, want):
    return len(got) == len(want) and all(np.allclose(g, w, **SAME) for g, w in zip(got, want))


def gap(got, want):
    """Return the largest difference between two lists of arrays (inf where one holds NaN)."""
    return max(float(np.nan_to_num(np.abs(np.subtract(g, w)), nan=np.inf).max(initial=0)) for g, w in zip(got, want))


def generator(state):
    """Return a new random generator in this state."""
    rng = np.random.default_rng()
    rng.bit_generator.state = state
    return rng


def start_of(sizes, seed):
    """Return (net, weights, biases, state): an MLP, copies of its starting weights, and its rng's state now."""
    net = MLP(list(sizes), activation="relu", output="softmax", seed=seed)
    return net, [W.copy() for W in net.weights], [b.copy() for b in net.biases], net.rng.bit_generator.state


def run(train, X, Y, start, lr, epochs, batch_size, momentum=0.0):
    """Call the learner's train on copies of everything from the start; return (result, its rng, failure or None).

    momentum is passed (as a keyword) only when it is not 0, so that exercise 3's train needs no such argument.
    """
    _, weights, biases, state = start
    rng = generator(state)
    extra = {"momentum": momentum} if momentum else {}
    result, failed = _call(lambda *args: train(*args, **extra), X.copy(), Y.copy(), [W.copy() for W in weights],
                           [b.copy() for b in biases], lr, epochs, batch_size, rng)
    if failed is not None and "unexpected keyword argument 'momentum'" in failed.message:
        failed = Feedback(False, "❌ Not yet. Your train has no momentum argument: give it one, "
                                 "def train_momentum(X, Y, weights, biases, lr, epochs, batch_size, rng, momentum=0.0, "
                                 "...), and step with momentum_step.")
    return result, rng, failed


def unwritten(train):
    """Return ⏳ feedback if train calls the learner's sgd_step or momentum_step and that is still blank, else None."""
    calls, names = getattr(getattr(train, "__code__", None), "co_names", ()), getattr(train, "__globals__", {})
    for name, exercise, args in (("sgd_step", 2, ([np.ones(2)], [np.ones(2)], 0.1)),
                                 ("momentum_step", 5, ([np.ones(2)], [np.ones(2)], [np.zeros(2)], 0.1, 0.9))):
        step = names.get(name)
        if name in calls and callable(step) and getattr(_call(step, *args)[1], "message", "") == NOT_ANSWERED:
            return Feedback(False, f"⏳ Your {name} returned None: finish exercise {exercise} first, then run this "
                                   "cell again.")
    return None


def simulate(X, Y, weights, biases, lr, epochs, batch_size, rng, momentum=0.0, mistake=None):
    """MLP.fit's loop, written out (its very numbers); with a mistake, that one mistake made on purpose.

    Return (weights, biases, {loss kind: one loss per epoch}).
    """
    net = MLP([len(weights[0])] + [len(b) for b in biases], activation="relu", output="softmax")
    n, L = len(X), len(weights)
    losses = {kind: [] for kind in ("right", *LOSS_MISTAKES)}
    order = rng.permutation(n) if mistake == "shuffled once" else np.arange(n)
    velocities = [np.zeros_like(p) for p in weights + biases]
    for _ in range(epochs):
        if batch_size < n and mistake not in ("not shuffled", "shuffled once"):
            order = rng.permutation(n)
        if mistake == "velocities reset":
            velocities = [np.zeros_like(p) for p in weights + biases]
        batch_losses, sizes = [], []
        for start in range(0, n - batch_size + 1 if mistake == "last batch dropped" else n, batch_size):
            i = order[start:start + batch_size]
            net.weights, net.biases = weights, biases
            loss, dWs, dbs = net._loss_and_gradients(X[i], Y[i])
            scale = {"divided by n": len(i) / n, "not divided": len(i),
                     "divided by batch_size": len(i) / batch_size}.get(mistake)
            grads = [g if scale is None else g * scale for g in dWs + dbs]
            if momentum and mistake != "no momentum":
                velocities = [momentum * v - lr * g for v, g in zip(velocities, grads)]
                params = [p + v for p, v in zip(weights + biases, velocities)]
            else:
                params = [p - lr * g for p, g in zip(weights + biases, grads)]
            weights, biases = params[:L], params[L:]
            batch_losses, sizes = batch_losses + [loss], sizes + [len(i)]
        net.weights, net.biases = weights, biases
        total = float(np.dot(batch_losses, sizes))
        for kind, value in (("right", total / n), ("plain mean", np.mean(batch_losses)), ("sum", total),
                            ("last batch", batch_losses[-1]), ("after", net.loss(X, Y))):
            losses[kind].append(value)
    return weights, biases, losses


def form(result, weights, biases, epochs):
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


def parting(got, want):
    """Return 'layers 1 and 3 (largest difference 0.02, in W3)': where two (weights, biases) differ."""
    L = len(want[0])
    found = [l + 1 for l in range(L) if not same([got[0][l], got[1][l]], [want[0][l], want[1][l]])] or [0]
    largest, where = max((gap([got[k][l]], [want[k][l]]), f"{'Wb'[k]}{l + 1}") for k in (0, 1) for l in range(L))
    names = f"layer {found[0]}" if len(found) == 1 else f"layers {', '.join(map(str, found[:-1]))} and {found[-1]}"
    return f"{names} (largest difference {largest:.2g}, in {where})"


def diagnose(train, X, Y, start, snapshots, got, momentum=0.0):
    """Say where the learner's weights first part from nnlib's, and why, if a common mistake explains it."""
    net, weights, biases, _ = start
    epoch = EPOCHS
    for e in range(1, EPOCHS):  # the first epoch after which they differ
        result, _, failed = run(train, X, Y, start, LR, e, BATCH, momentum)
        _, shorter = form(result, weights, biases, e) if failed is None else (None, None)
        if shorter is None or not same(shorter[0] + shorter[1], snapshots[e - 1][0] + snapshots[e - 1][1]):
            epoch = e
            break
    where = parting(got, snapshots[-1])
    mistakes = {**LOOP_MISTAKES, **(MOMENTUM_LOOP_MISTAKES if momentum else {})}
    for mistake, why in mistakes.items():
        W, b, _ = simulate(X, Y, weights, biases, LR, EPOCHS, BATCH, generator(start[3]), momentum, mistake)
        if same(got[0] + got[1], W + b):
            return f"Your weights part from nnlib's in epoch {epoch}, in {where}: {why}."
    step = ("step with momentum_step (v <- momentum * v - lr * g, then p <- p + v), its velocities kept from one "
            "step to the next, and does check_momentum_step pass?" if momentum else
            "step with sgd_step, and does check_sgd_step pass?")
    return (f"Your weights part from nnlib's in epoch {epoch}, in {where}. {SHUFFLE}(order = rng.permutation(n).) "
            "Did you divide by the batch size, len(X_batch)? Does every batch, the last smaller one too, make one "
            f"{step} Are your pieces from lessons 02-04 the working ones?")


_REFERENCES = {}  # the digit network trained by MLP.fit, per data and settings: trained once, then kept


def reference(X, y, lr, epochs, batch_size, momentum):
    """Return (net, start, history): MLP.fit's digit network from seed 0's weights, trained once per session."""
    key = (X.shape, hash(X.tobytes()), hash(np.asarray(y).tobytes()), lr, epochs, batch_size, momentum)
    if key not in _REFERENCES:
        start = start_of(DIGIT_SIZES, 0)
        history = start[0].fit(X, y, epochs=epochs, lr=lr, batch_size=batch_size, momentum=momentum)
        _REFERENCES[key] = (start[0], start, history)
    return _REFERENCES[key]
