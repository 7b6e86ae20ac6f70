"""The exercise checks of lesson 04: backpropagation.

The checks for backpropagation through any number of layers (mlp_backward,
and the prediction that follows it), the explorers' networks and the checks of
the exercises to go further live in lesson04_build.py; they are imported here,
so the lesson imports every check of lesson 04 from this module.
"""

import numpy as np

from .. import datasets
from ..checks import describe
from ..gradcheck import numerical_gradient, relative_error
from ..network import MLP
from .feedback import (
    NOT_ANSWERED,
    Feedback,
    _all_finite,
    _call,
    _close,
    _function,
    _numbers,
    _shape,
    _unanswered,
    _verdict,
    answer_check,
)
from .lesson04_build import (
    check_gradient_sizes,
    check_mlp_backward,
    check_most_changed_neuron,
    check_rates_for_correlation,
    rate_losses,
    stepper_network,
)

__all__ = ["check_one_neuron_gradient", "check_two_layer_deltas", "check_layer_backward",
           "check_bias_gradient", "check_mlp_backward", "check_gradient_sizes", "check_largest_hidden_error",
           "check_zigzag_race", "check_most_changed_neuron", "check_rates_for_correlation"]


@answer_check
def check_one_neuron_gradient(dL_dw1, dL_dw2, dL_db):
    """Check the gradient of a sigmoid neuron's cross-entropy at x = (1, 2), w = (0.5, -0.5), b = 0.5, y = 1."""
    if _unanswered(dL_dw1, dL_dw2, dL_db):
        return Feedback(False, NOT_ANSWERED)
    dL_dw1, dL_dw2, dL_db = _numbers(dL_dw1=dL_dw1, dL_dw2=dL_dw2, dL_db=dL_db)
    net = MLP([2, 1], output="sigmoid")
    net.weights, net.biases = [np.array([[0.5], [-0.5]])], [np.array([0.5])]
    dWs, dbs = net.gradients(np.array([[1.0, 2.0]]), np.array([1.0]))
    want = [dWs[0][0, 0], dWs[0][1, 0], dbs[0][0]]
    ok = np.allclose([dL_dw1, dL_dw2, dL_db], want)
    return _verdict(ok, f"z = 0, a = 0.5, dL/dz = a - y = -0.5, so dL/dw = (a - y) x = ({want[0]}, {want[1]}) "
                    f"and dL/db = {want[2]}.",
                    "Hint: first z = w . x + b and a = sigmoid(z); then dL/dz = a - y; then multiply by "
                    "dz/dw1 = x1, dz/dw2 = x2 and dz/db = 1.")


def two_two_one_values():
    """Return (x, y, z1, a1, W2, a2) of the lesson's 2-2-1 network (tanh, then sigmoid) for its one sample."""
    net = MLP([2, 2, 1], activation="tanh", output="sigmoid", seed=7)
    x, y = np.array([[1.0, -1.0]]), np.array([[1.0]])
    (z1, _), (a1, a2) = net.forward_all(x)[0], net.forward_all(x)[1][1:]
    return x, y, z1, a1, net.weights[1], a2


@answer_check
def check_two_layer_deltas(delta2, delta1):
    """Check δ2 and δ1 of the 2-2-1 network of section 2, worked out by hand (to about 4 decimals)."""
    if _unanswered(delta2, delta1):
        return Feedback(False, NOT_ANSWERED)
    (delta2,) = _numbers(delta2=np.ravel(delta2)[0] if np.size(delta2) == 1 else delta2)
    got = np.ravel(np.asarray(delta1, dtype=float))
    if got.shape != (2,):
        return _verdict(False, "", f"delta1 has one number per hidden neuron, two in all, such as [0.1, -0.2]; "
                        f"got {describe(delta1)}.")
    x, y, z1, a1, W2, a2 = two_two_one_values()
    d2 = (a2 - y)[0, 0]
    if not np.isclose(delta2, d2, atol=5e-4):
        hint = ("That is y - a2; the error is a2 - y, negative here because the output is below its target."
                if np.isclose(delta2, -d2, atol=5e-4) else
                "For a sigmoid output with cross-entropy, δ2 = dL/dz2 = a2 - y (section 1: the sigmoid's slope "
                "cancels against the loss's).")
        return _verdict(False, "", f"delta2 is not {delta2:g}. {hint}")
    back = (d2 * W2.T)[0]  # dL/da1
    mistakes = [(-back * (1 - a1[0] ** 2), "That is the right size with the wrong sign: start from δ2 = a2 - y."),
                (back, "That is δ2 W2ᵀ = dL/da1, the error arriving at the hidden outputs. To get to z1 multiply "
                       "by tanh'(z1) = 1 - a1², element by element."),
                (back * a1[0] * (1 - a1[0]), "You multiplied by the sigmoid's slope a1 (1 - a1); the hidden layer "
                                             "is tanh, whose slope is 1 - a1²."),
                (back * (1 - z1[0] ** 2), "tanh'(z1) is 1 - tanh(z1)² = 1 - a1², not 1 - z1²."),
                (back * (1 - a1[0] ** 2) * (a2 * (1 - a2))[0, 0],
                 "δ2 = a2 - y already holds the sigmoid's slope (it cancelled against the loss's): do not "
                 "multiply by a2 (1 - a2) again.")]
    want = back * (1 - a1[0] ** 2)
    if np.allclose(got, want, atol=5e-4):
        return _verdict(True, f"δ2 = a2 - y = {d2:.5f}; δ1 = (δ2 W2ᵀ) ⊙ (1 - a1²) = {np.round(want, 5).tolist()}.",
                        "")
    hint = next((why for value, why in mistakes if np.allclose(got, value, atol=5e-4)),
                "Hint: δ1 = (δ2 W2ᵀ) ⊙ tanh'(z1): multiply δ2 by each entry of W2 (one per hidden neuron), then "
                "by that neuron's 1 - a1².")
    return _verdict(False, "", f"δ2 is right; δ1 is not {got.tolist()}. {hint}")


