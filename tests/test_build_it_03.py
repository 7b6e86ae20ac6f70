"""Lesson 03's build-it track: every check names the usual mistake, and no answer shows above its exercise.

The learner writes softmax, cross_entropy and softmax_cross_entropy_gradient;
predicts, derives and explores in between. Each check is run here on the
solution, on the typical wrong answers (whose hints must say what is wrong),
on a function that raises, and on answers of odd types, which must give ❌ or
⏳ and never raise.
"""

import time

import lesson_cells
import nbformat
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from misuse import FAST

from nnlib import activations
from nnlib.course import lesson03, lesson03_build
from nnlib.course.lesson03 import check_costlier_prediction, check_score_gradient, check_steep_mse, check_uniform_loss
from nnlib.course.lesson03_build import check_cross_entropy, check_softmax, check_softmax_cross_entropy_gradient

NOTEBOOK = lesson_cells.NOTEBOOKS / "03_loss.ipynb"


# ----- the learner's functions, right and wrong ------------------------------------------------------
def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def cross_entropy(P, Y):
    return -np.sum(Y * np.log(P)) / len(P)


def gradient(Z, Y):
    return (softmax(Z) - Y) / len(Z)


def raises(*_):
    raise RuntimeError("the learner's bug")


def blank(*_):
    return ...


def verdict_of(feedback):
    text = repr(feedback)
    assert text[0] in "✅❌⏳" and "Traceback" not in text, text
    return text


def wrong(feedback, *words):
    """Assert that feedback is ❌ and says every one of words; return its text."""
    text = verdict_of(feedback)
    assert not feedback and text.startswith("❌"), text
    for word in words:
        assert word in text, f"{word!r} not in {text!r}"
    return text


ODD = [None, ..., "softmax", 3, [[1.0, 2.0]], np.ones((2, 2)), {"w1": 1.0}, print]
ODD_FUNCTIONS = [lambda *a: None, lambda *a: "text", lambda *a: np.ones((2, 2)), lambda *a: [[1], [1, 2]],
                 lambda *a: (np.ones(2), "x", None), lambda *a: np.full((4, 3), np.nan), lambda *a: a[0],
                 lambda *a: np.ones(4), lambda *a: 1.0]


# ----- exercise 2: softmax ----------------------------------------------------------------------
def test_softmax_right_and_blank():
    assert check_softmax(softmax) and repr(check_softmax(softmax)).startswith("✅")
    assert repr(check_softmax(blank)).startswith("⏳")


def test_softmax_that_overflows_is_told_to_shift_the_scores():
    naive = wrong(check_softmax(lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)),
                  "NaN", "overflows", "subtract the same number")
    assert "maximum" not in naive and ".max(" not in naive  # the trick stays the learner's to find


def test_softmax_shifted_by_the_whole_arrays_maximum():
    wrong(check_softmax(lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=1, keepdims=True)),
          "each row's own maximum")


def test_softmax_shifted_by_a_row_maximum_without_keepdims_is_told_to_keep_the_column():
    """Z - Z.max(axis=1) cannot broadcast (4, 3) against (4,): the hint names the per-row max, not the sum only."""
    shifted = wrong(check_softmax(lambda Z: np.exp(Z - Z.max(axis=1)) / np.exp(Z - Z.max(axis=1)).sum(axis=1,
                                                                                                     keepdims=True)),
                    "per-row max or sum", "has shape (4,)", "keep it a column, shape (4, 1), with keepdims=True")
    assert "  " not in shifted


def test_softmax_mistakes_in_the_sum_are_named():
    wrong(check_softmax(lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1)), "per-row max or sum", "(4,)", "keepdims=True")
    wrong(check_softmax(lambda Z: np.exp(Z) / np.exp(Z).sum()), "whole array")
    wrong(check_softmax(lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0)), "columns sum to 1")
    wrong(check_softmax(lambda Z: softmax(Z)[:, 0]), "shape (4,)", "same shape")
    wrong(check_softmax(raises), "Your function raised RuntimeError")


@pytest.mark.parametrize("answer", ODD + ODD_FUNCTIONS)
def test_softmax_odd_answers(answer):
    assert not check_softmax(answer)
    verdict_of(check_softmax(answer))


# ----- exercise 3: cross-entropy -------------------------------------------------------------------
def test_cross_entropy_right_and_blank():
    assert repr(check_cross_entropy(cross_entropy)).startswith("✅")
    assert repr(check_cross_entropy(blank)).startswith("⏳")


