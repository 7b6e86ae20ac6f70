"""The exercise checks of lesson 04 that build backpropagation for any number of layers.

The learner's ``mlp_backward(dZ, Zs, As, weights, f_prime) -> (dWs, dbs)`` runs
on two small 3-layer networks. Every layer's result is checked against the
numerical gradient check (nnlib.gradcheck) and compared with nnlib's
``MLP.gradients``, from the output down; the first layer that differs is
named, with the common mistake that gives exactly its numbers, if any does.

Also here: the networks behind the lesson's two explorers, rebuilt for their
questions' checks, and the checks of the exercises to go further.
"""

import numpy as np

from .. import activations, datasets
from ..checks import describe
from ..gradcheck import numerical_gradient, relative_error
from ..network import MLP
from .feedback import (
    NOT_ANSWERED,
    Feedback,
    _all_finite,
    _call,
    _function,
    _numbers,
    _shape,
    _unanswered,
    _verdict,
    answer_check,
)

WRONG = 1e-6  # a relative error above this is a wrong gradient, not rounding

# The two networks of the check: (sizes, hidden activation, output activation, seed).
NETWORKS = [((3, 5, 4, 2), "tanh", "softmax", 3), ((2, 4, 3, 1), "sigmoid", "sigmoid", 4)]

# The common mistakes, each made on purpose by _backward, and what to say when a result matches one.
MISTAKES = {
    "no f_prime": "you passed dA_prev down as the dZ of the layer below; multiply it by f_prime of that layer's "
                  "weighted sum (the table's ⊙ f'(z))",
    "f_prime of A": "you took f_prime of an activation in As; f_prime is a function of the weighted sum z, "
                    "and the weighted sums are in Zs (As[l + 1] = f(Zs[l]) is what comes out of Zs[l])",
    "tanh slope": "you used tanh's slope 1 - a² whatever the activation; these hidden layers are sigmoid: "
                  "use the f_prime you are given, at the weighted sum in Zs",
    "sigmoid slope": "you used the sigmoid's slope a(1 - a) whatever the activation; these hidden layers are tanh: "
                     "use the f_prime you are given, at the weighted sum in Zs",
    "f_prime at the output": "you multiplied the output layer's dZ by f_prime; dZ is already dL/dZ of the output "
                             "layer (the loss gave it, (A - Y) / n), and f_prime is the hidden layers' slope",
    "mean": "your db is the mean of dZ over the samples, n times too small: dZ already carries the loss's 1/n, "
            "so sum it",
    "dW over n": "your dW is n times too small: dZ already carries the loss's 1/n, so do not divide by n again",
}
SHAPES_HINT = (" Hint: an index off by one makes shapes that do not fit. weights[l] turns As[l] (its input; "
               "As[0] is X) into Zs[l], and As[l + 1] = f(Zs[l]); print the shapes of the arrays you combine.")


def _backward(dZ, Zs, As, weights, f_prime, mistake=None):
    """Backpropagation with the lesson's lists; with a mistake, that one mistake made on purpose."""
    L, n = len(weights), len(dZ)
    dWs, dbs = [None] * L, [None] * L
    if mistake == "f_prime at the output":
        dZ = dZ * f_prime(Zs[-1])
    for l in reversed(range(L)):
        dWs[l], dbs[l] = As[l].T @ dZ / (n if mistake == "dW over n" else 1), dZ.sum(axis=0)
        if mistake == "mean":
            dbs[l] = dZ.mean(axis=0)
        if l > 0:
            dA = dZ @ weights[l].T
            slope = {"no f_prime": 1.0, "f_prime of A": f_prime(As[l]), "tanh slope": 1 - As[l] ** 2,
                     "sigmoid slope": As[l] * (1 - As[l])}.get(mistake, None)
            dZ = dA * (f_prime(Zs[l - 1]) if slope is None else slope)
    return dWs, dbs


def _network(sizes, hidden, output, seed):
    """Return (net, X, Y, dZ, Zs, As): a network, a batch of 6 samples and the output layer's dZ."""
    net = MLP(sizes, activation=hidden, output=output, seed=seed)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(6, sizes[0]))
    labels = rng.integers(0, max(sizes[-1], 2), size=6)
    Y = np.eye(sizes[-1])[labels] if output == "softmax" else labels[:, None].astype(float)
    Zs, As = net.forward_all(X)
    return net, X, Y, (As[-1] - Y) / len(X), Zs, As