# ----- exercise 3: one dense layer -------------------------------------------------------------------------
def _layer_problem(name, got, want, dZ, A_prev, W):
    """Return what is wrong with one of layer_backward's three results (or None), naming shapes and transposes."""
    n, (n_in, n_out) = len(dZ), W.shape
    shape = _shape(got)
    if name == "dW" and shape != want.shape:
        if shape == (n_out, n_in) and _close(got, want.T):
            return (f"Your dW has shape {shape}; it should be {want.shape}, the shape of W: that is dZ.T @ A_prev, "
                    f"the transpose of dW. Use A_prev.T @ dZ, ({n_in}, {n}) @ ({n}, {n_out}).")
        if shape == (n_out, n_in):
            return (f"Your dW has shape {shape}; it should be {want.shape}, the shape of W. "
                    f"A_prev.T @ dZ is ({n_in}, {n}) @ ({n}, {n_out}).")
        return f"Your dW has shape {shape}; it should be {want.shape}, the shape of W: one gradient per weight."
    if name == "db" and shape != want.shape:
        if shape == ():
            return (f"Your db is one number for the whole layer; it should have shape {want.shape}, one per unit "
                    "like b: sum dZ over the samples only (axis=0).")
        if shape == (1, n_out):
            return f"Your db has shape {shape}; it should be {want.shape}, the shape of b: leave out keepdims."
        if shape == (n,):
            return (f"Your db has shape {shape}, one number per sample: you summed over the units (axis=1). "
                    f"Sum over the samples, axis=0, for one number per unit, shape {want.shape}.")
        return f"Your db has shape {shape}; it should be {want.shape}, the shape of b."
    if name == "dA_prev" and shape != want.shape:
        if shape == dZ.shape:
            return (f"Your dA_prev has shape {shape}, the shape of dZ; it should be {want.shape}, the shape of "
                    "A_prev — did you forget to multiply by W.T?")
        if shape == (n_in, n):
            return (f"Your dA_prev has shape {shape}; it should be {want.shape}, one row per sample like A_prev: "
                    "that is its transpose, W @ dZ.T. Multiply the other way round, with W.T on the right.")
        return f"Your dA_prev has shape {shape}; it should be {want.shape}, the shape of A_prev."
    if not _all_finite(got):
        return f"{name} should hold finite numbers; got {describe(got)}"
    if relative_error(got, want) < 1e-6:
        return None
    if _close(got, want / n):
        return (f"Your {name} is the mean over the {n} samples, {n} times too small: dZ already carries the "
                "loss's 1/n (lesson 03's (P - Y) / n), so sum over the samples instead.")
    if _close(got, -want):
        return f"Your {name} has the wrong sign."
    return f"Your {name} differs from the numerical gradient (relative error {relative_error(got, want):.1e})."


