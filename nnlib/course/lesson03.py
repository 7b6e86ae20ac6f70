"""The exercise checks of lesson 03: loss."""

import numpy as np

from .. import activations, checks, datasets, losses
from ..network import MLP
from .feedback import (
    NOT_ANSWERED,
    Feedback,
    _numbers,
    _unanswered,
    _verdict,
    answer_check,
)


@answer_check
def check_mse_value(value):
    """Check the mean squared error (1/2 convention) of y = [1, 0, 1] against y_hat = [0.8, 0.3, 0.6]."""
    if _unanswered(value):
        return Feedback(False, NOT_ANSWERED)
    value = checks.number(value, "the loss", example=0.5)  # a string or a list: ❌ saying what is expected
    want = losses.mse(np.array([[0.8], [0.3], [0.6]]), np.array([[1.0], [0.0], [1.0]]))
    ok = bool(np.isclose(value, want))
    halves = "" if not np.isclose(value, 2 * want) else " That is twice the answer: don't forget the 1/2."
    return _verdict(ok, f"1/(2n) * sum of squares = {want:.5f}.",
                    f"Expected {want:.5f}, got {value!r}.{halves} Hint: 0.5 * np.mean((y_hat - y) ** 2).")


@answer_check
def check_gradients_at_confident_mistake(mse_slope, cross_entropy_slope):
    """Check dL/dz of MSE and of cross-entropy for a sigmoid neuron with z = -5 on a sample with y = 1."""
    if _unanswered(mse_slope, cross_entropy_slope):
        return Feedback(False, NOT_ANSWERED)
    mse_slope, cross_entropy_slope = _numbers(mse_slope=mse_slope, cross_entropy_slope=cross_entropy_slope)
    a = float(activations.sigmoid(np.array(-5.0)))
    want_mse, want_ce = (a - 1) * a * (1 - a), a - 1
    ok = np.isclose(mse_slope, want_mse, rtol=1e-3) and np.isclose(cross_entropy_slope, want_ce, rtol=1e-3)
    return _verdict(ok, f"MSE's slope is {want_mse:.5f}, cross-entropy's {want_ce:.5f}: about 150 times steeper "
                    "where the neuron is confidently wrong.",
                    "Hint: a = sigmoid(-5). For MSE (one sample) dL/dz = (a - y) * a * (1 - a); for "
                    "cross-entropy the a(1 - a) cancels and dL/dz = a - y.")


# Two predictions for one sample of class 0 (of four): A is surer of the true class, B spreads its doubt.
PREDICTIONS = {"A": np.array([[0.70, 0.28, 0.01, 0.01]]), "B": np.array([[0.67, 0.11, 0.11, 0.11]])}
TRUE_CLASS_0 = np.array([[1.0, 0.0, 0.0, 0.0]])


def costs(loss):
    """Return {"A": loss of prediction A, "B": ...} for one of nnlib's losses."""
    return {name: loss(p, TRUE_CLASS_0) for name, p in PREDICTIONS.items()}


def _letter(answer):
    """Return "A" or "B" from an answer such as "a" or " B ", or None for anything else."""
    if isinstance(answer, str) and answer.strip().upper() in PREDICTIONS:
        return answer.strip().upper()
    return None


@answer_check
def check_costlier_prediction(costlier_under_cross_entropy, costlier_under_mse):
    """Check the predictions of which of A and B costs more under cross-entropy and under MSE."""
    if _unanswered(costlier_under_cross_entropy, costlier_under_mse):
        return Feedback(False, NOT_ANSWERED)
    ce_answer, mse_answer = _letter(costlier_under_cross_entropy), _letter(costlier_under_mse)
    for name, answer, letter in [("costlier_under_cross_entropy", costlier_under_cross_entropy, ce_answer),
                                 ("costlier_under_mse", costlier_under_mse, mse_answer)]:
        if letter is None:
            return _verdict(False, "", f'Answer {name} with "A" or "B", in quotes; got {checks.describe(answer)}.')
    ce, mse = costs(losses.categorical_cross_entropy), costs(losses.mse)
    hints = []
    if ce_answer != max(ce, key=ce.get):
        hints.append("Cross-entropy looks only at the probability of the true class, -log p(class 0): "
                     "A gives it 0.70, B only 0.67.")
    if mse_answer != max(mse, key=mse.get):
        hints.append("Mean squared error adds the squared error of every class: A's 0.28 on one wrong class "
                     "costs 0.28² = 0.078, B's three 0.11 together only 0.036; that 0.042 outweighs B's larger "
                     "error at the true class (0.33² - 0.30² = 0.019).")
    return _verdict(not hints, f"Cross-entropy charges B more ({ce['B']:.4f} against {ce['A']:.4f}), mean "
                    f"squared error charges A more ({mse['A']:.4f} against {mse['B']:.4f}).", " ".join(hints))


