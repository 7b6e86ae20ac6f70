"""Feedback for the lessons' exercises.

Each check returns a Feedback: shown in a notebook it reads as a short verdict
with a hint, and it counts as True or False, so the tests run the published
solutions through the very same checks.
"""

import warnings

import numpy as np

from . import activations, datasets, losses
from .layer import dense_forward
from .network import MLP, two_two_one

NOT_ANSWERED = "⏳ Not answered yet: replace the ... with your answer and run the cell again."


class Feedback:
    """The verdict of a check: true when the answer is right; shows as its message."""

    def __init__(self, ok, message):
        self.ok, self.message = bool(ok), message

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return self.message


def _call(function, *args):
    """Return (result, None), or (None, a Feedback) when the learner's function is blank or fails."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = function(*args)
        return (None, Feedback(False, NOT_ANSWERED)) if _unanswered(result) else (result, None)
    except NotImplementedError:
        return None, Feedback(False, NOT_ANSWERED)
    except Exception as err:  # noqa: BLE001 - a learner's bug becomes feedback, not a traceback
        return None, Feedback(False, f"❌ Not yet. Your function raised {type(err).__name__}: {err}")


def _unanswered(*answers):
    return any(a is Ellipsis or a is None for a in answers)


def _verdict(ok, success, hint):
    return Feedback(ok, f"✅ Correct! {success}" if ok else f"❌ Not yet. {hint}")


def check_weighted_sum(weighted_sum):
    """Check a learner's weighted_sum(x, w, b) against w . x + b on a few cases."""
    cases = [([1.0, 2.0], [0.5, -1.0], 0.25), ([0.0, 0.0], [3.0, 4.0], -2.0), ([2.0, -1.0, 3.0], [1.0, 1.0, 1.0], 0.5)]
    got, failed = _call(lambda: [weighted_sum(np.array(x), np.array(w), b) for x, w, b in cases])
    if failed is not None:
        return failed
    if _unanswered(*got):
        return Feedback(False, NOT_ANSWERED)
    want = [float(np.dot(x, w) + b) for x, w, b in cases]
    try:
        ok = np.allclose(np.asarray(got, dtype=float), want)
    except (TypeError, ValueError):
        ok = False
    return _verdict(ok, "z = w1 x1 + w2 x2 + ... + b, for any number of inputs.",
                    f"For x={cases[0][0]}, w={cases[0][1]}, b={cases[0][2]} you returned {got[0]!r}; "
                    f"expected {want[0]}. Hint: multiply matching entries, add them up, then add b "
                    "(np.dot(x, w) does the first two).")


def check_gate(name, w1, w2, b):
    """Check that a step neuron with weights (w1, w2) and bias b computes the gate `name`."""
    if _unanswered(w1, w2, b):
        return Feedback(False, NOT_ANSWERED)
    X, y = datasets.logic_gate(name)
    _, a = dense_forward(X, np.array([[w1], [w2]], float), np.array([b], float), "step")
    wrong = [tuple(int(v) for v in x) for x, got, want in zip(X, a[:, 0], y) if got != want]
    return _verdict(not wrong, f"This neuron computes {name.upper()}.",
                    f"It gets {wrong} wrong. Hint: the neuron fires when w1 x1 + w2 x2 + b >= 0; "
                    "write that inequality for each of the four rows and pick numbers that satisfy all four.")


def check_sigmoid_derivative(sigmoid_derivative):
    """Check a learner's sigmoid_derivative(z) against sigmoid(z) (1 - sigmoid(z))."""
    z = np.array([-3.0, -0.5, 0.0, 2.0, 10.0])
    got, failed = _call(sigmoid_derivative, z)
    if failed is not None:
        return failed
    want = activations.sigmoid_derivative(z)
    ok = np.shape(got) == z.shape and np.allclose(got, want)
    seed_bug = np.allclose(got, activations.sigmoid_derivative(activations.sigmoid(z)))
    hint = ("That is the derivative taken at the neuron's output, the bug of seed 004: "
            "apply the formula to z itself." if seed_bug else
            "Hint: with s = sigmoid(z), the derivative is s * (1 - s); at z = 0 it is 0.25.")
    return _verdict(bool(ok), "sigmoid'(z) = sigmoid(z) (1 - sigmoid(z)), largest (0.25) at z = 0.", hint)


