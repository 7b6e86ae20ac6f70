"""The misuses listed in issue 11, one by one: each now gives a clear message (or works)."""

import numpy as np
import pytest
from fakes import FakeHandle
from misuse import assert_clear

from nnlib import MLP, check_gradients, datasets, dense_backward, dense_forward, numerical_gradient
from nnlib.course.lesson01 import check_gate, check_learning_rate
from nnlib.explorers import HiddenLayerExplorer, NeuronExplorer, NeuronTrainer

X, y = datasets.logic_gate("xor")
NET = MLP([2, 3, 1])


@pytest.mark.parametrize(("call", "message"), [
    (lambda: check_gradients(NET, X, y, eps=0), "eps must be a number above 0, such as 1e-05; got 0"),
    (lambda: numerical_gradient(lambda: 1.0, np.array([1, 2])), "x must be a numpy array of floats"),
    (lambda: dense_forward(np.ones((4, 2)), np.ones((3, 1)), np.zeros(1), "tanh"),
     r"W has 3 rows but A_prev has 2 columns: W must have shape \(n_in, n_out\) = \(2, n_out\)"),
    (lambda: dense_backward(np.ones((4, 1)), np.ones((4, 2)), np.ones((3, 1))),
     r"W must have shape \(n_in, n_out\) = \(2, 1\)"),
    (lambda: NET.fit(X, y, validation=X), r"validation must be a pair, such as validation=\(X_val, y_val\)"),
    (lambda: NET.fit(X, y, validation=(np.ones((4, 3)), y)), "X_val has 3 features but the first layer expects 2"),
    (lambda: NET.fit(X, y, validation=(X, y[:3])), "X_val has 4 samples but y_val has 3 targets"),
    (lambda: NeuronExplorer(X, y[:3]), r"X has 4 samples but y has shape \(3,\)"),
    (lambda: NeuronTrainer(X, y[:3]), r"X has 4 samples but y has shape \(3,\)"),
    (lambda: HiddenLayerExplorer(X, y[:3]), r"X has 4 samples but y has shape \(3,\)"),
    (lambda: NeuronExplorer(X, y, activation="softmax"), "unknown activation 'softmax'; choose one of 'step'"),
    (lambda: NeuronExplorer(X, y, presets={"typo": {"w3": 1.0}}), r"unknown control\(s\) \['w3'\] in preset 'typo'"),
    (lambda: HiddenLayerExplorer(X, y, values={"w99": 1}), r"unknown parameter\(s\) \['w99'\] in values"),
    (lambda: NET.fit(X, y, momentum="0.9"), "momentum must be a number .*; got the string '0.9'; write 0.9 without"),
    (lambda: datasets.moons(noise="0.1"), "noise must be a number between 0 and 5, such as 0.1; got the string '0.1'"),
    (lambda: datasets.train_test_split(X, y, test_fraction="0.2"), "test_fraction must be a number .* '0.2'"),
    (lambda: NET.fit(X, y, l2="0.1"), "l2 must be a number of at least 0, such as 0.0001; got the string '0.1'"),
    (lambda: NeuronExplorer(X, y, w1=5000), "w1 must be a number between -1000 and 1000, such as 1.0; got 5000"),
])
def test_each_misuse_of_the_issue_gets_a_clear_message(call, message):
    with pytest.raises((ValueError, TypeError, KeyError), match=message):
        call()


def test_trainer_takes_a_rate_not_on_the_slider_and_survives_none():
    trainer = NeuronTrainer(X, y, epochs=5, resolution=12)
    trainer._handle = FakeHandle()
    trainer.state = {"lr": 0.2}  # not one of the round rates: added to the slider
    assert trainer.state["lr"] == 0.2 and trainer.controls["lr"].options.count(0.2) == 1
    assert_clear(lambda: setattr(trainer, "state", {"lr": None}), "lr")
    assert "lr must be a number between 0.001 and 100" in trainer.readout.value
    drawn = len(trainer._handle.updates)
    trainer.state = {"epoch": 3}  # still redraws
    assert len(trainer._handle.updates) == drawn + 1 and "epoch 3" in trainer.readout.value
    before = trainer.state
    assert_clear(lambda: setattr(trainer, "state", {"epoch": 1, "lr": -1}), "lr")  # one good, one bad
    assert trainer.state == before  # all or nothing


def test_a_weight_out_of_the_sliders_range_is_kept_not_clamped():
    ex = NeuronExplorer(X, y, w1=100, resolution=12)
    assert ex.state["w1"] == 100.0 and ex.controls["w1"].max == 100.0


@pytest.mark.parametrize(("call", "says"), [
    (lambda: check_learning_rate(0), "❌ Not yet. lr must be a number above 0, such as 0.5; got 0"),
    (lambda: check_gate("or", "big", 1, 0), "❌ Not yet. w1 must be a finite number; got the string 'big'"),
])
def test_exercise_checks_answer_nonsense_with_a_hint(call, says):
    assert repr(call()) == says


@pytest.mark.parametrize(("kwargs", "message"), [(dict(dataset="nope"), "unknown dataset 'nope'"),
                                                 (dict(lr=-1), "lr must be a number above 0")])
def test_playground_refuses_bad_settings_when_built(kwargs, message):
    from nnlib.explorers import Playground

    with pytest.raises((ValueError, TypeError), match=message):
        Playground(**kwargs)
