"""The explorers run a learner's own functions: correct ones match nnlib, buggy ones show their bug."""

import re

import numpy as np
import pytest

import nnlib
from nnlib import activations, datasets
from nnlib.explorers import BackpropStepper, HiddenLayerExplorer, LossExplorer, Playground
from nnlib.yours import YourCodeError, YourMLP


# ----- a learner's functions, as the lessons' solutions write them, and typical bugs -----------------
def mlp_forward(X, weights, biases, f, f_out):
    Zs, As = [], [X]
    for l, (W, b) in enumerate(zip(weights, biases)):
        Z = As[-1] @ W + b
        Zs.append(Z)
        As.append(f_out(Z) if l == len(weights) - 1 else f(Z))
    return Zs, As


def mlp_backward(dZ, Zs, As, weights, f_prime):
    dWs, dbs = [None] * len(weights), [None] * len(weights)
    for l in reversed(range(len(weights))):
        dWs[l], dbs[l] = As[l].T @ dZ, dZ.sum(axis=0)
        if l > 0:
            dZ = (dZ @ weights[l].T) * f_prime(Zs[l - 1])
    return dWs, dbs


def sgd_step(params, grads, lr):
    return [p - lr * g for p, g in zip(params, grads)]


def forward_without_bias(X, weights, biases, f, f_out):
    return mlp_forward(X, weights, [0 * b for b in biases], f, f_out)


def backward_without_f_prime(dZ, Zs, As, weights, f_prime):
    return mlp_backward(dZ, Zs, As, weights, lambda z: np.ones_like(z))


def step_uphill(params, grads, lr):
    return [p + lr * g for p, g in zip(params, grads)]


def raises(*args):
    raise NameError("name 'sigmod' is not defined")


XOR = datasets.logic_gate("xor")
MOONS = datasets.moons(30, noise=0.1, seed=0)


# ----- the network ---------------------------------------------------------------------------------
def test_learner_functions_train_exactly_as_nnlib():
    X, y = datasets.moons(100, noise=0.1, seed=0)
    reference = nnlib.MLP([2, 5, 4, 1], seed=1)
    reference.fit(X, y, epochs=5, lr=0.3, batch_size=10)
    yours = YourMLP([2, 5, 4, 1], seed=1, forward=mlp_forward, backward=mlp_backward, step=sgd_step)
    yours.fit(X, y, epochs=5, lr=0.3, batch_size=10)
    for W, V in zip(reference.weights + reference.biases, yours.weights + yours.biases):
        np.testing.assert_allclose(V, W, rtol=1e-12, atol=1e-14)
    assert all(line.startswith("your ") and "matches nnlib's" in line for line in yours.report())


def test_differences_say_how_far_and_where():
    net = YourMLP([2, 3, 1], seed=2, forward=forward_without_bias, backward=backward_without_f_prime)
    net.biases = [np.full(3, 0.5), np.full(1, -0.5)]
    net.gradients(*XOR)
    forward, backward = net.report()
    assert forward.startswith("your forward_without_bias: differs from nnlib's by up to ") and "at x = (" in forward
    assert backward.startswith("your backward_without_f_prime: differs from nnlib's by up to ")
    assert " in dW1[" in backward
    assert net.difference["forward"] > 0.05 and net.difference["backward"] > 1e-3


@pytest.mark.parametrize(("function", "words"), [
    (raises, "your raises raised NameError: name 'sigmod' is not defined"),
    (lambda X, W, b, f, fo: ..., "your mlp_forward is not written yet (it returns Ellipsis)"),
    (lambda X, W, b, f, fo: mlp_forward(X, W, b, f, fo)[1], "should return a pair"),
    (lambda X, W, b, f, fo: (mlp_forward(X, W, b, f, fo)[0][:1], mlp_forward(X, W, b, f, fo)[1]),
     "should give Zs as a list of 2 arrays"),
    (lambda X, W, b, f, fo: ([Z.T for Z in mlp_forward(X, W, b, f, fo)[0]], mlp_forward(X, W, b, f, fo)[1]),
     "your mlp_forward gave Zs[0] of shape (2, 4); it should be (4, 2)"),
])
def test_a_broken_forward_gets_a_message_naming_it(function, words):
    net = YourMLP([2, 2, 1], forward=function)
    with pytest.raises(YourCodeError, match=re.escape(words)):
        net.forward(XOR[0])