def check_learning_rate(lr):
    """Check that with learning rate lr one sigmoid neuron learns OR (loss < 0.1) within 20 epochs."""
    if _unanswered(lr):
        return Feedback(False, NOT_ANSWERED)
    if isinstance(lr, (int, float)) and lr > 1000:
        return _verdict(False, "", f"lr={lr:g} may well reach the target, but only because one neuron on "
                        "separable data cannot overshoot for long: its weights just race to huge values. "
                        "In any deeper network such a rate blows up. Find one below 1000.")
    X, y = datasets.logic_gate("or")
    net = MLP([2, 1], output="sigmoid", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # divergence is reported below, in words
        history = net.fit(X, y, epochs=20, lr=lr)
    if history["stopped"]:
        return _verdict(False, "", f"With lr={lr} training blew up: the steps are far too large. Try a smaller lr.")
    reached = next((i + 1 for i, v in enumerate(history["loss"]) if v < 0.1), None)
    if reached is None:
        return _verdict(False, "", f"With lr={lr} the loss is still {history['loss'][-1]:.3f} after 20 epochs. "
                        "Hint: the steps are too small; try a learning rate ten times larger.")
    return _verdict(True, f"With lr={lr} the loss falls below 0.1 in epoch {reached}.", "")


# ----- lesson 02 -------------------------------------------------------------------------------
def check_shapes(W0, b0, W1, b1, output):
    """Check the shapes of MLP([4, 6, 3])'s parameters and of its output for 10 samples."""
    if _unanswered(W0, b0, W1, b1, output):
        return Feedback(False, NOT_ANSWERED)
    net = MLP([4, 6, 3], output="softmax")
    want = [net.weights[0].shape, net.biases[0].shape, net.weights[1].shape, net.biases[1].shape, (10, 3)]
    names = ["weights[0]", "biases[0]", "weights[1]", "biases[1]", "the output"]
    got = [tuple(v) if isinstance(v, (tuple, list)) else v for v in (W0, b0, W1, b1, output)]
    wrong = [f"{n} is {w}, not {g}" for n, g, w in zip(names, got, want) if g != w]
    return _verdict(not wrong, "A layer from n_in to n_out neurons has W of shape (n_in, n_out) and b of (n_out,).",
                    "; ".join(wrong[:1]) + ". Hint: W maps a row of n_in inputs to n_out weighted sums.")


def check_layer_forward(layer_forward):
    """Check a learner's layer_forward(A_prev, W, b) = sigmoid(A_prev @ W + b) for a whole batch."""
    rng = np.random.default_rng(0)
    A_prev, W, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    got, failed = _call(layer_forward, A_prev, W, b)
    if failed is not None:
        return failed
    want = dense_forward(A_prev, W, b, "sigmoid")[1]
    if np.shape(got) != want.shape:
        return _verdict(False, "", f"For 5 samples into 4 neurons the result should have shape {want.shape}, "
                        f"got {np.shape(got)}. Hint: A_prev @ W is (5, 3) @ (3, 4).")
    return _verdict(np.allclose(got, want), "One matrix product computes every neuron for every sample.",
                    "The shape is right but the numbers are not. Hint: sigmoid(A_prev @ W + b).")


def check_xor_network(state):
    """Check that the 2-2-1 network of a HiddenLayerExplorer state computes XOR."""
    if _unanswered(state) or not isinstance(state, dict):
        return Feedback(False, NOT_ANSWERED)
    X, y = datasets.logic_gate("xor")
    net = two_two_one(state, state.get("hidden", "sigmoid"))
    accuracy = net.accuracy(X, y)
    return _verdict(accuracy == 1.0, "Two lines and a third neuron that combines them: XOR, which no single "
                    "neuron can compute.",
                    f"This network gets {accuracy:.0%} of the XOR table right. Hint: make hidden neuron 1 an OR, "
                    "hidden neuron 2 a NAND, and the output an AND of the two.")


# ----- lesson 03 -------------------------------------------------------------------------------
def check_mse_value(value):
    """Check the mean squared error (1/2 convention) of y = [1, 0, 1] against y_hat = [0.8, 0.3, 0.6]."""
    if _unanswered(value):
        return Feedback(False, NOT_ANSWERED)
    want = losses.mse(np.array([[0.8], [0.3], [0.6]]), np.array([[1.0], [0.0], [1.0]]))
    try:
        ok = bool(np.isclose(float(value), want))
    except (TypeError, ValueError):
        ok = False
    halves = "" if not np.isclose(float(value or 0), 2 * want) else " That is twice the answer: don't forget the 1/2."
    return _verdict(ok, f"1/(2n) * sum of squares = {want:.5f}.",
                    f"Expected {want:.5f}, got {value!r}.{halves} Hint: 0.5 * np.mean((y_hat - y) ** 2).")


def check_stable_softmax(softmax):
    """Check a learner's softmax on ordinary and on very large inputs."""
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]])
    got, failed = _call(softmax, z)
    if failed is not None:
        return failed
    want = activations.softmax(z)
    ok = np.shape(got) == z.shape and np.all(np.isfinite(got)) and np.allclose(got, want)
    hint = ("It returns NaN for inputs near 1000: exp(1000) overflows. Hint: subtract each row's maximum first."
            if np.shape(got) == z.shape and not np.all(np.isfinite(got)) else
            "Hint: exp of each entry, divided by the sum of its row (axis=1, keepdims=True).")
    return _verdict(ok, "Rows sum to 1, and nothing overflows.", hint)


