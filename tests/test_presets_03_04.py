"""Every preset of lessons 03 and 04 does what its name says.

Each explorer is rebuilt from its own cell of the committed notebook (the code
cells before it run first, headless), every preset is picked through the Preset
menu, and the claim its name makes is asserted. A preset without a claim here fails.
"""

import functools

import lesson_cells
import nbformat
import numpy as np
import pytest
from lesson_cells import NOTEBOOKS, presets_of

from nnlib.course.lesson04_build import rate_losses
from nnlib.landscape import least_squares

EXPLORERS = ("LossExplorer(", "BackpropStepper(", "LearningRateExplorer(")
pick = functools.partial(lesson_cells.pick, allowed_message="Diverged")  # the divergence preset reports it


@pytest.fixture(scope="module")
def lesson03():
    return presets_of("03_loss.ipynb", EXPLORERS)


@pytest.fixture(scope="module")
def lesson04():
    return presets_of("04_backprop.ipynb", EXPLORERS)


# ----- lesson 03: the loss explorer ------------------------------------------------------------
def confidently_wrong_ce(p):
    explorer = pick(p["confidently wrong, cross-entropy"], "confidently wrong, cross-entropy")
    assert explorer.accuracy < 0.1  # nearly every point wrong (1 %)
    assert explorer.gradient_norm > 1  # and a steep gradient (1.5)


def confidently_wrong_mse(p):
    ce = pick(p["confidently wrong, cross-entropy"], "confidently wrong, cross-entropy").gradient_norm
    explorer = pick(p["confidently wrong, mse"], "confidently wrong, mse")
    assert explorer.state["w1"] == explorer.presets["confidently wrong, cross-entropy"]["w1"]  # the same weights
    assert explorer.accuracy < 0.1
    assert explorer.gradient_norm < 0.01 * ce  # a plateau: about 1 500 times flatter


def about_right(p):
    ce = pick(p["confidently wrong, cross-entropy"], "confidently wrong, cross-entropy").gradient_norm
    explorer = pick(p["about right"], "about right")
    assert explorer.accuracy >= 0.95  # 99 %
    assert explorer.loss < 0.1 and explorer.gradient_norm < 0.01 * ce


LESSON03 = {
    "confidently wrong, cross-entropy": confidently_wrong_ce,
    "confidently wrong, mse": confidently_wrong_mse,
    "about right": about_right,
}


# ----- lesson 04: the backprop stepper -----------------------------------------------------------
def parameter_change(stepper, step):
    """The size of the update made at a training step: |params after - params before|."""
    (w0, b0), (w1, b1) = stepper.params[step], stepper.params[step + 1]
    return np.sqrt(sum(np.sum((a - b) ** 2) for a, b in zip(w0 + b0, w1 + b1)))


def stage_is(prefix):
    def claim(p, preset):
        assert pick(p[preset], preset).stage_text.startswith(prefix), p[preset].stage_text
    return claim


def after_100_steps(p, preset="after 100 steps, the update"):
    stepper = pick(p[preset], preset)
    assert stepper.stage_text.startswith("Update")
    assert parameter_change(stepper, 100) < 0.1 * parameter_change(stepper, 0)  # 0.0092 against 0.217


def lr_10_overshoots(p, preset="lr 10: this step overshoots (the loss goes up)"):
    stepper = pick(p[preset], preset)
    assert stepper.stage_text.startswith("Update") and stepper.state["lr"] == 10
    before = stepper.loss
    stepper.state = {"step": stepper.state["step"] + 1, "stage": 0}
    assert stepper.loss > before  # 0.585 -> 0.686


# ----- lesson 04: the learning-rate explorer -------------------------------------------------------
def curvature_directions(explorer):
    """The eigenvectors of X^T X / n, valley first, and the bottom of the bowl."""
    _, directions = np.linalg.eigh(explorer.X.T @ explorer.X / len(explorer.X))
    return directions[:, 0], directions[:, 1], least_squares(explorer.X, explorer.y)


def sign_changes_across(explorer):
    """How many steps jump over the valley's floor, and how many steps there were."""
    _, across, bottom = curvature_directions(explorer)
    side = np.sign((explorer.path - bottom) @ across)
    return int(np.sum(side[1:] != side[:-1])), len(side) - 1


def loss_after_30(explorer, lr):
    explorer.state = {"lr": lr, "steps": 30}
    return explorer.loss if explorer.diverged_at is None else np.inf


def crawls(p, preset="too small: crawls along the valley"):
    explorer = pick(p[preset], preset)
    start = explorer.losses[0]
    assert explorer.diverged_at is None and sign_changes_across(explorer)[0] == 0
    assert explorer.loss > 0.5 * start  # 30 steps, and not even half the loss gone (1.340 -> 0.963)


def no_zigzag_still_slow(p, preset="no zig-zag, still slow along the valley"):
    explorer = pick(p[preset], preset)
    assert explorer.diverged_at is None and sign_changes_across(explorer)[0] == 0
    assert explorer.state["lr"] < 1 / explorer.curvatures[-1]
    slow = explorer.loss
    assert slow > 5 * loss_after_30(explorer, 1.0)  # 0.0867 against 0.0108