def test_misuse_of_the_functions_is_named():
    with pytest.raises(TypeError, match="forward must be your function itself, such as forward=mlp_forward"):
        YourMLP([2, 1], forward=mlp_forward(XOR[0], [np.ones((2, 1))], [np.zeros(1)], np.tanh, np.tanh))
    with pytest.raises(TypeError, match="unexpected keyword argument 'backwards'"):
        YourMLP([2, 1], backwards=mlp_backward)
    stepper = BackpropStepper(*MOONS)
    with pytest.raises(KeyError, match="'backwards' is not a function this can run \\(did you mean 'backward'\\?\\)"):
        stepper.use(backwards=mlp_backward)


# ----- three explorers on a learner's code -----------------------------------------------------------
def test_hidden_layer_explorer_runs_the_learners_forward(capsys):
    reference = HiddenLayerExplorer(*XOR)
    correct = HiddenLayerExplorer(*XOR, forward=mlp_forward)
    assert "your mlp_forward: matches nnlib's" in capsys.readouterr().out
    assert correct.png == reference.png and correct.loss == reference.loss
    assert "your mlp_forward: matches nnlib&#x27;s" in correct.readout.value and correct.difference["forward"] < 1e-12
    buggy = HiddenLayerExplorer(*XOR, forward=forward_without_bias)
    assert buggy.png != reference.png and buggy.loss != reference.loss
    assert "differs from nnlib&#x27;s by up to 0.622 in Zs[1] at x = (0, 0)" in buggy.readout.value
    buggy.controls["b1"].value = 3.0  # moving a slider measures again
    assert buggy.difference["forward"] > 0.622 and "differs" in buggy.readout.value


def test_a_learners_exception_shows_and_the_explorer_keeps_working(capsys):
    explorer = HiddenLayerExplorer(*XOR, forward=raises)  # never a traceback, even in the constructor
    assert "your raises raised NameError" in explorer.readout.value and "went back to nnlib's own" in explorer.message
    assert capsys.readouterr().out.startswith("❌ your raises raised NameError")
    assert explorer.yours == {}
    explorer.controls["w11"].value = 4.0  # still alive, on nnlib's functions
    assert explorer.state["w11"] == 4.0 and "⚠" not in explorer.readout.value
    explorer.use(forward=mlp_forward)  # the fixed function
    assert "matches nnlib&#x27;s" in explorer.readout.value
    explorer.use(forward=None)
    assert "your" not in explorer.readout.value and "Back to nnlib's own functions." in capsys.readouterr().out


def test_what_use_prints_is_what_the_readout_says(capsys):
    stepper = BackpropStepper(*MOONS)
    stepper.state = {"step": 20}
    stepper.use(backward=backward_without_f_prime)
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("your backward_without_f_prime: differs") and printed.replace("'", "&#x27;") in \
        stepper.readout.value


def test_backprop_stepper_runs_the_learners_backward():
    reference = BackpropStepper(*MOONS)
    correct = BackpropStepper(*MOONS, forward=mlp_forward, backward=mlp_backward)
    buggy = BackpropStepper(*MOONS, backward=backward_without_f_prime)
    for stepper in (reference, correct, buggy):
        stepper.state = {"step": 20, "stage": 5}
    assert correct.png == reference.png and correct.loss == reference.loss
    assert "your mlp_backward: matches nnlib&#x27;s" in correct.readout.value
    assert "your mlp_forward: matches nnlib&#x27;s" in correct.readout.value
    assert buggy.png != reference.png and buggy.loss != reference.loss  # trained on the wrong gradients
    assert "your backward_without_f_prime: differs from nnlib&#x27;s by up to" in buggy.readout.value
    assert buggy.difference["backward"] > 1e-3
    buggy.use(backward=mlp_backward)  # the fix retrains the steps with it
    assert buggy.png == reference.png and "matches" in buggy.readout.value