@pytest.mark.parametrize(("learner", "words"), [
    (lambda P, Y: -np.sum(Y * np.log(P)), ["4 times", "sum over the 4 samples", "divide the sum by n"]),
    (lambda P, Y: np.sum(Y * np.log(P)) / len(P), ["negative", "minus sign"]),
    (lambda P, Y: np.sum(Y * np.log(P)), ["negative", "4 times"]),
    (lambda P, Y: -np.mean(Y * np.log(P)), ["divided by 3", "4 x 3 entries"]),
    (lambda P, Y: -np.mean(np.log(P[np.arange(len(P)), Y])), ["class labels", "one-hot"]),
    (lambda P, Y: -np.sum(Y * np.log(P), axis=1), ["one loss per sample", "mean"]),
    (lambda P, Y: -np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)), ["binary cross-entropy"]),
    (raises, ["Your function raised RuntimeError"]),
])
def test_cross_entropy_mistakes_are_named(learner, words):
    wrong(check_cross_entropy(learner), *words)


@pytest.mark.parametrize("answer", ODD + ODD_FUNCTIONS)
def test_cross_entropy_odd_answers(answer):
    assert not check_cross_entropy(answer)
    verdict_of(check_cross_entropy(answer))


# ----- exercise 6: the gradient, checked numerically ------------------------------------------------
def test_gradient_right_against_the_learners_own_loss():
    text = repr(check_softmax_cross_entropy_gradient(gradient, softmax, cross_entropy))
    assert text.startswith("✅") and "your own cross_entropy(softmax(Z), Y)" in text


def test_gradient_right_while_softmax_and_cross_entropy_are_not_written():
    text = repr(check_softmax_cross_entropy_gradient(gradient, blank, blank))
    assert text.startswith("✅") and "nnlib's loss" in text and "do not pass their checks yet" in text
    summed = repr(check_softmax_cross_entropy_gradient(gradient, softmax, lambda P, Y: -np.sum(Y * np.log(P))))
    assert summed.startswith("✅") and "nnlib's loss" in summed  # a wrong loss is not the referee


def test_the_numerical_gradient_is_of_the_learners_own_functions(monkeypatch):
    calls = []

    def counting_cross_entropy(P, Y):
        calls.append(1)
        return cross_entropy(P, Y)

    check_softmax_cross_entropy_gradient(gradient, softmax, counting_cross_entropy)
    assert len(calls) > 2 * 12  # central differences: two evaluations per score of the (4, 3) Z, and more


@pytest.mark.parametrize(("learner", "words"), [
    (lambda Z, Y: softmax(Z) - Y, ["4 times too large", "forgot to divide by n"]),
    (lambda Z, Y: (Y - softmax(Z)) / len(Z), ["sign is flipped", "p - y, not y - p"]),
    (lambda Z, Y: Y - softmax(Z), ["sign is flipped", "4 times too large"]),
    (lambda Z, Y: (softmax(Z) - Y) / Z.size, ["3 times too small", "number of samples"]),
    (lambda Z, Y: (Z - Y) / len(Z), ["subtracted Y from the scores Z"]),
    (lambda Z, Y: softmax(Z) / len(Z), ["Subtract Y"]),
    (lambda Z, Y: (softmax(Z) - Y).sum(axis=1), ["shape (4,)", "Z's shape (4, 3)"]),
    (raises, ["Your function raised RuntimeError"]),
])
def test_gradient_mistakes_are_named(learner, words):
    text = wrong(check_softmax_cross_entropy_gradient(learner, softmax, cross_entropy), *words)
    assert "central differences of your own cross_entropy(softmax(Z), Y) give" in text or "raised" in text \
        or "shape" in text


def test_gradient_written_for_labels_not_one_hot():
    def for_labels(Z, labels):
        P = softmax(Z)
        P[np.arange(len(Z)), labels] -= 1
        return P / len(Z)

    wrong(check_softmax_cross_entropy_gradient(for_labels, softmax, cross_entropy), "class labels", "one-hot", "P - Y")


def test_gradient_that_calls_an_unwritten_softmax_says_so():
    text = wrong(check_softmax_cross_entropy_gradient(lambda Z, Y: (blank(Z) - Y) / len(Z), blank, cross_entropy),
                 "Your function raised TypeError", "softmax from exercise 2")
    assert text
    assert repr(check_softmax_cross_entropy_gradient(blank, blank, blank)).startswith("⏳")


@pytest.mark.parametrize("answer", ODD + ODD_FUNCTIONS)
def test_gradient_odd_answers(answer):
    for helpers in [(softmax, cross_entropy), (answer, answer), (None, "x")]:
        assert not check_softmax_cross_entropy_gradient(answer, *helpers)
        verdict_of(check_softmax_cross_entropy_gradient(answer, *helpers))
    verdict_of(check_softmax_cross_entropy_gradient(gradient, answer, answer))


arrays = hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=4))
answers = st.one_of(st.none(), st.just(...), st.booleans(), st.floats(), st.text(max_size=4), arrays,
                    st.lists(st.floats(-3, 3), max_size=4), st.sampled_from(ODD_FUNCTIONS + [raises, softmax]))


