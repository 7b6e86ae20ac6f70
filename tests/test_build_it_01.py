"""Lesson 01's checks name what is wrong, never raise, and the lesson shows no answer above its exercise."""

import inspect
import re

import nbformat
import numpy as np
import pytest
from lesson_cells import NOTEBOOKS

from nnlib import activations
from nnlib.course.lesson01 import (
    check_and_biases,
    check_learning_rate,
    check_lr_prediction,
    check_nand,
    check_neuron_gradient,
    check_sigmoid_derivative,
    check_weighted_sum,
)

LESSON = NOTEBOOKS / "01_single_neuron.ipynb"
SOLUTION = re.compile(r"<details><summary>Solution.*?```python\n(.*?)```", re.S)
ODD = [None, ..., "text", "0.5", [1, 2], (1, 2), np.ones((2, 3)), {"w1": "x"}, float("nan"), True]


def verdict(feedback):
    return repr(feedback)


def says(feedback, *words):
    """Assert the check said ❌ and each of the words."""
    text = verdict(feedback)
    assert not feedback and text.startswith("❌"), text
    for word in words:
        assert word in text, (word, text)


@pytest.fixture(scope="module")
def lesson():
    return nbformat.read(LESSON, as_version=4)


# ----- the new checks: right, typical wrong answers, odd answers -------------------------------------
def test_nand_on_the_and_explorer():
    assert check_nand({"w1": -2.0, "w2": -2.0, "b": 3.0, "activation": "sigmoid"})
    assert verdict(check_nand(...)).startswith("⏳")
    says(check_nand({"w1": 2.0, "w2": 2.0, "b": -3.0, "activation": "sigmoid"}), "still AND", "0 %")
    says(check_nand({"w1": -2.0, "w2": -2.0, "b": 1.0}), "(0, 1)", "(1, 0)", "Negating")
    says(check_nand([-2, -2, 3]), "and_explorer.state")
    says(check_nand({"w1": -2.0}), "missing", "'w2'")
    says(check_nand({"w1": "x", "w2": 1, "b": 1}), "w1 must be a finite number")


def test_the_biases_with_which_w_2_2_compute_and():
    assert check_and_biases(-4, -2) and check_and_biases(-4.0, -2.0)
    says(check_and_biases(-3, -2), "wider")
    says(check_and_biases(-5, -2), "get AND wrong")
    says(check_and_biases(-4, -1), "get AND wrong")
    says(check_and_biases(-2, -4), "should be below")
    assert "z = 0" in verdict(check_and_biases(-4, -2))  # answers the question "why not b = 0?"


def test_one_gradient_by_hand():
    assert check_neuron_gradient(-1, 0.5, -0.5)
    says(check_neuron_gradient(1, -0.5, 0.5), "flipped", "(a - y) x_j")
    says(check_neuron_gradient(-0.25, 0.125, -0.125), "sigma'(z) = 0.25", "cancelled")
    says(check_neuron_gradient(-0.5, -0.5, -0.5), "need their input")
    says(check_neuron_gradient(-1, 0.5, -1.0), "bias's input is always 1")
    says(check_neuron_gradient(0, 0, 0), "step by step")
    says(check_neuron_gradient("-1", 0.5, -0.5), "without quotes")


def test_predicting_lr_10():
    right = check_lr_prediction("a")
    assert right and check_lr_prediction(" (A) ")
    for wrong in ("b", "c"):
        says(check_lr_prediction(wrong), "lr to 10")
    says(check_lr_prediction("d"), '"a", "b" or "c"')
    says(check_lr_prediction(1), '"a", "b" or "c"')
    # the numbers the solution states are the ones the check computes
    for number in ("from 0.564 to 0.152 (0.437 at lr 0.5)", "0.1287 against 0.1313"):
        assert number in verdict(right)


