"""The build-it checks of lesson 02: a dense layer's forward pass, then a forward pass through any number of layers.

The learner writes layer_forward(A_prev, W, b, f) -> (Z, A) and
mlp_forward(X, weights, biases, f, f_out) -> (Zs, As). Each check runs the
learner's function on a few small networks, compares it with nnlib's
dense_forward and MLP.forward_all, and names the first thing that differs.
"""

import numpy as np

from .. import activations
from ..checks import describe as _describe
from ..layer import dense_forward
from ..network import MLP
from .feedback import NOT_ANSWERED, Feedback, _call, _close, _function, _shape, _unanswered, _verdict, answer_check

ROWS = "samples are rows, so a layer is A_prev @ W: (n, n_in) @ (n_in, n_out) -> (n, n_out). Did you write W @ A_prev?"
FED_X = " Or is every layer fed X? Layer l's input is the previous activation, As[-1]."


def _run(function, *args, also=""):
    """Call the learner's function like _call; a matrix-shape error gets the samples-are-rows hint (and `also`)."""
    got, failed = _call(function, *args)
    if failed is not None and ("matmul" in failed.message or "not aligned" in failed.message):
        failed = Feedback(False, f"{_ended(failed.message)} Hint: {ROWS}{also}")
    return got, failed


def _ended(message):
    """Return message ending with a full stop (or the question mark it has)."""
    return message if message.endswith((".", "?")) else message + "."


def _pair(result, first, second, name):
    """Return None if result is a pair, else the hint for what was returned instead."""
    if isinstance(result, (tuple, list)) and len(result) == 2:
        return None
    if _close(result, second):
        return f"You returned only {name[1]}; return both: return {name[0]}, {name[1]}."
    if _close(result, first):
        return f"You returned only {name[0]}; return both: return {name[0]}, {name[1]}."
    return f"Return a pair, {name[0]}, {name[1]}; got {_describe(result)}."


def _transposed(A_prev, W, b):
    """The usual mix-ups of rows and columns that give an array (W @ A_prev + b, ...), where the shapes allow."""
    forms = []
    for form in (lambda: W @ A_prev + b, lambda: A_prev @ W.T + b, lambda: (A_prev @ W + b).T):
        try:
            forms.append(form())
        except ValueError:  # the shapes do not fit: that mix-up raises in the learner's code instead
            pass
    return forms


def _layer_hint(Z, A, A_prev, W, b, f_name):
    """Return None if (Z, A) is this layer's forward pass, else a hint naming what is wrong."""
    Z_want, A_want = dense_forward(A_prev, W, b, f_name)
    if _shape(Z) != Z_want.shape or _shape(A) != A_want.shape:
        wrong, shape = ("Z", _shape(Z)) if _shape(Z) != Z_want.shape else ("A", _shape(A))
        return (f"For {len(A_prev)} samples into {W.shape[1]} neurons, your {wrong} has shape {shape}; it should be "
                f"{Z_want.shape}. Hint: {ROWS}")
    if _close(Z, A_want) and _close(A, Z_want):
        return "Z and A are swapped: return Z, A, the weighted sums first."
    if any(_close(Z, wrong) for wrong in _transposed(A_prev, W, b)):
        return f"Your Z is not A_prev @ W + b. Hint: {ROWS}"
    if _close(Z, A_prev @ W):
        return "You forgot the bias: Z = A_prev @ W + b (b is added to every row)."
    if _close(Z, A_want):
        return "Your Z is already activated. Z is the weighted sum A_prev @ W + b; A = f(Z)."
    if not _close(Z, Z_want):
        return "Your Z differs from A_prev @ W + b: each row of Z is one sample's weighted sums."
    if _close(A, Z_want):
        return "Your A is Z itself: apply the activation, A = f(Z)."
    for other in ("sigmoid", "tanh", "relu"):
        if other != f_name and _close(A, activations.get(other)[0](Z_want)):
            return f"Your A is {other}(Z), but this layer's f is {f_name}: apply the f you are given, A = f(Z)."
    return "Z is right but A is not: A = f(Z), with the f you are given." if not _close(A, A_want) else None


@answer_check
def check_layer_forward(layer_forward):
    """Check a learner's layer_forward(A_prev, W, b, f) -> (Z, A) against nnlib's dense_forward."""
    if (refused := _function(layer_forward, "layer_forward")) is not None:
        return refused
    rng = np.random.default_rng(0)
    cases = [(rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4), "tanh"),
             (rng.normal(size=(4, 4)), rng.normal(size=(4, 4)), rng.normal(size=4), "sigmoid")]  # W @ A_prev fits
    for A_prev, W, b, f_name in cases:
        result, failed = _run(layer_forward, A_prev.copy(), W.copy(), b.copy(), activations.get(f_name)[0])
        if failed is not None:
            return failed
        Z_want, A_want = dense_forward(A_prev, W, b, f_name)
        hint = _pair(result, Z_want, A_want, ("Z", "A"))
        if hint is None and _unanswered(*result):
            return Feedback(False, NOT_ANSWERED)
        hint = hint or _layer_hint(*result, A_prev, W, b, f_name)
        if hint is not None:
            return _verdict(False, "", f"{hint} (This was with f = activations.{f_name}.)")
    return _verdict(True, "Z = A_prev @ W + b and A = f(Z): one matrix product computes every neuron of the layer "
                    "for every sample, the same as nnlib's dense_forward.", "")