@pytest.mark.parametrize("check", [check_softmax, check_cross_entropy, check_softmax_cross_entropy_gradient],
                         ids=lambda c: c.__name__)
@FAST
@given(data=st.data())
def test_any_answer_to_a_build_check_becomes_feedback(check, data):
    n = 3 if check is check_softmax_cross_entropy_gradient else 1
    verdict_of(check(*[data.draw(answers) for _ in range(n)]))


def test_each_build_check_runs_in_well_under_a_second():
    for call in [lambda: check_softmax(softmax), lambda: check_cross_entropy(cross_entropy),
                 lambda: check_softmax_cross_entropy_gradient(gradient, softmax, cross_entropy),
                 lambda: check_steep_mse({"w1": 0.3, "w2": 0.3, "b": 0.0, "loss": "mse"})]:
        start = time.perf_counter()
        call()
        assert time.perf_counter() - start < 0.3


# ----- exercises 4, 5 and 10: predict and derive -------------------------------------------------
def test_costlier_prediction():
    assert repr(check_costlier_prediction("B", "A")).startswith("✅")
    assert check_costlier_prediction(" b", "a")
    wrong(check_costlier_prediction("A", "A"), "only at the probability of the true class")
    hint = wrong(check_costlier_prediction("B", "B"), "squared error of every class")
    A, B = lesson03.PREDICTIONS["A"][0], lesson03.PREDICTIONS["B"][0]
    squares = {"0.078": A[1] ** 2, "0.036": np.sum(B[1:] ** 2), "0.042": A[1] ** 2 - np.sum(B[1:] ** 2),
               "0.019": (1 - B[0]) ** 2 - (1 - A[0]) ** 2}
    for text, value in squares.items():  # the hint's arithmetic
        assert text in hint and f"{value:.3f}" == text
    assert repr(check_costlier_prediction(..., "A")).startswith("⏳")
    for odd in [1, "C", None, ["A"], np.ones(2)]:
        verdict_of(check_costlier_prediction(odd, "A"))
        assert not check_costlier_prediction("B", odd)
    wrong(check_costlier_prediction("C", "A"), '"A" or "B"')


def test_the_prediction_table_is_what_the_check_and_the_reveal_use():
    ce, mse = lesson03.costs(lesson03.losses.categorical_cross_entropy), lesson03.costs(lesson03.losses.mse)
    assert ce["B"] > ce["A"] and mse["A"] > mse["B"]  # they disagree: the point of the exercise
    assert {k: v.tolist() for k, v in lesson03.PREDICTIONS.items()} == {
        "A": [[0.70, 0.28, 0.01, 0.01]], "B": [[0.67, 0.11, 0.11, 0.11]]}


@pytest.mark.parametrize(("answer", "words"), [
    ([0.75, -0.25, -0.5], ["sign is flipped"]),
    ([0.25, 0.25, 0.5], ["That is p itself"]),
    ([-4.0, 0.0, 0.0], ["dL/dp"]),
    ([-0.75, 0.0, 0.0], ["Only the true class's score"]),
    ([1.0, 2.0], ["three numbers"]),
    ([0.1, 0.2, 0.3], ["p = (1/4, 1/4, 1/2)"]),
])
def test_score_gradient_mistakes(answer, words):
    wrong(check_score_gradient(answer), *words)


def test_score_gradient_right_blank_and_odd():
    assert repr(check_score_gradient([-0.75, 0.25, 0.5])).startswith("✅")
    assert check_score_gradient(np.array([[-0.75, 0.25, 0.5]]))  # a row, as p - y of a (1, 3) array
    assert repr(check_score_gradient([..., ..., ...])).startswith("⏳")
    assert repr(check_score_gradient(...)).startswith("⏳")
    for odd in ["abc", {"a": 1}, print, [[1], [1, 2]], 3.0]:
        assert not check_score_gradient(odd)
        verdict_of(check_score_gradient(odd))


@pytest.mark.parametrize(("answer", "words"), [
    (np.log(2), ["log 2"]), (0.1, ["minus its logarithm"]), (-np.log(10), ["log 0.1 is negative"]),
    (1.0, ["base 10"]), (5.0, ["0.1, whichever it is"]), ("2.3", ["without quotes"]), ([2.3], ["the loss"]),
])
def test_uniform_loss(answer, words):
    assert repr(check_uniform_loss(np.log(10))).startswith("✅")
    assert repr(check_uniform_loss(...)).startswith("⏳")
    wrong(check_uniform_loss(answer), *words)


# ----- exercise 8: the loss explorer's question --------------------------------------------------
@pytest.fixture(scope="module")
def loss_explorer():
    (explorer,) = lesson_cells.explorers_of("03_loss.ipynb", ("LossExplorer(",))
    return explorer