@answer_check
def check_layer_backward(layer_backward):
    """Check a learner's layer_backward(dZ, A_prev, W) -> (dW, db, dA_prev) against central differences."""
    if (refused := _function(layer_backward, "layer_backward")) is not None:
        return refused
    rng = np.random.default_rng(1)
    A_prev, W, b, dZ = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2), rng.normal(size=(4, 2))
    got, failed = _call(layer_backward, dZ.copy(), A_prev.copy(), W.copy())
    if failed is not None:
        if "raised" not in failed.message:
            return failed
        return Feedback(False, failed.message.rstrip() + " Hint: check each product's shapes: dZ is (4, 2), A_prev "
                        "(4, 3) and W (3, 2); dW must come out (3, 2) like W, db (2,) like b, dA_prev (4, 3) like "
                        "A_prev.")
    if isinstance(got, (tuple, list)) and _unanswered(*got):
        return Feedback(False, NOT_ANSWERED)
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return _verdict(False, "", f"Return three arrays, in this order: return dW, db, dA_prev. Got {describe(got)}.")

    def loss():  # a loss whose dL/dZ is exactly dZ
        return float(np.sum(dZ * (A_prev @ W + b)))

    want = [numerical_gradient(loss, W), numerical_gradient(loss, b), numerical_gradient(loss, A_prev)]
    if sorted(map(str, map(_shape, got))) == sorted(str(v.shape) for v in want) and \
            [_shape(g) for g in got] != [v.shape for v in want]:
        return _verdict(False, "", "The three arrays are there, in another order: return dW, db, dA_prev.")
    problems = [p for name, g, v in zip(["dW", "db", "dA_prev"], got, want)
                if (p := _layer_problem(name, g, v, dZ, A_prev, W)) is not None]
    return _verdict(not problems, "All three match the numerical gradient check.", " ".join(problems))


@answer_check
def check_bias_gradient(bias_gradient):
    """Check a fix for the digit-recognizer article's bias gradient: dZ has a column per sample; return (n_units, 1)."""
    dZ = np.array([[0.2, -0.1, 0.4], [-0.3, 0.5, 0.1]])  # 2 units, 3 samples
    if (refused := _function(bias_gradient, "bias_gradient")) is not None:
        return refused
    got, failed = _call(bias_gradient, dZ, 3)
    if failed is not None:
        return failed
    want, shape = dZ.sum(axis=1, keepdims=True) / 3, _shape(got)
    if not _all_finite(got):
        return _verdict(False, "", f"Return an array of shape (2, 1), one bias gradient per unit; got {describe(got)}.")
    if shape == ():
        return _verdict(False, "", "That is one number for every unit: the digit-recognizer article's bug. "
                        "Each unit needs its own bias gradient: sum over the samples only (axis=1), "
                        "keeping the column shape.")
    if shape == (2,):
        return _verdict(False, "", "Your gradient has shape (2,): one number per unit, but not as a column. Keep "
                        "the column: keepdims=True, for shape (2, 1) like the article's b.")
    if shape in ((1, 3), (3,)):
        return _verdict(False, "", f"Your gradient has shape {shape}, one number per sample: you summed over the "
                        "units (axis=0); sum over the samples, axis=1, for one number per unit.")
    if shape != want.shape:
        return _verdict(False, "", f"Your gradient should have shape {want.shape}, one number per unit, as a "
                        f"column; got {describe(got)}.")
    hint = ("That is the sum over the samples, m times the answer: divide by m, for their mean."
            if _close(got, 3 * want) else
            "Each unit's bias gradient is the mean of its own row of dZ: over the samples, the columns.")
    return _verdict(_close(got, want), "One bias gradient per unit: the mean over the samples of that unit's dZ.",
                    hint)


# ----- the explorers' questions ------------------------------------------------------------------------------
STEPPER_QUESTION = {"step": 100, "lr": 0.5, "stage": 4}


def _state(state, keys, name):
    """Return None if state is a dict with these keys, else the Feedback saying what to give."""
    if _unanswered(state):
        return Feedback(False, NOT_ANSWERED)
    if not isinstance(state, dict):
        return _verdict(False, "", f"Give the explorer's state, a dict: {name}.state; got {describe(state)}.")
    missing = [k for k in keys if k not in state]
    if missing:
        return _verdict(False, "", f"The state is missing {', '.join(missing)}: give the whole {name}.state.")
    return None