def _lists_problem(result, net):
    """Return what is wrong with the form of (dWs, dbs), or None when both are lists of arrays of the right shapes."""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        return f"Return two lists, one gradient per layer in each: return dWs, dbs. Got {describe(result)}."
    L = len(net.weights)
    for name, got, params, what in (("dWs", result[0], net.weights, "weights"),
                                    ("dbs", result[1], net.biases, "biases")):
        if not isinstance(got, (list, tuple)):
            return f"{name} should be a list of {L} arrays, one per layer; got {describe(got)}."
        if len(got) != L:
            return (f"Your {name} has {len(got)} arrays; this network has {L} layers (weights has {L} arrays), so "
                    f"{name} needs {L}. Does your loop reach every layer, from l = {L - 1} down to l = 0?")
        shapes, want = [_shape(g) for g in got], [p.shape for p in params]
        if shapes == want[::-1] and want != want[::-1]:
            return (f"Your {name} is in reverse order: {name}[0] has the shape of the output layer's {what}, "
                    f"{want[-1]}. Going backwards you meet the output layer first; put each gradient at its "
                    f"layer's index, {name}[l], or reverse the list at the end.")
        for l, (g, shape) in enumerate(zip(got, want)):
            if g is None:
                return f"Your {name}[{l}] is None: your loop never filled layer {l + 1}."
            if _shape(g) != shape:
                return (f"Your {name}[{l}] has shape {_shape(g)}; it should be {shape}, the shape of {what}[{l}]."
                        + (" Layer l's input is As[l] (As[0] is X); its output is As[l + 1]." if name == "dWs" else ""))
            if not _all_finite(g):
                return f"Your {name}[{l}] should hold finite numbers; got {describe(g)}."
    return None


def _numerical(net, X, Y):
    """Return the central-difference gradients of net's loss, [dW per layer] + [db per layer]."""
    def loss():
        return net.loss(X, Y)
    return ([numerical_gradient(loss, W) for W in net.weights], [numerical_gradient(loss, b) for b in net.biases])


def _first_wrong_layer(got, want):
    """Return the first layer, going back from the output, where got differs from want (or None)."""
    for l in reversed(range(len(want[0]))):
        if max(relative_error(got[0][l], want[0][l]), relative_error(got[1][l], want[1][l])) > WRONG:
            return l
    return None


def _explain(l, got, args, f_prime_name):
    """Say which layer first differs and why: the mistake that gives exactly these numbers, if one does."""
    L = len(args[3])
    layer = f"layer {l + 1}" + (" (the output layer)" if l == L - 1 else "")
    above = f"Layer{'s' if L - 1 - l > 1 else ''} {', '.join(str(k + 1) for k in range(L - 1, l, -1))} " \
            f"match{'' if L - 1 - l > 1 else 'es'}; " if l < L - 1 else ""
    start = f"{above}{layer}, dWs[{l}] and dbs[{l}], is the first that differs, going back from the output"
    start = start[0].upper() + start[1:]
    for mistake, why in MISTAKES.items():
        dWs, dbs = _backward(*args, mistake=mistake)
        if max(relative_error(got[0][l], dWs[l]), relative_error(got[1][l], dbs[l])) < WRONG:
            return f"{start}: {why}."
    if l == L - 1:
        return (f"{start}, before any f_prime is involved: it is layer_backward(dZ, As[{l}], weights[{l}]). "
                "Does your layer_backward pass exercise 3's check, and do you give it the layer's input As[l]?")
    return (f"{start}. Layer {l + 1} gets its dZ from layer {l + 2}'s: the dA_prev that layer {l + 2}'s backward "
            f"pass gives, times f_prime ({f_prime_name} here) of layer {l + 1}'s own weighted sum.")