def test_playground_trains_on_the_learners_functions():
    settings = {"dataset": "circles", "data_seed": 3}
    reference = Playground(**settings)
    correct = Playground(**settings, forward=mlp_forward, backward=mlp_backward, step=sgd_step)
    buggy = Playground(**settings, step=step_uphill)
    assert "your step_uphill: in use" in buggy.readout.value
    for playground in (reference, correct, buggy):
        for _ in range(3):
            playground.tick()
    assert correct.png == reference.png and correct.history == reference.history
    assert correct.readout.value.count("matches nnlib&#x27;s") == 3
    assert buggy.png != reference.png and buggy.history["train_loss"][-1] > reference.history["train_loss"][-1]
    assert "your step_uphill: differs from nnlib&#x27;s by up to" in buggy.readout.value
    assert "in the new W" in buggy.readout.value or "in the new b" in buggy.readout.value


def test_explorers_without_hooks_say_so():
    explorer = LossExplorer(*datasets.blobs(40, seed=0))
    with pytest.raises(KeyError, match="runs nnlib's own functions only"):
        explorer.use(forward=mlp_forward)
    assert "runs nnlib&#x27;s own functions only" in explorer.readout.value


def test_softmax_output_networks_use_the_learners_functions_too():
    X, y = datasets.digits()
    X, y = X[:100] / 16, y[:100]
    reference = nnlib.MLP([64, 16, 10], activation="relu", output="softmax", seed=0)
    yours = YourMLP([64, 16, 10], activation="relu", output="softmax", seed=0, forward=mlp_forward,
                    backward=mlp_backward, step=sgd_step)
    for net in (reference, yours):
        net.fit(X, y, epochs=2, lr=0.1, batch_size=20)
    np.testing.assert_allclose(yours.weights[0], reference.weights[0], rtol=1e-12, atol=1e-14)
    assert activations.softmax is not None


def test_an_unwritten_function_asks_for_it_without_alarm(capsys):
    def mlp_forward(X, weights, biases, f, f_out):
        ...

    explorer = HiddenLayerExplorer(*XOR, forward=mlp_forward)
    assert capsys.readouterr().out.startswith("⏳ your mlp_forward is not written yet (it returns None)")
    assert "Error" not in explorer.readout.value and explorer.yours == {}


def test_a_buggy_step_is_blamed_when_the_loss_rises_not_the_learning_rate():
    playground = Playground(dataset="xor", lr=0.3, step=step_uphill)
    for _ in range(30):
        playground.tick()
    assert playground.stopped.startswith("The loss ") and "your step_uphill differs from nnlib's, so training is " \
        "paused. Fix it, call use() again and press Restart." in playground.stopped
    assert "smaller learning rate" not in playground.stopped


def test_the_learners_functions_get_copies_and_a_diverging_run_blames_no_one():
    def greedy_forward(X, weights, biases, f, f_out):
        weights[0] *= 2  # changes what it was given
        X[:] = 0
        return mlp_forward(X, weights, biases, f, f_out)

    net = YourMLP([2, 3, 1], seed=0, forward=greedy_forward)
    W, X = net.weights[0].copy(), XOR[0].copy()
    net.forward(X)
    assert np.array_equal(net.weights[0], W) and np.array_equal(X, XOR[0])  # nnlib's arrays are untouched
    X_reg = np.linspace(-1, 1, 40).reshape(20, 2)
    correct = YourMLP([2, 8, 8, 1], activation="relu", output="linear", forward=mlp_forward, backward=mlp_backward,
                      step=sgd_step)
    correct.fit(X_reg, X_reg.sum(axis=1), epochs=20, lr=30.0)  # blows up: nnlib's own numbers are not finite
    assert all(correct.same(gap) for gap in correct.difference.values()), correct.difference


def test_wrong_hidden_sums_do_not_pass_as_a_match():
    def sums_as_activations(X, weights, biases, f, f_out):
        Zs, As = mlp_forward(X, weights, biases, f, f_out)
        return [As[1], Zs[1]], As  # the hidden layer's activation stored as its sum

    net = YourMLP([2, 3, 1], forward=sums_as_activations)
    net.forward(XOR[0])
    assert not net.same(net.difference["forward"])


def test_the_playground_tries_a_backward_pass_as_soon_as_it_is_plugged_in(capsys):
    def mlp_backward(dZ, Zs, As, weights, f_prime):
        ...

    playground = Playground()
    playground.use(backward=mlp_backward)
    assert capsys.readouterr().out.startswith("⏳ your mlp_backward is not written yet")
    assert playground.yours == {}
    with pytest.raises(ValueError, match="takes plain steps; got momentum=0.9"):
        YourMLP([2, 1], step=sgd_step).fit(*XOR, momentum=0.9)