def check_gradients_at_confident_mistake(mse_slope, cross_entropy_slope):
    """Check dL/dz of MSE and of cross-entropy for a sigmoid neuron with z = -5 on a sample with y = 1."""
    if _unanswered(mse_slope, cross_entropy_slope):
        return Feedback(False, NOT_ANSWERED)
    a = float(activations.sigmoid(np.array(-5.0)))
    want_mse, want_ce = (a - 1) * a * (1 - a), a - 1
    ok = np.isclose(mse_slope, want_mse, rtol=1e-3) and np.isclose(cross_entropy_slope, want_ce, rtol=1e-3)
    return _verdict(ok, f"MSE's slope is {want_mse:.5f}, cross-entropy's {want_ce:.5f}: about 150 times steeper "
                    "where the neuron is confidently wrong.",
                    "Hint: a = sigmoid(-5). For MSE (one sample) dL/dz = (a - y) * a * (1 - a); for "
                    "cross-entropy the a(1 - a) cancels and dL/dz = a - y.")


# ----- lesson 04 -------------------------------------------------------------------------------
def check_one_neuron_gradient(dL_dw1, dL_dw2, dL_db):
    """Check the gradient of a sigmoid neuron's cross-entropy at x = (1, 2), w = (0.5, -0.5), b = 0.5, y = 1."""
    if _unanswered(dL_dw1, dL_dw2, dL_db):
        return Feedback(False, NOT_ANSWERED)
    net = MLP([2, 1], output="sigmoid")
    net.weights, net.biases = [np.array([[0.5], [-0.5]])], [np.array([0.5])]
    dWs, dbs = net.gradients(np.array([[1.0, 2.0]]), np.array([1.0]))
    want = [dWs[0][0, 0], dWs[0][1, 0], dbs[0][0]]
    ok = np.allclose([dL_dw1, dL_dw2, dL_db], want)
    return _verdict(ok, f"z = 0, a = 0.5, dL/dz = a - y = -0.5, so dL/dw = (a - y) x = ({want[0]}, {want[1]}) "
                    f"and dL/db = {want[2]}.",
                    "Hint: first z = w . x + b and a = sigmoid(z); then dL/dz = a - y; then multiply by "
                    "dz/dw1 = x1, dz/dw2 = x2 and dz/db = 1.")


def check_dense_backward(dense_layer_backward):
    """Check a learner's dense_layer_backward(dZ, A_prev, W) -> (dW, db, dA_prev) against central differences."""
    from .gradcheck import numerical_gradient, relative_error

    rng = np.random.default_rng(1)
    A_prev, W, b, G = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2), rng.normal(size=(4, 2))
    got, failed = _call(dense_layer_backward, G, A_prev, W)
    if failed is not None:
        return failed
    if _unanswered(got) or (isinstance(got, tuple) and _unanswered(*got)):
        return Feedback(False, NOT_ANSWERED)

    def loss():  # a loss whose dL/dZ is exactly G
        return float(np.sum(G * (A_prev @ W + b)))

    want = [numerical_gradient(loss, W), numerical_gradient(loss, b), numerical_gradient(loss, A_prev)]
    names = ["dW", "db", "dA_prev"]
    if not isinstance(got, tuple) or len(got) != 3:
        return _verdict(False, "", "Return three arrays: dW, db, dA_prev.")
    problems = []
    for name, g, n in zip(names, got, want):
        if np.shape(g) != n.shape:
            problems.append(f"{name} has shape {np.shape(g)}, expected {n.shape}")
        elif relative_error(g, n) > 1e-6:
            problems.append(f"{name} differs from the numerical gradient (relative error {relative_error(g, n):.1e})")
    return _verdict(not problems, "All three match the numerical gradient check.",
                    "; ".join(problems) + ". Hint: dW = A_prev.T @ dZ, db = dZ summed over samples, "
                    "dA_prev = dZ @ W.T.")