@answer_check
def check_mlp_backward(mlp_backward):
    """Check a learner's mlp_backward(dZ, Zs, As, weights, f_prime) -> (dWs, dbs) on two 3-layer networks."""
    if (refused := _function(mlp_backward, "mlp_backward")) is not None:
        return refused
    worst = 0.0
    for sizes, hidden, output, seed in NETWORKS:
        net, X, Y, dZ, Zs, As = _network(sizes, hidden, output, seed)
        f_prime = activations.get(hidden)[1]
        args = (dZ, Zs, As, list(net.weights), f_prime)
        copies = (dZ.copy(), [z.copy() for z in Zs], [a.copy() for a in As], [W.copy() for W in net.weights])
        result, failed = _call(mlp_backward, *copies, f_prime)
        if failed is not None:
            return Feedback(False, failed.message.rstrip() + (SHAPES_HINT if "raised" in failed.message else ""))
        if isinstance(result, (tuple, list)) and _unanswered(*result):
            return Feedback(False, NOT_ANSWERED)
        where = (f" (This is on a {'-'.join(map(str, sizes))} network with {hidden} hidden layers and a {output} "
                 f"output, f_prime = activations.{hidden}_derivative.)")
        if (problem := _lists_problem(result, net)) is not None:
            return _verdict(False, "", problem + where)
        got = ([np.asarray(g, dtype=float) for g in result[0]], [np.asarray(g, dtype=float) for g in result[1]])
        # The referee: central differences of the network's loss (nnlib.gradcheck), every parameter.
        numerical = _numerical(net, X, Y)
        errors = [relative_error(g, n) for g, n in zip(got[0] + got[1], numerical[0] + numerical[1])]
        worst = max(worst, *errors)
        if max(errors) > WRONG:
            l = _first_wrong_layer(got, net.gradients(X, Y))  # layer by layer against nnlib's MLP.gradients
            l = len(net.weights) - 1 if l is None else l
            return _verdict(False, "", _explain(l, got, args, f"activations.{hidden}_derivative")
                            + f" The largest relative error against the gradient check is {max(errors):.2g}." + where)
    return _verdict(True, "Every layer of both networks, one with tanh and one with sigmoid hidden layers, matches "
                    f"the gradient check (largest relative error {worst:.0e}: rounding) and nnlib's MLP.gradients. "
                    "That is backpropagation, for any number of layers.", "")


# ----- exercise 6: which layer's gradient is largest? -----------------------------------------------
def deep_gradient_sizes(hidden="sigmoid"):
    """Return the root mean square of each layer's dW for the lesson's 2-8-8-8-8-1 network on 100 moons."""
    X, y = datasets.moons(100, noise=0.1, seed=0)
    net = MLP([2, 8, 8, 8, 8, 1], activation=hidden, output="sigmoid", seed=0)
    return [float(np.sqrt(np.mean(dW ** 2))) for dW in net.gradients(X, y)[0]]


@answer_check
def check_gradient_sizes(largest_layer, smallest_layer):
    """Check a prediction of which layer (1 to 5) of a deep sigmoid network gets the largest and the smallest dW."""
    if _unanswered(largest_layer, smallest_layer):
        return Feedback(False, NOT_ANSWERED)
    largest_layer, smallest_layer = _numbers(largest_layer=largest_layer, smallest_layer=smallest_layer)
    if not all(v in (1, 2, 3, 4, 5) for v in (largest_layer, smallest_layer)):
        return _verdict(False, "", "Give layer numbers from 1 (next to the inputs) to 5 (the output layer), "
                        f"such as 3; got {largest_layer:g} and {smallest_layer:g}.")
    sizes = deep_gradient_sizes()
    largest, smallest = int(np.argmax(sizes)) + 1, int(np.argmin(sizes)) + 1
    ok = (largest_layer, smallest_layer) == (largest, smallest)
    return _verdict(ok, f"Layer {largest} gets the largest gradient and layer {smallest} the smallest, "
                    f"{sizes[largest - 1] / sizes[smallest - 1]:.0f} times smaller. On its way back δ is "
                    "multiplied, layer after layer, by Wᵀ and by the sigmoid's slope, which is at most 0.25: "
                    "it shrinks. The next cell shows every layer.",
                    ("The largest, yes; the smallest, not. " if largest_layer == largest else
                     "The smallest, yes; the largest, not. " if smallest_layer == smallest else "")
                    + "Think of what happens to δ on its way back from the output: at each layer it is "
                    "multiplied by Wᵀ and by sigmoid'(z), which is at most 0.25. Run the next cell to see.")


