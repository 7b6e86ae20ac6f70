import numpy as np
import pytest
from fakes import FakeHandle

from nnlib import MLP, activations, datasets, losses
from nnlib.explorers import NeuronExplorer, NeuronTrainer


@pytest.fixture
def explorer():
    X, y = datasets.logic_gate("and")
    ex = NeuronExplorer(X, y, w1=1.0, w2=1.0, b=0.0,
                        presets={"AND solved": {"w1": 2.0, "w2": 2.0, "b": -3.0, "activation": "sigmoid"}})
    ex._handle = FakeHandle()
    return ex


def expected(X, y, w1, w2, b, name="sigmoid"):
    z = X @ np.array([w1, w2]) + b
    a = activations.get(name)[0](z)
    return 0.5 * np.mean((a - y) ** 2), np.mean((z >= 0) == y)


def test_moving_a_slider_updates_loss_accuracy_and_picture(explorer):
    X, y = datasets.logic_gate("and")
    before = explorer.png
    explorer.controls["b"].value = -1.5
    loss, accuracy = expected(X, y, 1.0, 1.0, -1.5)
    assert explorer.loss == pytest.approx(loss)
    assert explorer.accuracy == pytest.approx(accuracy) == 1.0
    assert f"loss {loss:.4f}" in explorer.readout.value and "accuracy 100%" in explorer.readout.value
    assert explorer.png != before
    assert explorer._handle.updates[-1] == explorer.png  # the picture in the notebook was replaced
    segments = np.concatenate(explorer.plot.boundary.get_segments())
    assert np.allclose(segments @ [1.0, 1.0] - 1.5, 0, atol=1e-6)  # the line is w . x + b = 0


def test_loss_matches_nnlib_single_neuron_mse(explorer):
    X, y = datasets.logic_gate("and")
    explorer.state = {"w1": 0.7, "w2": -1.3, "b": 0.4}
    net = MLP([2, 1], output="sigmoid", loss="mse")
    net.weights, net.biases = [np.array([[0.7], [-1.3]])], [np.array([0.4])]
    assert explorer.loss == pytest.approx(net.loss(X, y))


def test_activation_changes_the_heatmap_range_not_the_line(explorer):
    explorer.controls["activation"].value = "tanh"
    assert explorer.plot.image.get_clim() == (-1, 1)
    X, y = datasets.logic_gate("and")
    assert explorer.loss == pytest.approx(expected(X, y, 1.0, 1.0, 0.0, "tanh")[0])
    segments = np.concatenate(explorer.plot.boundary.get_segments())
    assert np.allclose(segments @ [1.0, 1.0], 0, atol=1e-6)


def test_reset_and_state(explorer):
    start_png, start_state = explorer.png, explorer.state
    explorer.state = {"w1": -3.0, "b": 2.0}
    assert explorer.state == {"w1": -3.0, "w2": 1.0, "b": 2.0, "activation": "sigmoid"}
    explorer.reset_button.click()
    assert explorer.state == start_state and explorer.png == start_png


def test_setting_several_controls_draws_once(explorer):
    n = len(explorer._handle.updates)
    explorer.state = {"w1": 2.0, "w2": 2.0, "b": -3.0}
    assert len(explorer._handle.updates) == n + 1


def test_preset_menu(explorer):
    explorer.preset_menu.value = "AND solved"
    assert explorer.state["b"] == -3.0 and explorer.accuracy == 1.0


def test_unknown_state_key_is_refused(explorer):
    with pytest.raises(KeyError, match=r"unknown control\(s\) \['w3'\]"):
        explorer.state = {"w3": 1.0}


def test_an_error_in_a_callback_is_shown_not_lost(explorer, monkeypatch):
    def broken(changed):
        raise ValueError("something went wrong")

    monkeypatch.setattr(explorer, "redraw", broken)
    explorer.controls["w1"].value = 3.0  # must not raise
    assert "something went wrong" in explorer.readout.value
    assert explorer.state["w1"] == 1.0  # all or nothing: the slider went back to where the picture was drawn
    assert "w1 went back to 1.0" in explorer.readout.value


def test_explorer_rejects_bad_data():
    with pytest.raises(ValueError, match="X has 3 features but the first layer expects 2"):
        NeuronExplorer(np.ones((4, 3)), [0, 1, 0, 1])


@pytest.fixture
def trainer():
    X, y = datasets.blobs(60, noise=0.6, seed=1)
    tr = NeuronTrainer(X, y, lr=0.5, epochs=40)
    tr._handle = FakeHandle()
    return tr


def test_trainer_matches_nnlib_training(trainer):
    X, y = datasets.blobs(60, noise=0.6, seed=1)
    net = MLP([2, 1], output="sigmoid")
    net.weights, net.biases = [np.array([[-1.0], [0.5]])], [np.array([0.5])]
    net.fit(X, y, epochs=40, lr=0.5)
    trainer.controls["epoch"].value = 40
    W, b = trainer.snapshots[40]
    assert np.allclose(W, net.weights[0]) and np.allclose(b, net.biases[0])
    assert trainer.loss == pytest.approx(net.loss(X, y))
    assert trainer.accuracy == pytest.approx(net.accuracy(X, y))
    assert "epoch 40" in trainer.readout.value


