"""The playground, driven from Python: set controls, step, check what is drawn and reported."""

import numpy as np
import pytest
from fakes import FakeHandle

from nnlib import MLP
from nnlib.explorers import Playground


@pytest.fixture
def pg():
    p = Playground()
    p._handle = FakeHandle()
    return p


def test_starts_at_epoch_zero_with_the_configured_network(pg):
    assert pg.epoch == 0 and pg.net.sizes == [2, 4, 4, 1]
    assert len(pg.X_train) == len(pg.X_test) == 100  # train 50 %
    assert len(pg.thumbnails.images) == 4 + 4 + 1  # one per neuron
    assert "epoch 0" in pg.readout.value


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
    for _ in range(150):
        pg._last_tick = 0.0  # ticks 50 ms apart, as the play button sends them
        pg.play.value += 1
    assert pg.epoch == 150 and pg.history["test_accuracy"][-1] > 0.9
    assert len(pg.train_line.get_xdata()) == 151 and pg.ax_curve.get_xlim()[1] >= 150


def test_controls_rebuild_the_network_and_the_views(pg):
    pg.tick()
    pg.state = {"layers": 3, "neurons": 6}
    assert pg.epoch == 0 and pg.net.sizes == [2, 6, 6, 6, 1] and len(pg.thumbnails.images) == 19
    pg.state = {"layers": 0}
    assert pg.net.sizes == [2, 1]
    pg.state = {"train_percent": 20}
    assert len(pg.X_train) == 40


def test_several_classes_use_softmax_and_cross_entropy(pg):
    pg.state = {"dataset": "spiral", "classes": 3}
    assert pg.net.output == "softmax" and pg.net.sizes[-1] == 3
    assert pg.plot.image.get_array().shape[-1] == 3  # class colours blended
    pg.state = {"dataset": "moons"}
    assert pg.net.sizes[-1] == 1 and "always has 2 classes" in pg.readout.value


def test_lr_l2_and_batch_size_apply_without_restarting(pg):
    pg.tick()
    pg.state = {"lr": 0.3, "l2": 0.01, "batch_size": 25}
    assert pg.epoch == 1  # no restart
    before = [W.copy() for W in pg.net.weights]
    pg.tick()
    assert pg.epoch == 2 and not np.allclose(before[0], pg.net.weights[0])


def test_new_data_changes_the_points(pg):
    before = pg.X_train.copy()
    pg.new_data_button.click()
    assert pg.state["data_seed"] == 1 and not np.array_equal(before, pg.X_train) and pg.epoch == 0


def test_extreme_settings_pause_with_a_message_and_reset_recovers(pg):
    pg.state = {"lr": 10.0, "layers": 6, "neurons": 8}
    pg.play.playing = True
    for _ in range(10):
        pg._last_tick = 0.0
        pg.play.value += 1
    assert pg.stopped and "smaller learning rate" in pg.readout.value and pg.play.playing is False
    assert pg.png.startswith(b"\x89PNG")  # the picture is still there
    epoch = pg.epoch
    pg.tick()
    assert pg.epoch == epoch  # paused: no more training until restarted
    pg.reset_button.click()
    assert pg.stopped is None and pg.epoch == 0 and pg.state["lr"] == 0.1
    pg.tick()
    assert pg.epoch == 1


def test_state_round_trips(pg):
    setting = {"dataset": "xor", "noise": 0.2, "layers": 1, "neurons": 3, "lr": 0.3}
    pg.state = setting
    copy = Playground()
    copy.state = pg.state
    assert copy.state == pg.state and copy.net.sizes == pg.net.sizes
    assert np.array_equal(copy.X_train, pg.X_train)


def test_bad_configuration_names_the_control(pg):
    with pytest.raises(KeyError, match="unknown control"):
        pg.state = {"hidden_layers": 3}



def test_ticks_that_queued_up_are_dropped(pg):
    pg.play.value += 1
    pg.play.value += 1  # arrives the moment the previous tick finished: stale
    assert pg.epoch == 1
    pg.step_button.click()  # Step always trains
    assert pg.epoch == 2