def zigzags_fastest(p, preset="zig-zags, and converges fastest on the slider"):
    explorer = pick(p[preset], preset)
    changes, steps = sign_changes_across(explorer)
    assert explorer.diverged_at is None and changes == steps == 30  # over the floor at every step
    best = explorer.loss
    lowest = min(loss_after_30(explorer, lr) for lr in explorer.RATES)
    assert best == lowest  # the lowest loss of every rate on the slider
    lam_min, lam_max = explorer.curvatures
    assert 1 / lam_max < explorer.presets[preset]["lr"] < 2 / lam_max
    # "on the slider": the best fixed rate 2/(lam_min + lam_max) = 1.054, not on it, does better still
    assert rate_losses(2 / (lam_min + lam_max), 30)[-1] < best  # 0.0098 against 0.0108


def zigzags_barely(p, preset="zig-zags that barely shrink"):
    explorer = pick(p[preset], preset)
    changes, steps = sign_changes_across(explorer)
    assert explorer.diverged_at is None and changes == steps == 30
    _, across, bottom = curvature_directions(explorer)
    distance = np.abs((explorer.path - bottom) @ across)
    assert distance[-1] < distance[0]  # converging...
    assert distance[-1] > 0.5 * distance[0]  # ...barely: 30 steps keep more than half the distance across
    assert explorer.state["lr"] < 2 / explorer.curvatures[-1]
    barely = explorer.loss
    assert barely > loss_after_30(explorer, 1.0)  # 0.0525 against 0.0108


def diverges(p, preset="above 2/λmax: diverges"):
    explorer = pick(p[preset], preset)
    assert explorer.diverged_at is not None  # step 14
    assert explorer.losses[-1] > explorer.losses[0] and "Diverged" in explorer.message
    assert explorer.state["lr"] > 2 / explorer.curvatures[-1]  # 1.2 > 1.106


LESSON04 = {
    "first step, forward": stage_is("Forward, layer 1"),
    "first step, backward through the hidden layer": stage_is("Backward, layer 1"),
    "first step, the update": stage_is("Update"),
    "after 100 steps, the update": after_100_steps,
    "lr 10: this step overshoots (the loss goes up)": lr_10_overshoots,
    "too small: crawls along the valley": crawls,
    "no zig-zag, still slow along the valley": no_zigzag_still_slow,
    "zig-zags, and converges fastest on the slider": zigzags_fastest,
    "zig-zags that barely shrink": zigzags_barely,
    "above 2/λmax: diverges": diverges,
}


def test_every_preset_of_lessons_03_and_04_has_a_claim_tested(lesson03, lesson04):
    assert set(lesson03) == set(LESSON03), "a preset of lesson 03 without a test, or a test without a preset"
    assert set(lesson04) == set(LESSON04), "a preset of lesson 04 without a test, or a test without a preset"


@pytest.mark.parametrize("preset", list(LESSON03))
def test_lesson03_preset_does_what_its_name_says(lesson03, preset):
    LESSON03[preset](lesson03)


@pytest.mark.parametrize("preset", list(LESSON04))
def test_lesson04_preset_does_what_its_name_says(lesson04, preset):
    claim = LESSON04[preset]
    if claim.__name__ == "claim":  # the stage checks take the preset's name
        claim(lesson04, preset)
    else:
        claim(lesson04)


def test_lesson04_prints_the_curvatures_the_explorer_uses(lesson04):
    explorer = lesson04["zig-zags, and converges fastest on the slider"]
    lam_min, lam_max = explorer.curvatures
    nb = nbformat.read(NOTEBOOKS / "04_backprop.ipynb", as_version=4)
    out = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert f"divergence above 2/lam_max = {2 / lam_max:.3f}" in out
    best = 2 / (lam_min + lam_max)
    assert f"best fixed rate 2/(lam_min + lam_max) = {best:.3f}" in out
    # the slider's fastest rate in theory: the smallest worst factor |1 - lr lambda| over both directions
    fastest = min(explorer.RATES, key=lambda lr: max(abs(1 - lr * lam_min), abs(1 - lr * lam_max)))
    assert explorer.presets["zig-zags, and converges fastest on the slider"]["lr"] == fastest < best


# ----- lesson 04: the explorers' questions (exercises 7 and 8) are answered by what the explorers show ---------------
def test_lesson04_stepper_shows_the_largest_hidden_error_at_the_answer(lesson04):
    stepper = lesson04["first step, forward"]
    hidden = slice(stepper.sizes[0], stepper.sizes[0] + stepper.sizes[1])  # the diagram's hidden nodes

    def largest_hidden_error(sample):
        stepper.state = {"step": 100, "stage": 4, "lr": 0.5, "sample": sample}
        assert stepper.stage_text.startswith("Backward, layer 1")
        return max(abs(float(t.get_text())) for t in stepper.diagram.texts[hidden])

    shown = [largest_hidden_error(sample) for sample in range(len(stepper.X))]
    assert int(np.argmax(shown)) == 11 and shown[11] > max(shown[:11] + shown[12:]) + 0.1  # 1.26 against 1.13
    assert f"{stepper.accuracy:.0%}" == "83%"  # 5 of the 30 points wrong at step 100


def test_lesson04_rate_explorer_shows_the_answer_of_its_question(lesson04):
    explorer = lesson04["too small: crawls along the valley"]
    explorer.state = {"lr": 1.0, "steps": 10}
    target = explorer.loss
    explorer.state = {"lr": 0.5, "steps": 20}
    assert explorer.loss > target
    explorer.state = {"lr": 0.5, "steps": 21}
    assert explorer.loss <= target
    assert "loss 0.1895 after 21 steps" in explorer.readout.value