def check_bias_gradient(bias_gradient):
    """Check a fix for seed 002's bias gradient: dZ has one column per sample; return (n_units, 1)."""
    dZ = np.array([[0.2, -0.1, 0.4], [-0.3, 0.5, 0.1]])  # 2 units, 3 samples
    got, failed = _call(bias_gradient, dZ, 3)
    if failed is not None:
        return failed
    want = dZ.sum(axis=1, keepdims=True) / 3
    if np.ndim(got) == 0:
        return _verdict(False, "", "That is one number for every unit: seed 002's bug. Each unit needs its own "
                        "bias gradient: sum over the samples only (axis=1), keeping the column shape.")
    ok = np.shape(got) == want.shape and np.allclose(got, want)
    return _verdict(ok, "One bias gradient per unit: the mean over the samples of that unit's dZ.",
                    f"Expected shape {want.shape} with values {want.ravel()}, got {np.asarray(got).ravel()} "
                    "in shape " + str(np.shape(got)) + ". Hint: dZ.sum(axis=1, keepdims=True) / m.")


# ----- lesson 05 -------------------------------------------------------------------------------
def check_iterations(iterations_per_epoch, total_iterations):
    """Check the iterations of training 1347 samples in batches of 32 for 20 epochs."""
    if _unanswered(iterations_per_epoch, total_iterations):
        return Feedback(False, NOT_ANSWERED)
    per_epoch = -(-1347 // 32)  # the last batch is smaller, but it is still a step
    ok = iterations_per_epoch == per_epoch and total_iterations == 20 * per_epoch
    hint = ("Hint: 1347 / 32 = 42.1, and the 3 samples left over make a 43rd, smaller batch."
            if iterations_per_epoch == 42 else "Hint: one iteration per batch; one epoch sees every sample once.")
    return _verdict(ok, f"{per_epoch} iterations per epoch, {20 * per_epoch} in all.", hint)


def overfitting_setup():
    """Return (X_train, y_train, X_test, y_test): few, noisy moons, on which a big network overfits."""
    X, y = datasets.moons(200, noise=0.35, seed=3)
    X_train, X_test, y_train, y_test = datasets.train_test_split(X, y, test_fraction=0.8, seed=3)
    return X_train, y_train, X_test, y_test


def test_accuracy_with_l2(l2):
    """Return the test accuracy of the lesson's big network on overfitting_setup() with this L2 strength."""
    X_train, y_train, X_test, y_test = overfitting_setup()
    net = MLP([2, 64, 64, 1], activation="relu", seed=0)
    net.fit(X_train, y_train, epochs=600, lr=0.1, batch_size=10, momentum=0.9, l2=l2)
    return net.accuracy(X_test, y_test)


test_accuracy_with_l2.__test__ = False  # not a pytest test, despite its name


def check_l2_helps(l2):
    """Check that this L2 strength raises the overfitting network's test accuracy by at least 2 points."""
    if _unanswered(l2):
        return Feedback(False, NOT_ANSWERED)
    if not isinstance(l2, (int, float)) or l2 < 0:
        return _verdict(False, "", f"l2 must be a number of at least 0, got {l2!r}.")
    base, got = test_accuracy_with_l2(0.0), test_accuracy_with_l2(float(l2))
    ok = got >= base + 0.02
    return _verdict(ok, f"Test accuracy {base:.1%} without L2, {got:.1%} with l2 = {l2:g}.",
                    f"Test accuracy {got:.1%} with l2 = {l2:g}, against {base:.1%} without. "
                    + ("Too strong: the network can no longer fit even the training data; try less."
                       if got < base else "Hint: try values between 0.001 and 0.1."))


def check_most_confused(true_digit, predicted_digit, confusion):
    """Check the largest off-diagonal entry of a confusion matrix was read correctly."""
    if _unanswered(true_digit, predicted_digit):
        return Feedback(False, NOT_ANSWERED)
    C = np.array(confusion, dtype=int)
    off = C - np.diag(np.diag(C))
    i, j = np.unravel_index(off.argmax(), off.shape)
    ok = off[true_digit, predicted_digit] == off.max()
    return _verdict(ok, f"{off.max()} images of a {i} were read as a {j}: the most common mistake.",
                    f"Row {true_digit}, column {predicted_digit} holds {off[true_digit, predicted_digit]}; "
                    "look for the largest number off the diagonal (rows: the true digit).")
