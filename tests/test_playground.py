"""The playground, driven from Python: set controls, step, check what is drawn and reported."""

import numpy as np
import pytest
from fakes import FakeHandle
from matplotlib.colors import Normalize

from nnlib import MLP, datasets
from nnlib.explorers import Playground
from nnlib.explorers.controls import TOOLTIP
from nnlib.explorers.play import PLAYING, playing
from nnlib.features import feature_map
from nnlib.plots import HEATMAP


def tip(control):
    """A control's hover text, in ipywidgets 8 (tooltip) or 7 (description_tooltip)."""
    return getattr(control, TOOLTIP)


@pytest.fixture
def pg():
    p = Playground()
    p._handle = FakeHandle()
    return p


def play(pg, ticks):
    setattr(pg.play, PLAYING, True)
    for _ in range(ticks):  # as the play button sends them; outside a kernel, each is drawn at once
        pg.play.value += 1
        if not playing(pg.play):  # it paused itself
            break


def shown(pg):
    """The heatmap's colours on the plane, (G, G, 3) in 0..255."""
    return pg.picture.heatmap.grid_rgb()


def coloured(values, value_range):
    return HEATMAP(Normalize(*value_range)(values), bytes=True)[..., :3].astype(float)


def test_starts_at_epoch_zero_with_the_configured_network(pg):
    assert pg.epoch == 0 and pg.net.sizes == [2, 4, 4, 1]
    assert len(pg.X_train) == len(pg.X_test) == 100  # train 50 %
    assert pg.picture.network.sizes == [2, 4, 4, 1]  # one thumbnail per neuron, inputs included
    assert "epoch 0" in pg.readout.value and pg.picture.title.get_text() == "epoch 0"
    assert pg.png.startswith(b"\x89PNG")


def test_step_trains_one_epoch_exactly_like_fit(pg):
    twin = MLP([2, 4, 4, 1], activation="tanh", output="sigmoid", seed=0)
    twin.fit(pg.X_train, pg.y_train, epochs=1, lr=0.1, batch_size=10)
    before = pg.png
    pg.step_button.click()
    assert pg.epoch == 1 and all(np.allclose(a, b) for a, b in zip(pg.net.weights, twin.weights))
    assert pg.history["test_loss"][-1] == pytest.approx(twin.loss(pg.X_test, pg.y_test))
    assert f"test loss {twin.loss(pg.X_test, pg.y_test):.3f}" in pg.readout.value
    assert pg.png != before and pg._handle.updates[-1] == pg.png


def test_play_ticks_train_and_learn_circles(pg):
    play(pg, 150)
    assert pg.epoch == 150 and pg.history["test_accuracy"][-1] > 0.9
    assert len(pg.picture.lines["train_loss"].get_xdata()) == 151 and pg.picture.ax_curve.get_xlim()[1] >= 150


def test_features_are_toggles_and_can_replace_layers(pg):
    pg.state = {"x1": False, "x2": False, "x1_squared": True, "x2_squared": True, "layers": 0}
    assert pg.net.sizes == [2, 1] and pg.features == ["x1_squared", "x2_squared"]
    assert np.allclose(pg.F_train, feature_map(pg.X_train, ["x1_squared", "x2_squared"]))
    assert pg.focus_names[1:3] == ["x1²", "x2²"]  # each feature is a thumbnail, and can be looked at large
    play(pg, 60)
    assert pg.history["test_accuracy"][-1] > 0.9  # circles without a hidden layer
    with pytest.raises(ValueError, match="choose at least one input feature"):
        pg.state = {"x1_squared": False, "x2_squared": False}
    assert "choose at least one input feature" in pg.readout.value and pg.state["x2_squared"] is True
    pg.controls["x1_squared"].value = False  # clicks: the last feature goes back, and says why
    pg.controls["x2_squared"].value = False
    assert pg.net.sizes == [1, 1] and pg.state["x2_squared"] is True and "went back" in pg.readout.value


def test_neurons_are_set_layer_by_layer(pg):
    pg.tick()
    pg.state = {"layers": 3, "neurons_1": 8, "neurons_2": 2, "neurons_3": 5}
    assert pg.epoch == 0 and pg.net.sizes == [2, 8, 2, 5, 1] and pg.picture.network.sizes == [2, 8, 2, 5, 1]
    pg.state = {"neurons": [3, 6], "layers": 2}  # shorthand: one count per layer (or one for all)
    assert pg.net.sizes == [2, 3, 6, 1]
    assert pg.controls["neurons_3"].disabled and "layer 3 is not used" in tip(pg.controls["neurons_3"])
    assert not pg.controls["neurons_2"].disabled
    pg.state = {"layers": 0}
    assert pg.net.sizes == [2, 1] and pg.controls["neurons_1"].disabled