def test_trainer_epoch_slider_moves_the_line_and_marker(trainer):
    pictures = set()
    for epoch in (0, 5, 20):
        trainer.controls["epoch"].value = epoch
        pictures.add(trainer.png)
        assert trainer.marker.get_xdata()[0] == epoch
        assert trainer.loss == pytest.approx(trainer.curve[epoch])
    assert len(pictures) == 3


def test_trainer_learning_rate_retrains(trainer):
    trainer.controls["epoch"].value = 40
    slow = trainer.loss
    trainer.controls["lr"].value = 0.01
    assert trainer.loss > slow  # a tiny learning rate gets less far in the same epochs
    assert trainer.curve[0] == pytest.approx(losses.binary_cross_entropy(
        1 / (1 + np.exp(-(trainer.X @ [-1.0, 0.5] + 0.5)))[:, None], trainer.y[:, None]))


def test_trainer_huge_learning_rate_still_trains_and_draws(trainer):
    trainer.controls["epoch"].value = 40
    gentle = (trainer.snapshots[40][0].copy(), trainer.png)
    trainer.controls["lr"].value = 100.0
    assert len(trainer.snapshots) == len(trainer.curve) == 41  # all 40 epochs ran: a neuron cannot blow up
    assert np.isfinite(trainer.loss) and "epoch 40" in trainer.readout.value
    assert np.abs(trainer.snapshots[40][0]).max() > 5 * np.abs(gentle[0]).max()  # far bigger steps
    assert trainer.png != gentle[1] and trainer.png.startswith(b"\x89PNG")


def test_trainer_offers_round_learning_rates_and_the_one_asked_for():
    X, y = datasets.blobs(20)
    rates = NeuronTrainer(X, y, lr=0.2, epochs=5).controls["lr"].options
    assert 0.2 in rates and 0.01 in rates and 100.0 in rates and list(rates) == sorted(rates)


@pytest.mark.parametrize(("kwargs", "message"), [(dict(lr=-1), "lr must be a number above 0, such as 0.1; got -1"),
                                                 (dict(lr="fast"), "lr must be a number"),
                                                 (dict(epochs=0), "epochs must be a whole number of at least 1")])