def test_a_learning_rate_that_learns_or_counts_the_loss_after_the_last_step(lesson):
    """history["loss"] holds the loss before each step: the check adds the loss after the 20th and counts steps."""
    says(check_learning_rate(4.2), "still 0.101 after 20 epochs", "too small")
    assert "below 0.1 after 20 epochs (0.0984)" in verdict(check_learning_rate(4.3))
    assert "below 0.1 after 20 epochs (0.0964)" in verdict(check_learning_rate(4.4))  # was "still 0.101" before
    assert "below 0.1 after 17 epochs" in verdict(check_learning_rate(5.0))
    solution = next(c.source for c in lesson.cells if "check_learning_rate(lr)" in c.source and "<details>" in c.source)
    assert "Rates from about 4.3 up to the check's limit of 1000 work." in solution


def test_the_published_runs_summed_gradient_is_4_times_the_mean_halfs_and_twice_its_own_total_errors(lesson):
    """Section 6: the notebook's X.T @ ((a - y) sigma'(z)), a sum over 4 samples, against the gradients of the
    mean of 1/2 (a - y)^2 (4 times smaller) and of its own total_error, the mean of (a - y)^2 (2 times smaller)."""
    X = np.array([[0, 0], [0, 1], [1, 1], [1, 0]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)
    w, b = np.array([[0.1], [0.2]]), 0.3
    z = X @ w + b
    a = activations.sigmoid(z)
    summed = X.T @ ((a - y) * activations.sigmoid_derivative(z))

    def gradient(loss):
        eps, grad = 1e-6, np.zeros_like(w)
        for i in range(2):
            step = np.zeros_like(w)
            step[i] = eps
            grad[i] = (loss(w + step) - loss(w - step)) / (2 * eps)
        return grad

    half_mean = gradient(lambda v: np.mean(0.5 * (activations.sigmoid(X @ v + b) - y) ** 2))
    total_error = gradient(lambda v: np.mean((activations.sigmoid(X @ v + b) - y) ** 2))
    assert np.allclose(summed, 4 * half_mean) and np.allclose(summed, 2 * total_error)
    prose = " ".join(next(c.source for c in lesson.cells if "Other quirks" in c.source).split())
    assert ("4 times larger than for the mean of $\\frac{1}{2}(a - y)^2$ (twice the gradient of its own "
            "`total_error`, which has no ½)") in prose


def test_the_relu_question_presses_the_preset_first(lesson):
    """The preset "what training finds" sets the sigmoid: the question switches to relu after pressing it."""
    explorer = next(c.source for c in lesson.cells if "label = x2" in c.source and c.cell_type == "code")
    assert '"what training finds": {"w1": -0.5, "w2": 8.9, "b": -4.1, "activation": "sigmoid"}' in explorer
    further = " ".join(next(c.source for c in lesson.cells if "To go further" in c.source).split())
    assert "press *what training finds*, then switch the activation to `relu`" in further


def test_the_solution_prose_of_exercise_6_states_what_the_check_computes(lesson):
    prose = next(c.source for c in lesson.cells if 'prediction = "a"' in c.source)
    for number in ("from 0.564 to 0.152 (0.437 at 0.5)", "it is 0.1287, a little below the 0.1313 of 0.5"):
        assert " ".join(number.split()) in " ".join(prose.split())
    assert "0.1313" in printed_at_lr_05(lesson)


def printed_at_lr_05(lesson):
    """The outputs of the cell that trains MLP([2, 1]) at lr 0.5, where 0.1313 is printed."""
    cell = next(c for c in lesson.cells if c.cell_type == "code" and "neuron.fit(X, y, epochs=100, lr=0.5)" in c.source)
    return "".join(o.get("text", "") for o in cell.outputs)


@pytest.mark.parametrize("check", [check_nand, check_neuron_gradient, check_and_biases, check_lr_prediction,
                                   check_weighted_sum, check_sigmoid_derivative], ids=lambda c: c.__name__)
@pytest.mark.parametrize("odd", ODD, ids=repr)
def test_odd_answers_get_feedback_never_an_error(check, odd):
    arity = len(inspect.signature(check).parameters)
    feedback = check(*[odd] * arity)
    assert not feedback and verdict(feedback)[0] in "❌⏳", verdict(feedback)


def test_a_function_that_raises_is_named_not_shown():
    def broken(*args):
        raise KeyError("oops")
    for check in (check_weighted_sum, check_sigmoid_derivative):
        says(check(broken), "Your function raised KeyError")


# ----- the lesson ------------------------------------------------------------------------------------
def exercises(nb):
    return [i for i, c in enumerate(nb.cells) if "exercise" in c.metadata.get("tags", [])]


def test_at_least_five_exercises_two_of_them_predict_or_derive(lesson):
    tagged = [set(lesson.cells[i].metadata["tags"]) for i in exercises(lesson)]
    assert len(tagged) >= 5
    assert sum(bool(tags & {"predict", "derive"}) for tags in tagged) >= 2


def parts(line):
    """A solution line, and its right-hand side when that is long enough to be telling (not 5.0 or "a")."""
    line = line.split("#")[0].strip()
    value = line.removeprefix("return ").split(" = ", 1)[-1].strip()
    return [line] + ([value] if len(value) >= 12 else [])


def test_no_answer_is_shown_above_its_exercise(lesson):
    """No line of a solution (other than the check's call) is in a cell, or an output, above the exercise."""
    for i in exercises(lesson):
        code = SOLUTION.search(lesson.cells[i + 1].source).group(1)
        answer = [line.strip() for line in code.splitlines()
                  if line.strip() and not line.strip().startswith(("check_", "def ", "#"))]
        above = "\n".join(c.source + "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                                             for o in c.get("outputs", []))
                          for c in lesson.cells[:i])
        question = lesson.cells[i - 1].source + lesson.cells[i].source  # the exercise's own words are no answer
        shown = [line for line in answer if any(part in above and part not in question for part in parts(line))]
        assert not shown, f"exercise in cell {i}: {shown} is shown above it"


def test_each_named_explorer_poses_a_checked_question(lesson):
    code = "\n".join(lesson.cells[i].source for i in exercises(lesson))
    assert "check_nand(" in code and "and_explorer.state" in code  # the AND explorer's question
    assert "check_lr_prediction(" in code  # the trainer's: lr 10 is not one of its presets
    trainer = next(c.source for c in lesson.cells if c.cell_type == "code" and "NeuronTrainer(" in c.source)
    assert '"lr": 10.0' not in trainer and '"lr": 10,' not in trainer


def test_no_seed_numbers_in_the_text(lesson):
    text = "\n".join(c.source for c in lesson.cells)
    assert not re.search(r"seed 0\d\d", text)


def test_the_label_x2_and_xor_explorers_ask_questions_no_preset_answers():
    from nnlib.course.lesson01 import check_copy_x2, check_xor_misses_01

    assert check_copy_x2({"w1": 0.0, "w2": 2.0, "b": -1.0})
    trained = check_copy_x2({"w1": -0.5, "w2": 8.9, "b": -4.1})  # the preset "what training finds"
    assert not trained and "w1 is not 0" in repr(trained)
    start = check_copy_x2({"w1": 1.0, "w2": 0.0, "b": -0.5})  # the explorer's starting values
    assert not start and "[(0, 1), (1, 0)] wrong" in repr(start)
    assert check_xor_misses_01({"w1": 1.0, "w2": -1.0, "b": -0.5})
    presets = [({"w1": 1.0, "w2": 1.0, "b": -0.5}, "(1, 1)"), ({"w1": -1.0, "w2": -1.0, "b": 1.5}, "(0, 0)")]
    for preset, point in presets:
        verdict = check_xor_misses_01(preset)
        assert not verdict and f"[{point}] wrong" in repr(verdict) and "w1 > 0 > w2" in repr(verdict)
    for check in (check_copy_x2, check_xor_misses_01):
        assert repr(check(...)).startswith("⏳") and repr(check("state")).startswith("❌")
        assert "missing ['b']" in repr(check({"w1": 0.0, "w2": 1.0}))