@answer_check
def check_score_gradient(dL_dz):
    """Check dL/dz of softmax with cross-entropy for the scores z = (0, 0, ln 2) of a sample of class 0."""
    if _unanswered(dL_dz) or (isinstance(dL_dz, (list, tuple)) and _unanswered(*dL_dz)):
        return Feedback(False, NOT_ANSWERED)
    got = np.asarray(dL_dz, dtype=float).reshape(-1)
    z, y = np.array([0.0, 0.0, np.log(2.0)]), np.array([1.0, 0.0, 0.0])
    p = activations.softmax(z[None, :])[0]  # (1/4, 1/4, 1/2)
    want = p - y
    if got.shape != (3,):
        return _verdict(False, "", f"Give three numbers, dL/dz_0, dL/dz_1, dL/dz_2; got {got.size}.")
    mistakes = [(y - p, "Its sign is flipped: the gradient is p - y, not y - p."),
                (p, "That is p itself: subtract y, which is 1 at the true class 0."),
                (-y / p, "That is dL/dp, the derivative with respect to the probabilities; the question asks for "
                         "dL/dz: go on through softmax's Jacobian (the derivation above)."),
                (want * (y == 1), "Only the true class's score? Raising z_1 or z_2 takes probability away from "
                                  "class 0 too, so their slopes are not 0: dL/dz_k = p_k - y_k for every k.")]
    hint = next((hint for wrong, hint in mistakes if np.allclose(got, wrong, atol=2e-3)),
                "Hint: first p = softmax(z): e^0 = 1, e^0 = 1, e^(ln 2) = 2, so p = (1/4, 1/4, 1/2); then p - y.")
    return _verdict(np.allclose(got, want, atol=2e-3),
                    "p = (1/4, 1/4, 1/2), so dL/dz = p - y = (-3/4, 1/4, 1/2): gradient descent raises the true "
                    "class's score, and lowers most the score of the class the model wrongly favours.", hint)


def lesson_data():
    """The two clouds of the lesson's loss explorer."""
    return datasets.blobs(100, noise=0.8, seed=2)


@answer_check
def check_steep_mse(state):
    """Check a loss explorer state: loss mse, at most 10 % right, and |gradient| of at least 0.15."""
    if _unanswered(state):
        return Feedback(False, NOT_ANSWERED)
    if not isinstance(state, dict):
        return _verdict(False, "", "Give the explorer's state, a dict: loss_explorer.state; "
                        f"got {checks.describe(state)}.")
    missing = [key for key in ("w1", "w2", "b", "loss") if key not in state]
    if missing:
        return _verdict(False, "", f"The state is missing {missing}: give loss_explorer.state itself.")
    w1, w2, b = _numbers(w1=state["w1"], w2=state["w2"], b=state["b"])
    if state["loss"] != "mse":
        return _verdict(False, "", f"The loss is set to {checks.describe(state['loss'])}: the question is about "
                        "mean squared error. Switch the loss to mse.")
    X, y = lesson_data()
    net = MLP([2, 1], output="sigmoid", loss="mse")
    net.weights, net.biases = [np.array([[w1], [w2]])], [np.array([b])]
    accuracy, (dW, _) = net.accuracy(X, y), net.gradients(X, y)
    gradient = float(np.linalg.norm(dW[0]))
    if accuracy > 0.1:
        return _verdict(False, "", f"The neuron now gets {accuracy:.0%} of the points right: the question asks "
                        "for one as wrong as the preset (at most 10 %). Keep its boundary where the preset had it "
                        "(w1 = w2 > 0, b = 0) and change only the size of the weights.")
    if gradient < 0.15:
        return _verdict(False, "", f"|gradient| is {gradient:.4f}, below 0.15: for most points the sigmoid "
                        "is still out on its flat tails, near 0 or 1, where its slope a(1 - a) is small. Shrink "
                        "w1 and w2 towards 0, keeping their signs: the boundary stays, but the neuron becomes unsure.")
    return _verdict(True, f"{accuracy:.0%} right, yet |gradient| = {gradient:.4f}. Mean squared error's gradient "
                    "vanishes where the neuron is confident, not where it is wrong: wrong but unsure, it learns.", "")


@answer_check
def check_uniform_loss(value):
    """Check the categorical cross-entropy of a classifier that gives each of 10 classes probability 0.1."""
    if _unanswered(value):
        return Feedback(False, NOT_ANSWERED)
    value = checks.number(value, "the loss", example=1.0)
    want = float(np.log(10))
    mistakes = [(np.log(2), "That is log 2, the loss of answering 0.5 with two classes; here there are 10."),
                (0.1, "That is the probability; the loss is minus its logarithm."),
                (-want, "Minus the logarithm: log 0.1 is negative, the loss is not."),
                (1.0, "That is the logarithm in base 10; the loss uses the natural logarithm, np.log.")]
    hint = next((hint for wrong, hint in mistakes if np.isclose(value, wrong, atol=1e-3)),
                "Hint: every sample's true class gets probability 0.1, whichever it is.")
    return _verdict(np.isclose(value, want, atol=1e-3),
                    f"-log(1/10) = log 10 = {want:.4f}: the loss of knowing nothing about 10 classes. A "
                    "classifier whose loss is above it does worse than giving every class 0.1.", hint)
