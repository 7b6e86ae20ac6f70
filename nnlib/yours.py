"""Your own code inside nnlib's network: how the explorers run the functions you write.

The lessons have you write a network's pieces yourself, with these signatures
(samples are rows; ``As[0]`` is X, and ``Zs[l]`` is the weighted sum behind ``As[l + 1]``):

    mlp_forward(X, weights, biases, f, f_out) -> (Zs, As)        lesson 02
    mlp_backward(dZ, Zs, As, weights, f_prime) -> (dWs, dbs)      lesson 04
    sgd_step(params, grads, lr) -> new_params                      lesson 05

``YourMLP`` is an MLP that calls yours in place of its own. Each time, it also
works out nnlib's answer from the very same numbers and keeps the largest
difference, so an explorer can say how far your result is from the reference
("your mlp_forward: differs from nnlib's by up to 0.31 at x = (1, 0)"). A
function of yours that raises, or returns something of the wrong shape, gives
a YourCodeError naming the function and what went wrong.
"""

import numpy as np

from . import activations as act
from .checks import UnknownName, describe
from .checks import _nearest as nearest
from .network import MLP
from .optim import SGD

SIGNATURES = {"forward": "mlp_forward(X, weights, biases, f, f_out) -> (Zs, As)",
              "backward": "mlp_backward(dZ, Zs, As, weights, f_prime) -> (dWs, dbs)",
              "step": "sgd_step(params, grads, lr) -> new_params"}
SAME = 1e-9  # differences below this are rounding: the results match


class YourCodeError(Exception):
    """Your function raised, or returned something nnlib cannot use; the message says which and why."""

    def __init__(self, message, unwritten=False):
        super().__init__(message)
        self.unwritten = unwritten  # it returned ... or None: not a bug, just not there yet


def your_functions(functions, accepted=tuple(SIGNATURES)):
    """Return {kind: function} checked, leaving out the Nones (a None goes back to nnlib's own)."""
    for kind, function in functions.items():
        if kind not in accepted and not accepted:
            raise UnknownName(f"this explorer runs nnlib's own functions only; got {kind}=. The hidden-layer "
                              "explorer takes forward=, the backprop stepper forward= and backward=, the playground "
                              "all three")
        if kind not in accepted:
            raise UnknownName(f"{kind!r} is not a function this can run{nearest(kind, accepted)}; it takes "
                              + ", ".join(f"{k}= (your {SIGNATURES[k]})" for k in accepted))
        if function is not None and not callable(function):
            raise TypeError(f"{kind} must be your function itself, such as {kind}={name_of(kind)} (no parentheses "
                            f"after the name); got {describe(function)}")
    return {kind: function for kind, function in functions.items() if function is not None}


def name_of(kind, function=None):
    """Return the name to show for a function of yours: its own name, or the course's name for it."""
    name = getattr(function, "__name__", "")
    return name if name.isidentifier() else SIGNATURES[kind].split("(")[0]


def call(kind, function, *args):
    """Return function(*args); if it raises, raise a YourCodeError that says which function and why."""
    try:
        with np.errstate(all="ignore"):
            return function(*args)
    except Exception as err:  # noqa: BLE001 - any bug of the learner's becomes a message
        form = f". Its form: {SIGNATURES[kind]}" if isinstance(err, TypeError) else ""
        raise YourCodeError(f"your {name_of(kind, function)} raised {type(err).__name__}: {err}{form}") from err


def unwritten(result, kind, function):
    """Raise a YourCodeError if a function of yours returned None or ...: most likely it is not written yet."""
    if result is None or result is Ellipsis:
        raise YourCodeError(f"your {name_of(kind, function)} is not written yet (it returns {result!r}): fill it "
                            "in, run its cell, then call use() again", unwritten=True)


def like(result, reference, what, kind, function):
    """Return result as a list of float arrays shaped like the reference list, or raise saying what differs."""
    name = name_of(kind, function)
    unwritten(result, kind, function)
    if not isinstance(result, (list, tuple)) or len(result) != len(reference):
        raise YourCodeError(f"your {name} should give {what} as a list of {len(reference)} arrays; "
                            f"got {describe(result)}. Its form: {SIGNATURES[kind]}")
    arrays = []
    for i, (got, want) in enumerate(zip(result, reference)):
        try:
            got = np.asarray(got, dtype=want.dtype)
        except (TypeError, ValueError):
            raise YourCodeError(f"your {name} gave {what}[{i}] = {describe(got)}, not an array of numbers") from None
        if got.shape != want.shape:
            raise YourCodeError(f"your {name} gave {what}[{i}] of shape {got.shape}; it should be {want.shape}")
        arrays.append(got)
    return arrays


def pair(result, kind, function):
    """Return the two parts of a result that should be a pair, such as (Zs, As), or raise saying so."""
    unwritten(result, kind, function)
    if not isinstance(result, (list, tuple)) or len(result) != 2:
        raise YourCodeError(f"your {name_of(kind, function)} should return a pair; got {describe(result)}. "
                            f"Its form: {SIGNATURES[kind]}")
    return result


def copies(arrays):
    """Return copies of a list of arrays: a function of yours may change what it is given, never nnlib's own."""
    return [np.array(a) for a in arrays]