def test_trainer_rejects_bad_settings(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        NeuronTrainer(*datasets.blobs(20), **kwargs)


XOR_SOLUTION = {"w11": 10.0, "w21": 10.0, "b1": -5.0, "w12": -10.0, "w22": -10.0, "b2": 15.0,
                "v1": 10.0, "v2": 10.0, "c": -15.0}


def test_hidden_layer_explorer_solves_xor_and_draws_each_hidden_line():
    from nnlib.examples import two_two_one
    from nnlib.explorers import HiddenLayerExplorer

    X, y = datasets.logic_gate("xor")
    ex = HiddenLayerExplorer(X, y)
    ex._handle = FakeHandle()
    assert ex.accuracy < 1.0
    ex.state = XOR_SOLUTION
    net = two_two_one(XOR_SOLUTION)
    assert ex.accuracy == 1.0 and ex.loss == pytest.approx(net.loss(X, y))
    assert "accuracy 100%" in ex.readout.value
    # hidden neuron 1's dashed line is 10 x1 + 10 x2 - 5 = 0
    segments = np.concatenate(ex.hidden_lines[0].get_segments())
    assert np.allclose(segments @ [10.0, 10.0] - 5.0, 0, atol=1e-6)
    # the diagram shows the chosen sample's activations
    ex.controls["sample"].value = 3  # x = (1, 1)
    shown = ex.diagram.nodes.get_array()
    assert np.allclose(shown[:2], [1, 1]) and shown[-1] < 0.01


def test_hidden_layer_explorer_linear_hidden_layer_cannot_solve_xor():
    from nnlib.explorers import HiddenLayerExplorer

    ex = HiddenLayerExplorer(*datasets.logic_gate("xor"), values=XOR_SOLUTION)
    ex.controls["hidden"].value = "linear"
    assert ex.accuracy < 1.0


def test_loss_explorer_shows_flat_mse_and_steep_cross_entropy():
    from nnlib.explorers import LossExplorer

    X, y = datasets.blobs(100, noise=0.8, seed=2)
    ex = LossExplorer(X, y, w1=6.0, w2=6.0, b=0.0)
    ex._handle = FakeHandle()
    steep = ex.gradient_norm
    before = ex.png
    ex.controls["loss"].value = "mse"
    assert ex.gradient_norm < steep / 100
    assert ex.png != before and "|gradient|" in ex.readout.value
    net = MLP([2, 1], output="sigmoid", loss="mse")
    net.weights, net.biases = [np.array([[6.0], [6.0]])], [np.array([0.0])]
    assert ex.loss == pytest.approx(net.loss(X, y))
    # the dot marks the sliders' weights; the landscape's value there is the loss
    assert ex.dot.get_xdata()[0] == 6.0 and ex.dot.get_ydata()[0] == 6.0


def test_loss_explorer_recomputes_the_landscape_only_when_b_or_the_loss_changes(monkeypatch):
    from nnlib.explorers import LossExplorer

    ex = LossExplorer(*datasets.blobs(50, seed=0))
    calls = []
    original = ex.landscape_values
    monkeypatch.setattr(ex, "landscape_values", lambda: calls.append(1) or original())
    ex.controls["w1"].value = 2.0
    assert calls == []
    ex.controls["b"].value = 1.0
    assert calls == [1]


@pytest.fixture
def stepper():
    from nnlib.explorers import BackpropStepper

    X, y = datasets.moons(30, noise=0.1, seed=0)
    st = BackpropStepper(X, y, sizes=(2, 3, 1), lr=0.5)
    st._handle = FakeHandle()
    return st


def test_stepper_walks_forward_then_backward_then_updates(stepper):
    texts = []
    for _ in range(6):
        texts.append(stepper.stage_text.split(":")[0])
        stepper.next_stage()
    assert texts == ["Forward, layer 1", "Forward, layer 2", "Loss", "Backward, layer 2", "Backward, layer 1", "Update"]
    assert stepper.state["step"] == 1 and stepper.state["stage"] == 0  # on to the next training step


def test_stepper_nodes_show_activations_then_deltas(stepper):
    X, y = stepper.X, stepper.y
    net = MLP([2, 3, 1], activation="tanh", output="sigmoid", seed=0)
    stepper.state = {"stage": 1, "sample": 4}
    acts = net.forward_all(X[4:5])[1]
    assert np.allclose(stepper.diagram.nodes.get_array(), np.concatenate([a[0] for a in acts]))
    stepper.state = {"stage": 3}  # backward through the output layer: only its delta is known
    shown = stepper.diagram.nodes.get_array()
    _, deltas = net.gradients(X[4:5], y[4:5])
    assert shown.mask[:5].all() and np.isclose(shown[5], deltas[1][0])
    stepper.state = {"stage": 4}
    assert np.allclose(stepper.diagram.nodes.get_array()[2:5], deltas[0])


def test_stepper_update_draws_the_boundary_after_the_step(stepper):
    stepper.state = {"stage": 2}
    assert len(stepper.after.get_segments()) == 0
    stepper.state = {"stage": 5}
    net = MLP([2, 3, 1], activation="tanh", output="sigmoid", seed=0)
    dWs, dbs = net.gradients(stepper.X, stepper.y)
    net.weights = [W - 0.5 * dW for W, dW in zip(net.weights, dWs)]
    net.biases = [b - 0.5 * db for b, db in zip(net.biases, dbs)]
    segments = np.concatenate(stepper.after.get_segments())
    assert np.allclose(net.forward(segments)[:, 0], 0.5, atol=0.02)  # the dashed line is where p = 0.5
    stepper.state = {"step": 1, "stage": 0}
    assert stepper.loss == pytest.approx(net.loss(stepper.X, stepper.y))  # and the next step starts there


def test_stepper_survives_a_huge_learning_rate(stepper):
    stepper.state = {"lr": 100.0, "step": 200, "stage": 5}
    assert stepper.png.startswith(b"\x89PNG") and np.isfinite(stepper.loss)


@pytest.fixture
def lr_explorer():
    from nnlib.explorers import LearningRateExplorer

    ex = LearningRateExplorer(*datasets.correlated_regression(100, correlation=0.9, seed=0), lr=0.1, steps=30)
    ex._handle = FakeHandle()
    return ex


def test_learning_rate_explorer_crawls_converges_and_diverges(lr_explorer):
    results = {}
    for lr in (0.05, 0.5, 1.2):
        lr_explorer.controls["lr"].value = lr
        results[lr] = (lr_explorer.loss, lr_explorer.diverged_at, lr_explorer.readout.value)
    assert results[0.5][0] < results[0.05][0] / 5  # too small is still far from the bottom
    assert results[0.05][1] is None and results[0.5][1] is None
    assert results[1.2][1] is not None
    assert "Diverged at step" in results[1.2][2] and "2 / 1.81 = 1.11" in results[1.2][2]
    assert lr_explorer.png.startswith(b"\x89PNG")
    assert len(lr_explorer.path_line.get_xdata()) == results[1.2][1] + 1


def test_learning_rate_explorer_zig_zags_above_one_over_lambda(lr_explorer):
    lr_explorer.state = {"lr": 1.0, "steps": 10}
    steps = np.diff(lr_explorer.path, axis=0)
    across = steps @ np.array([1.0, 1.0]) / np.sqrt(2)  # the steep direction of this bowl
    assert np.all(across[:-1] * across[1:] < 0)  # consecutive steps alternate across the valley