def _networks():
    """Three networks (2, 3 and 1 layers) with non-zero biases, and a batch of inputs for each."""
    rng = np.random.default_rng(1)
    for sizes, hidden, output in (([3, 5, 2], "tanh", "sigmoid"), ([4, 6, 5, 3], "relu", "softmax"),
                                  ([3, 2], "tanh", "sigmoid")):
        net = MLP(sizes, activation=hidden, output=output, seed=2)
        net.biases = [rng.normal(size=b.shape) for b in net.biases]
        yield net, rng.normal(size=(6, sizes[0]))


def _forward_hint(Zs, As, net, X):
    """Return None if (Zs, As) is net's forward pass of X, else a hint naming the first thing that differs."""
    L = len(net.weights)
    f, f_out = activations.get(net.activation)[0], activations.get(net.output)[0]
    Zs_want, As_want = net.forward_all(X)
    if not isinstance(Zs, (list, tuple)) or not isinstance(As, (list, tuple)):
        return f"Zs and As should be lists of arrays (one per layer); got {_describe(Zs)} and {_describe(As)}."
    if len(Zs) == L + 1 and len(As) == L and _close(Zs[0], X):
        return (f"Zs and As are swapped: your first list starts with X and holds {L + 1} arrays, as As should. "
                "Return Zs, As, in that order.")
    if len(As) == L and _close(As[-1], As_want[-1]):
        return (f"Your As has {L} arrays; it should have {L + 1}: As[0] is X itself, then one activation per "
                "layer. Start with As = [X].")
    if len(Zs) != L or len(As) != L + 1:
        return (f"Zs should hold {L} arrays (one per layer) and As {L + 1} (X, then one per layer); yours hold "
                f"{len(Zs)} and {len(As)}. Hint: loop over zip(weights, biases), appending to both lists.")
    if not _close(As[0], X):
        return "As[0] should be X itself: the input is the activation of layer 0."
    for l in range(L):
        W, b, A_prev, last = net.weights[l], net.biases[l], As_want[l], l == L - 1
        if _shape(Zs[l]) != Zs_want[l].shape or _shape(As[l + 1]) != As_want[l + 1].shape:
            return (f"Zs[{l}] and As[{l + 1}] should have shape {Zs_want[l].shape}; yours have {_shape(Zs[l])} "
                    f"and {_shape(As[l + 1])}. Hint: {ROWS}")
        if not _close(Zs[l], Zs_want[l]):
            if _close(Zs[l], A_prev @ W):
                return f"Zs[{l}] has no bias: Z = A_prev @ W + b, with biases[{l}]."
            if l > 0 and _close(Zs[l], Zs_want[l - 1] @ W + b):
                return (f"Layer {l + 1} was fed Zs[{l - 1}]; its input is the previous activation "
                        f"As[{l}] = f(Zs[{l - 1}]).")
            return f"Zs[{l}] differs from As[{l}] @ weights[{l}] + biases[{l}]."
        if not _close(As[l + 1], As_want[l + 1]):
            if _close(As[l + 1], Zs_want[l]):
                return f"As[{l + 1}] is Zs[{l}] itself: apply the activation."
            if last and _close(As[l + 1], f(Zs_want[l])):
                return f"You applied f to the output layer instead of f_out: As[{L}] = f_out(Zs[{L - 1}])."
            if not last and _close(As[l + 1], f_out(Zs_want[l])):
                return f"You applied f_out to hidden layer {l + 1}; f_out is for the last layer only, f for the others."
            return f"As[{l + 1}] differs from {'f_out' if last else 'f'}(Zs[{l}])."
    return None


@answer_check
def check_mlp_forward(mlp_forward):
    """Check a learner's mlp_forward(X, weights, biases, f, f_out) -> (Zs, As) against MLP.forward_all."""
    if (refused := _function(mlp_forward, "mlp_forward")) is not None:
        return refused
    for net, X in _networks():
        f, f_out = activations.get(net.activation)[0], activations.get(net.output)[0]
        weights, biases = [W.copy() for W in net.weights], [b.copy() for b in net.biases]
        where = (f" (This was the {len(net.weights)}-layer network MLP({net.sizes}), with f = {net.activation} and "
                 f"f_out = {net.output}.)")
        result, failed = _run(mlp_forward, X.copy(), weights, biases, f, f_out, also=FED_X)
        if failed is not None:
            return failed if failed.message == NOT_ANSWERED else Feedback(False, _ended(failed.message) + where)
        Zs_want, As_want = net.forward_all(X)
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            if _close(result, As_want[-1]):
                return _verdict(False, "", "You returned only the output. Return Zs, As: every layer's weighted sums "
                                "and activations (the backward pass of lesson 04 needs them all)." + where)
            return _verdict(False, "", f"Return a pair, Zs, As; got {_describe(result)}." + where)
        if _unanswered(*result):
            return Feedback(False, NOT_ANSWERED)
        hint = _forward_hint(*result, net, X)
        if hint is not None:
            return _verdict(False, "", hint + where)
    return _verdict(True, "Your forward pass gives nnlib's MLP.forward_all for 1, 2 and 3 layers: As[0] = X, then "
                    "each layer's Z = A_prev @ W + b and A = f(Z), with f_out for the last.", "")