def test_regression_trains_with_mean_squared_error_and_draws_the_prediction(pg):
    pg.state = {"problem": "regression"}
    assert pg.state["dataset"] == "plane" and pg.net.output == "linear" and pg.net.loss_name == "mse"
    assert pg.controls["classes"].disabled and "no classes" in tip(pg.controls["classes"])
    play(pg, 40)
    assert pg.accuracy is None and "accuracy" not in pg.readout.value and pg.history["test_loss"][-1] < 0.01
    prediction = pg.net.forward(feature_map(pg.plane, pg.features))[:, 0].reshape(40, 40)
    assert np.allclose(shown(pg), coloured(prediction, pg.target_range), atol=1)
    pg.state = {"dataset": "gaussian mixture"}
    assert pg.state["problem"] == "regression" and pg.epoch == 0
    pg.state = {"dataset": "xor"}  # a classification set brings its problem type along
    assert pg.state["problem"] == "classification" and pg.net.output == "sigmoid"


@pytest.mark.parametrize("kind", ["L1", "L2"])
def test_regularization_l1_or_l2_with_its_rate(pg, kind):
    assert pg.controls["reg_rate"].disabled and "no regularization" in tip(pg.controls["reg_rate"])
    pg.state = {"regularization": kind, "reg_rate": 0.01}
    assert not pg.controls["reg_rate"].disabled
    twin = MLP([2, 4, 4, 1], activation="tanh", output="sigmoid", seed=0)
    twin.fit(pg.X_train, pg.y_train, epochs=1, lr=0.1, batch_size=10, **{kind.lower(): 0.01})
    pg.tick()
    assert all(np.allclose(a, b) for a, b in zip(pg.net.weights, twin.weights))
    pg.state = {"l2": 0.003}  # shorthand
    assert pg.state["regularization"] == "L2" and pg.state["reg_rate"] == 0.003


def test_show_test_data_hides_the_hollow_points(pg):
    before = pg.png
    assert any(s.get_visible() for s in pg.picture.test)
    pg.state = {"show_test": False}
    assert not any(s.get_visible() for s in pg.picture.test) and pg.png != before
    assert sum(len(s.get_offsets()) for s in pg.picture.train) == len(pg.X_train)


def test_discretize_shows_decisions(pg):
    play(pg, 20)
    pg.state = {"discretize": True}
    colours = np.unique(shown(pg).reshape(-1, 3), axis=0)
    assert len(colours) == 2  # the two classes' colours, nothing between
    p = pg.net.forward(pg.F_plane)[:, 0].reshape(40, 40)
    assert np.allclose(shown(pg), coloured((p >= 0.5).astype(float), (0, 1)), atol=1)
    assert pg.picture.heatmap.nearest