# ----- the explorers' networks, and the questions to go further -------------------------------------------
STEPPER = {"sizes": (2, 3, 1), "activation": "tanh", "seed": 0}  # the lesson's stepper, on 30 moons


def stepper_network(step, lr):
    """Return the stepper's network after `step` full-batch steps at learning rate lr, and its data."""
    X, y = datasets.moons(30, noise=0.1, seed=0)
    net = MLP(STEPPER["sizes"], activation=STEPPER["activation"], output="sigmoid", seed=STEPPER["seed"])
    if step:
        net.fit(X, y, epochs=step, lr=lr)
    return net, X, y


def rate_losses(lr, steps, correlation=0.9):
    """Return the losses of gradient descent from the explorer's start (-2, 2.5) on the lesson's regression data."""
    X, y = datasets.correlated_regression(100, correlation=correlation, seed=0)
    w, losses = np.array([-2.0, 2.5]), []
    for _ in range(int(steps) + 1):
        losses.append(0.5 * np.mean((X @ w - y) ** 2))
        w = w - lr * X.T @ (X @ w - y) / len(X)
    return np.array(losses)


@answer_check
def check_most_changed_neuron(neuron):
    """Check which hidden neuron (1 to 3, from the top) of the stepper's first step gets the largest incoming dW."""
    if _unanswered(neuron):
        return Feedback(False, NOT_ANSWERED)
    (neuron,) = _numbers(neuron=neuron)
    if neuron not in (1, 2, 3):
        return _verdict(False, "", f"The hidden neurons are numbered 1, 2, 3 from the top; got {neuron:g}.")
    net, X, y = stepper_network(0, 0.5)
    dWs = net.gradients(X, y)[0]
    sizes = np.linalg.norm(dWs[0], axis=0)  # column j: the weights into hidden neuron j
    best = int(np.argmax(sizes)) + 1
    outgoing = np.abs(net.weights[1][:, 0])
    return _verdict(neuron == best, f"Hidden neuron {best}: its incoming gradient has size {sizes[best - 1]:.2f}, "
                    f"against {' and '.join(f'{s:.2f}' for i, s in enumerate(sizes) if i != best - 1)}. Its weight "
                    f"to the output is the largest in size ({outgoing[best - 1]:.2f}): the output's error reaches "
                    "each hidden neuron multiplied by that neuron's outgoing weight (and by its tanh').",
                    "Not that one. At the backward stage of layer 1, compare the widths of the edges from the "
                    "inputs into each hidden neuron; then look at the weights from each hidden neuron to the output.")


@answer_check
def check_rates_for_correlation(correlation, diverges_above, best_rate):
    """Check 2/λmax and 2/(λmin + λmax) for the regression data of section 8 with another correlation."""
    if _unanswered(correlation, diverges_above, best_rate):
        return Feedback(False, NOT_ANSWERED)
    correlation, diverges_above, best_rate = _numbers(correlation=correlation, diverges_above=diverges_above,
                                                      best_rate=best_rate)
    if not -1 < correlation < 1:
        return _verdict(False, "", f"A correlation lies between -1 and 1, such as 0.5; got {correlation:g}.")
    X, _ = datasets.correlated_regression(100, correlation=correlation, seed=0)
    lam_min, lam_max = np.linalg.eigvalsh(X.T @ X / len(X))
    want = (2 / lam_max, 2 / (lam_min + lam_max))
    ok = np.allclose([diverges_above, best_rate], want, rtol=0.01)
    return _verdict(ok, f"Correlation {correlation:g}: curvatures {lam_min:.3f} and {lam_max:.3f}, so it diverges "
                    f"above 2/λmax = {want[0]:.3f}, and the best fixed rate is {want[1]:.3f}.",
                    ("Your first rate is 1/λmax, where the zig-zag starts; the walk still converges up to "
                     "2/λmax. " if np.isclose(diverges_above, 1 / lam_max, rtol=0.01) else "")
                    + "Hint: rebuild X_reg with this correlation, compute the curvatures as in section 8, then "
                    "2 / lam_max and 2 / (lam_min + lam_max).")