def test_no_preset_and_not_the_start_answers_the_explorer_question(loss_explorer):
    for name in loss_explorer.presets:
        lesson_cells.pick(loss_explorer, name)
        assert not check_steep_mse(loss_explorer.state), name
    loss_explorer.state = {**loss_explorer.defaults, "loss": "mse"}  # switching the loss alone is not enough
    wrong(check_steep_mse(loss_explorer.state), "below 0.15", "Shrink w1 and w2")


def test_the_published_answer_passes_and_agrees_with_the_explorers_readout(loss_explorer):
    lesson_cells.pick(loss_explorer, "confidently wrong, mse")
    assert loss_explorer.accuracy == 0.01  # the prose: "gets 1 % of the points right"
    loss_explorer.state = {"w1": 0.3, "w2": 0.3, "b": 0.0, "loss": "mse"}
    assert loss_explorer.accuracy == 0.01 and loss_explorer.gradient_norm >= 0.15  # "still 1 % right"
    text = repr(check_steep_mse(loss_explorer.state))
    assert text.startswith("✅") and f"{loss_explorer.gradient_norm:.4f}" in text


def test_explorer_question_hints(loss_explorer):
    wrong(check_steep_mse({"w1": 0.3, "w2": 0.3, "b": 0.0, "loss": "cross-entropy"}), "Switch the loss to mse")
    wrong(check_steep_mse({"w1": -0.3, "w2": -0.3, "b": 0.0, "loss": "mse"}), "as wrong as the preset")
    wrong(check_steep_mse({"w1": 0.3, "w2": 0.3}), "missing")
    wrong(check_steep_mse([0.3, 0.3, 0.0, "mse"]), "a dict")
    wrong(check_steep_mse({"w1": "a", "w2": 0.3, "b": 0.0, "loss": "mse"}), "w1")
    assert repr(check_steep_mse(...)).startswith("⏳")
    for odd in ODD:
        verdict_of(check_steep_mse(odd))


# ----- the notebook: enough exercises, and no answer above its exercise --------------------------
def cells():
    return nbformat.read(NOTEBOOK, as_version=4).cells


def test_lesson_has_the_build_it_exercises_with_predict_and_derive():
    tagged = [c for c in cells() if "exercise" in c.metadata.get("tags", [])]
    assert len(tagged) >= 5
    assert sum(bool({"predict", "derive"} & set(c.metadata["tags"])) for c in tagged) >= 2
    sources = "\n".join(c.source for c in tagged)
    for call in ["check_softmax(softmax)", "check_cross_entropy(cross_entropy)",
                 "check_softmax_cross_entropy_gradient(softmax_cross_entropy_gradient, softmax, cross_entropy)",
                 "check_steep_mse(found)"]:
        assert call in sources


def before(call):
    """Return the text (sources and outputs) of every cell above the exercise cell that makes call."""
    all_cells = cells()
    index = next(i for i, c in enumerate(all_cells) if "exercise" in c.metadata.get("tags", []) and call in c.source)
    return "\n".join(c.source + "".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
                                        for o in c.get("outputs", [])) for c in all_cells[:index])


def test_no_answer_is_visible_above_its_exercise():
    above_softmax = before("check_softmax(softmax)")
    assert "max(axis=1" not in above_softmax and "stable_softmax" not in above_softmax
    above_gradient = before("check_softmax_cross_entropy_gradient(")
    assert "(A - Y) / len" not in above_gradient and "(P - Y) / n" not in above_gradient
    assert "/ n" not in above_gradient.split("**The gradient of softmax with cross-entropy")[1]
    above_derive = before("check_score_gradient(dL_dz)")
    assert "-0.75" not in above_derive and "-3/4" not in above_derive and "0.25  0.5" not in above_derive
    above_prediction = before("check_costlier_prediction(")
    assert "0.3567" not in above_prediction and "0.4005" not in above_prediction
    assert "2.302" not in before("check_uniform_loss(")
    assert "0.3," not in before("check_steep_mse(found)").split("loss_explorer = ")[1]


def test_the_reveal_after_the_prediction_prints_what_the_check_says():
    text = repr(check_costlier_prediction("B", "A"))
    all_cells = cells()
    reveal = next(c for c in all_cells if c.cell_type == "code" and "Y_class0" in c.source)
    printed = reveal.outputs[0]["text"]
    for number in ["0.3567", "0.4005", "0.0843", "0.0726"]:
        assert number in printed and number in text


def test_the_solutions_match_the_checks_reference():
    """The published solutions give nnlib's results (test_exercises runs them through the checks too)."""
    Z = lesson03_build.Z_LARGE
    assert np.allclose(softmax(Z), activations.softmax(Z))
    assert np.isclose(cross_entropy(lesson03_build.P, lesson03_build.Y),
                      lesson03.losses.categorical_cross_entropy(lesson03_build.P, lesson03_build.Y))