def test_one_neuron_large(pg):
    play(pg, 5)
    pg.state = {"neuron": "layer 1 neuron 2"}
    a = pg.net.forward_all(pg.F_plane)[1][1][:, 1].reshape(40, 40)
    assert np.allclose(shown(pg), coloured(a, (-1, 1)), atol=1)
    assert pg.picture.title.get_text() == "epoch 5: layer 1 neuron 2"
    mosaic = pg.picture.network
    x, y = mosaic.centres[1][1].astype(int)
    assert (mosaic.pixels[y - mosaic.size // 2 - 2, x] == [0, 0, 0, 255]).all()  # its thumbnail is framed black
    pg.state = {"layers": 1, "neurons": 1}  # that neuron is gone: the plane shows the output again
    assert pg.state["neuron"] == "output" and "output" in pg.picture.title.get_text() or pg.epoch == 0
    assert list(pg.controls["neuron"].options) == ["output", "x1", "x2", "layer 1 neuron 1"]
    pg.state = {"neuron": "layer 4 neuron 1"}
    assert "not in this network" in pg.readout.value and pg.state["neuron"] == "output"


def test_classes_only_where_they_apply(pg):
    assert pg.controls["classes"].disabled and "2 classes" in tip(pg.controls["classes"])
    pg.state = {"dataset": "spiral", "classes": 3}
    assert not pg.controls["classes"].disabled
    assert pg.net.output == "softmax" and pg.net.sizes[-1] == 3 and shown(pg).shape == (40, 40, 3)
    pg.state = {"classes": 4}
    assert pg.net.sizes[-1] == 4 and set(np.unique(pg.y_train)) == {0, 1, 2, 3}


def test_your_own_data():
    X, y = datasets.moons(120, noise=0.1, seed=3)
    pg = Playground(data=(X, y))
    assert pg.state["dataset"] == "your data" and pg.state["problem"] == "classification"
    assert len(pg.X_train) + len(pg.X_test) == 120 and pg.controls["noise"].disabled
    X3, y3 = datasets.blobs(90, centers=3)
    assert Playground(data=(X3, y3)).net.sizes[-1] == 3
    targets = X[:, 0] - X[:, 1] ** 2
    reg = Playground(data=(X, targets))
    assert reg.state["problem"] == "regression" and reg.net.output == "linear"
    play(reg, 3)
    assert reg.epoch == 3


@pytest.mark.parametrize("data, error, words", [
    (np.zeros((5, 2)), TypeError, "data must be a pair"),
    ((np.zeros(5), np.zeros(5)), ValueError, "2-D"),
    ((np.zeros((5, 3)), np.arange(5) % 2), ValueError, "3 features"),
    ((np.zeros((5, 2)), np.zeros(4)), ValueError, "5 samples"),
    ((np.zeros((5, 2)), ["a"] * 5), TypeError, "data[1] (y)"),
    ((np.zeros((5, 2)), np.ones(5)), ValueError, "two different"),
])
def test_bad_own_data_says_what_would_work(data, error, words):
    with pytest.raises(error, match=None) as info:
        Playground(data=data)
    assert words in str(info.value)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"dataset": "nope"}, ValueError, "circles"),
    ({"lr": -1}, ValueError, "lr"),
    ({"noise": "0.1"}, TypeError, "noise"),
    ({"layers": 7}, ValueError, "layers"),
    ({"neurons": 9}, ValueError, "neurons"),
    ({"neurons": [4, 0]}, ValueError, "neurons[1]"),
    ({"features": ["x3"]}, ValueError, "x1_squared"),
    ({"regularization": "L3"}, ValueError, "L2"),
    ({"reg_rate": -0.1}, ValueError, "reg_rate"),
    ({"show_test": "yes"}, TypeError, "show_test"),
    ({"neuron": "layer 9 neuron 1"}, ValueError, "neuron"),
    ({"presets": {"p": {"hidden_layers": 3}}}, KeyError, "hidden_layers"),
    ({"presets": {"p": {"lr": "0.1"}}}, TypeError, "lr"),
])
def test_every_argument_and_preset_is_checked_first(kwargs, error, words):
    with pytest.raises(error) as info:
        Playground(**kwargs)
    assert words in str(info.value)


def test_bad_state_changes_nothing_and_the_playground_keeps_answering(pg):
    before = pg.state
    with pytest.raises(ValueError):
        pg.state = {"layers": 2, "noise": 3.0}
    assert pg.state == before and "noise" in pg.readout.value
    pg.state = {"noise": 0.2}
    assert pg.state["noise"] == 0.2 and "epoch 0" in pg.readout.value


def test_a_failing_step_changes_nothing_and_says_why(pg, monkeypatch):
    pg.tick()
    weights = [W.copy() for W in pg.net.weights]

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(pg.net, "fit", broken)
    pg.step_button.click()
    assert "the disk is on fire" in pg.readout.value and pg.epoch == 1
    assert all(np.array_equal(a, b) for a, b in zip(weights, pg.net.weights))
    monkeypatch.undo()
    pg.step_button.click()
    assert pg.epoch == 2 and "epoch 2" in pg.readout.value


def test_presets_apply_and_shorthands_work():
    pg = Playground(presets={"features instead of layers": {"x1_squared": True, "x2_squared": True, "layers": 0},
                             "deep": {"layers": 4, "neurons": [8, 6, 4, 2], "l1": 0.001}})
    pg.preset_menu.value = "deep"
    assert pg.net.sizes == [2, 8, 6, 4, 2, 1] and pg.state["regularization"] == "L1"
    pg.preset_menu.value = "features instead of layers"
    assert pg.net.sizes == [4, 1]