@answer_check
def check_largest_hidden_error(state):
    """Check a stepper state at step 100 showing the sample with the largest hidden error |δ1| (stage 4)."""
    if (refused := _state(state, ["step", "stage", "lr", "sample"], "stepper")) is not None:
        return refused
    step, stage, lr, sample = _numbers(step=state["step"], stage=state["stage"], lr=state["lr"],
                                       sample=state["sample"])
    if (step, lr) != (STEPPER_QUESTION["step"], STEPPER_QUESTION["lr"]):
        return _verdict(False, "", f"Go to training step 100 with lr 0.5 (this state is step {step:g}, lr {lr:g}).")
    if stage != STEPPER_QUESTION["stage"]:
        return _verdict(False, "", "Leave the stepper at the backward stage of layer 1 (its title reads \"Backward, "
                        f"layer 1\"), where the hidden nodes show δ1; this state is at stage {stage:g}.")
    net, X, y = stepper_network(STEPPER_QUESTION["step"], STEPPER_QUESTION["lr"])
    deltas = [net.gradients(X[i:i + 1], y[i:i + 1])[1] for i in range(len(X))]  # db = δ for one sample
    hidden = np.array([np.abs(d[0]).max() for d in deltas])
    output = np.array([abs(d[1][0]) for d in deltas])
    best, loudest = int(np.argmax(hidden)), int(np.argmax(output))
    if sample != best:
        also = (" It is one of the samples with the largest output error |δ2|; but δ1 = (δ2 W2ᵀ) ⊙ tanh'(z1) "
                "also depends on how far each hidden neuron is from saturating."
                if output[int(sample)] > output[best] else "") if 0 <= sample < len(X) else ""
        return _verdict(False, "", f"At sample {sample:g} the hidden errors reach {hidden[int(sample)]:.2f} in size "
                        f"at most; at one sample they reach {hidden[best]:.2f}.{also} Step through the samples at "
                        "stage 4, starting with the points on the wrong side of the boundary."
                        if 0 <= sample < len(X) else f"There are samples 0 to {len(X) - 1}; got {sample:g}.")
    a1 = net.forward_all(X)[1][1]
    slope = 1 - a1 ** 2  # tanh'(z1) of every hidden neuron, for every sample
    j = int(np.argmin(slope[loudest] / slope[best]))  # the neuron that passes back relatively least at `loudest`
    return _verdict(True, f"Sample {best}: its hidden errors reach {hidden[best]:.2f}, more than at sample {loudest} "
                    f"({hidden[loudest]:.2f}), whose output error is larger ({output[loudest]:.2f} against "
                    f"{output[best]:.2f}). δ1 = (δ2 W2ᵀ) ⊙ tanh'(z1): at sample {loudest} hidden neuron {j + 1} "
                    f"is partly saturated (a = {a1[loudest, j]:.2f}, tanh' = {slope[loudest, j]:.2f}: it passes "
                    f"back less than half), at sample {best} it is not (tanh' = {slope[best, j]:.2f}), so more "
                    "error flows back.", "")


RATE_RACE = {"lr": 1.0, "steps": 10, "slow_lr": 0.5}  # lr 1.0 zig-zags; lr 0.5 does not


@answer_check
def check_zigzag_race(state):
    """Check a learning-rate explorer state: the fewest steps at lr 0.5 to get as low as lr 1.0 in 10 steps."""
    if (refused := _state(state, ["lr", "steps"], "rate_explorer")) is not None:
        return refused
    lr, steps = _numbers(lr=state["lr"], steps=state["steps"])
    if lr != RATE_RACE["slow_lr"]:
        return _verdict(False, "", f"Set lr to 0.5, the rate that does not zig-zag (this state has lr {lr:g}).")
    if steps < 0 or steps != int(steps):
        return _verdict(False, "", f"steps is a whole number of steps, from 0 to 50; got {steps:g}.")
    target = rate_losses(RATE_RACE["lr"], RATE_RACE["steps"])[-1]
    slow = rate_losses(lr, max(50, steps))
    fewest = int(np.argmax(slow <= target))
    if steps < fewest:
        return _verdict(False, "", f"After {steps:g} steps at lr 0.5 the loss is {slow[int(steps)]:.4f}, still "
                        f"above {target:.4f}, where lr 1.0 is after 10 steps: more steps.")
    if steps > fewest:
        return _verdict(False, "", f"After {steps:g} steps the loss is below {target:.4f}, but it was already "
                        f"{slow[int(steps) - 1]:.4f} one step earlier: find the fewest steps.")
    X, _ = datasets.correlated_regression(100, correlation=0.9, seed=0)
    lam_min = np.linalg.eigvalsh(X.T @ X / len(X))[0]
    return _verdict(True, f"lr 0.5 needs {fewest} steps to get where lr 1.0, zig-zagging across the valley, gets "
                    f"in 10. Along the valley each of its steps keeps {1 - lr * lam_min:.2f} of the distance to "
                    f"the bottom, lr 1.0's only {1 - RATE_RACE['lr'] * lam_min:.2f}: the slow direction decides.", "")