def largest_gap(yours, reference):
    """Return (largest |yours - reference| over a list of arrays, (list index, array index) where it is)."""
    best = (-1.0, (0, ()))
    for i, (got, want) in enumerate(zip(yours, reference)):
        with np.errstate(invalid="ignore"):  # where nnlib's own value blew up, there is nothing to compare
            gap = np.where(np.isfinite(want), np.nan_to_num(np.abs(got - want), nan=np.inf), 0.0)
        if gap.size and gap.max() > best[0]:
            best = (float(gap.max()), (i, np.unravel_index(gap.argmax(), gap.shape)))
    return best


class YourMLP(MLP):
    """An MLP that runs your forward pass, backward pass or update step in place of its own.

    Give the functions by keyword: ``YourMLP([2, 2, 1], forward=mlp_forward)``,
    or ``YourMLP.like(net, backward=mlp_backward)`` for a copy of a network.
    After each call ``difference[kind]`` is the largest gap between your
    result and nnlib's on the same numbers, and ``where[kind]`` says where.
    """

    def __init__(self, sizes, activation="tanh", output="sigmoid", loss=None, seed=0, forward=None, backward=None,
                 step=None):
        super().__init__(sizes, activation, output, loss, seed)
        self.yours = your_functions({"forward": forward, "backward": backward, "step": step})
        self.difference, self.where = {}, {}

    @classmethod
    def like(cls, net, forward=None, backward=None, step=None):
        """Return a YourMLP with net's layers, settings and parameters (copies), running your functions."""
        copy = cls.__new__(cls)
        copy.__dict__.update(net.__dict__)
        copy.sizes, copy.weights, copy.biases = list(net.sizes), list(net.weights), list(net.biases)
        copy.rng = np.random.default_rng()
        copy.rng.bit_generator.state = net.rng.bit_generator.state  # its own generator, in the same state
        copy.yours = your_functions({"forward": forward, "backward": backward, "step": step})
        copy.difference, copy.where = {}, {}
        return copy

    def forward_all(self, X):
        zs, activations = super().forward_all(X)
        if "forward" not in self.yours:
            return zs, activations
        function = self.yours["forward"]
        f, f_out = act.get(self.activation)[0], act.get(self.output)[0]
        result = call("forward", function, X.copy(), copies(self.weights), copies(self.biases), f, f_out)
        your_zs, your_activations = pair(result, "forward", function)
        your_zs = like(your_zs, zs, "Zs", "forward", function)
        your_activations = like(your_activations, activations, "As", "forward", function)
        gap, (i, index) = largest_gap(your_zs + your_activations[1:], zs + activations[1:])  # every layer
        L = len(zs)
        self.difference["forward"] = gap
        self.where["forward"] = (f"in {'Zs' if i < L else 'As'}[{i if i < L else i - L + 1}] at x = ("
                                 + ", ".join(f"{v:.3g}" for v in X[index[0]]) + ")") if index else ""
        return your_zs, your_activations

    def backpropagate(self, delta, zs, activations):
        dWs, dbs = super().backpropagate(delta, zs, activations)
        if "backward" not in self.yours:
            return dWs, dbs
        function = self.yours["backward"]
        f_prime = act.get(self.activation)[1]
        result = call("backward", function, delta.copy(), copies(zs), copies(activations), copies(self.weights),
                      f_prime)
        your_dWs, your_dbs = pair(result, "backward", function)
        your_dWs = like(your_dWs, dWs, "dWs", "backward", function)
        your_dbs = like(your_dbs, dbs, "dbs", "backward", function)
        gap_W, gap_b = largest_gap(your_dWs, dWs), largest_gap(your_dbs, dbs)
        kind, (gap, (l, index)) = ("dW", gap_W) if gap_W[0] >= gap_b[0] else ("db", gap_b)
        self.difference["backward"] = gap
        self.where["backward"] = f"in {kind}{l + 1}[{', '.join(str(int(i)) for i in index)}]"
        return your_dWs, your_dbs

    def optimizer(self, lr, momentum):
        if "step" in self.yours and momentum:
            raise ValueError(f"your {name_of('step', self.yours['step'])} takes plain steps; got momentum={momentum}: "
                             "use momentum=0, or step=None for nnlib's momentum")
        if "step" not in self.yours:
            return super().optimizer(lr, momentum)
        return YourStep(self, lr)

    def same(self, gap):
        """Return True if gap is rounding: below 1e-9, or a hundred rounding steps when training in float32."""
        return gap < max(SAME, 100 * np.finfo(self.weights[0].dtype).eps)

    def report(self):
        """Return one line per function of yours in use: how far its latest result was from nnlib's."""
        lines = []
        for kind, function in self.yours.items():
            gap, name = self.difference.get(kind), name_of(kind, function)
            if gap is None:
                lines.append(f"your {name}: in use; how far it is from nnlib's shows once it has run (train a step)")
                continue
            lines.append(f"your {name}: matches nnlib's (largest difference {gap:.1g})" if self.same(gap) else
                         f"your {name}: differs from nnlib's by up to {gap:.3g} {self.where[kind]}")
        return lines


class YourStep(SGD):
    """Plain SGD whose step is yours: ``sgd_step(params, grads, lr) -> new_params``."""

    def __init__(self, net, lr):
        super().__init__(lr)
        self.net = net

    def step(self, params, grads):
        want = super().step(params, grads)
        function = self.net.yours["step"]
        result = call("step", function, copies(params), copies(grads), self.lr)
        got = like(result, want, "the new params", "step", function)
        gap, (i, index) = largest_gap(got, want)
        self.net.difference["step"] = gap
        L = len(params) // 2  # params are the weights, then the biases
        self.net.where["step"] = f"in the new {'W' if i < L else 'b'}{i % L + 1}"
        return got