def test_extreme_settings_pause_with_a_message_and_reset_recovers(pg):
    pg.state = {"lr": 10.0, "layers": 6, "neurons": 8}
    play(pg, 10)
    assert pg.stopped and "smaller learning rate" in pg.readout.value and not playing(pg.play)
    assert pg.png.startswith(b"\x89PNG")  # the picture is still there
    epoch = pg.epoch
    pg.tick()
    assert pg.epoch == epoch  # paused: no more training until restarted
    pg.reset_button.click()
    assert pg.stopped is None and pg.epoch == 0 and pg.state["lr"] == 0.1
    pg.tick()
    assert pg.epoch == 1


def test_state_round_trips(pg):
    pg.state = {"dataset": "xor", "noise": 0.2, "layers": 1, "neurons": 3, "lr": 0.3, "x1_x2": True,
                "regularization": "L2", "reg_rate": 0.003, "discretize": True}
    copy = Playground()
    copy.state = pg.state
    assert copy.state == pg.state and copy.net.sizes == pg.net.sizes
    assert np.array_equal(copy.X_train, pg.X_train) and copy.png == pg.png


def test_bad_configuration_names_the_control(pg):
    with pytest.raises(KeyError, match="unknown control"):
        pg.state = {"hidden_layers": 3}


def test_in_a_kernel_a_tick_is_answered_first_and_drawn_just_after(pg):
    """In a kernel, each tick's drawing waits on the event loop until the kernel has answered the tick."""
    loop = []  # what the kernel's event loop will run once it has answered
    pg.ticks.later = lambda callback: loop.append(callback) or True
    setattr(pg.play, PLAYING, True)
    pg.play.value += 1  # the kernel handles the tick's message...
    assert pg.epoch == 0 and len(loop) == 1  # ...and answers it before training and drawing
    pg.play.value += 1  # a tick that arrives before the last has drawn: dropped
    assert len(loop) == 1
    loop.pop()()
    assert pg.epoch == 1 and pg.readout.value.startswith("<b>epoch 1 ")
    pg.play.value += 1
    setattr(pg.play, PLAYING, False)  # a pause that overtakes a tick: no more training
    loop.pop()()
    assert pg.epoch == 1
    setattr(pg.play, PLAYING, True)
    for epoch in (2, 3):  # a tick after the last has drawn draws again
        pg.play.value += 1
        loop.pop()()
        assert pg.epoch == epoch
    pg.play.value += 1  # a tick whose drawing never came (an event loop that stopped)...
    pg.ticks.due -= 2.0  # ...two seconds ago: the next tick is not dropped
    pg.play.value += 1
    assert len(loop) == 2
    loop.clear()
    setattr(pg.play, PLAYING, False)
    pg.play.value = 0  # Stop: paused, and back to the start, which is not a tick
    assert loop == [] and pg.epoch == 3
    pg.step_button.click()  # Step always trains, at once
    assert pg.epoch == 4


def test_after_reply_uses_the_kernels_event_loop_and_nothing_else():
    import asyncio
    import threading

    from nnlib.explorers import play as module

    assert module.after_reply(print) is False  # no kernel here: the caller draws at once
    ran = []

    async def kernel():  # a comm handler, in a kernel: the callback runs once the handler has returned
        assert module.after_reply(lambda: ran.append("drawn")) is True
        ran.append("answered")
        await asyncio.sleep(0)

    shell = type("Shell", (), {"kernel": object()})()
    original, module.get_ipython = module.get_ipython, lambda: shell
    try:  # a thread of its own: the test runner's thread may hold an event loop already
        thread = threading.Thread(target=asyncio.run, args=(kernel(),))
        thread.start()
        thread.join()
    finally:
        module.get_ipython = original
    assert ran == ["answered", "drawn"]


def test_a_structural_change_redraws_no_background(pg):
    """Data, network and problem changes move artists: the still background is drawn once per look."""
    figure = pg.picture.figure
    drawn = []
    original = figure.canvas.draw
    figure.canvas.draw = lambda: (drawn.append(1), original())
    for change in [{"noise": 0.3}, {"dataset": "xor"}, {"layers": 4}, {"x1_x2": True}, {"problem": "regression"},
                   {"problem": "classification"}, {"problem": "regression"}, {"neuron": "x1"}]:
        pg.state = change
    assert len(drawn) == 1  # once, for the regression look; coming back to it is free
