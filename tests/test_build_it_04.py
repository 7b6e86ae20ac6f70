"""Lesson 04's build-it exercises: every check names the common mistakes, and never shows a traceback.

For each check of nnlib/course/lesson04.py (and lesson04_build.py): the typical
wrong answers get ❌ with the hint the lesson promises, a function that raises
gets ❌ "Your function raised ...", and odd answers get ❌ or ⏳, never an
exception. The numbers the lesson's prose gives are pinned here too.
"""

import re
import time

import lesson_cells
import nbformat
import numpy as np
import pytest

from nnlib import MLP, activations, datasets
from nnlib.course import lesson04
from nnlib.course.lesson04 import (
    check_bias_gradient,
    check_gradient_sizes,
    check_largest_hidden_error,
    check_layer_backward,
    check_mlp_backward,
    check_most_changed_neuron,
    check_rates_for_correlation,
    check_two_layer_deltas,
    check_zigzag_race,
)
from nnlib.course.lesson04_build import deep_gradient_sizes, rate_losses, stepper_network
from nnlib.gradcheck import check_gradients

NOTEBOOK = lesson_cells.NOTEBOOKS / "04_backprop.ipynb"
SOLUTION = re.compile(r"<details><summary>Solution.*?```python\n(.*?)```", re.S)
ODD = [None, ..., "text", 3, [1, 2], np.ones((2, 2)), {"a": 1}, (1, 2, 3), float("nan")]


def says(verdict, *words):
    """Assert the verdict is ❌ and its message has every word."""
    text = repr(verdict)
    assert not verdict and text.startswith("❌"), text
    for word in words:
        assert word in text, f"{word!r} not in {text!r}"
    assert "Traceback" not in text


def never_raises(check, arity):
    for odd in ODD:
        verdict = check(*([odd] * arity))
        assert repr(verdict)[0] in "❌⏳", repr(verdict)


def raises(*_):
    raise ZeroDivisionError("the learner's bug")


# ----- the layer and the whole backward pass ----------------------------------------------------------------
def layer_backward(dZ, A_prev, W):
    return A_prev.T @ dZ, dZ.sum(axis=0), dZ @ W.T


def test_layer_backward_names_shapes_and_transposes():
    assert check_layer_backward(layer_backward)
    says(check_layer_backward(lambda dZ, A, W: (dZ.T @ A, dZ.sum(axis=0), dZ @ W.T)),
         "Your dW has shape (2, 3); it should be (3, 2)", "that is dZ.T @ A_prev, the transpose of dW",
         "Use A_prev.T @ dZ, (3, 4) @ (4, 2)")
    transposed_wrongly = repr(check_layer_backward(lambda dZ, A, W: (W.T, dZ.sum(axis=0), dZ @ W.T)))
    assert "(2, 3); it should be (3, 2)" in transposed_wrongly and "dZ.T @ A_prev" not in transposed_wrongly
    says(check_layer_backward(lambda dZ, A, W: (A.T @ dZ, dZ.mean(axis=0), dZ @ W.T)),
         "Your db is the mean", "4 times too small", "already carries the loss's 1/n")
    says(check_layer_backward(lambda dZ, A, W: (A.T @ dZ, dZ.sum(axis=0), dZ)),
         "Your dA_prev has shape (4, 2)", "should be (4, 3)", "forget to multiply by W.T")
    says(check_layer_backward(lambda dZ, A, W: (A.T @ dZ, np.sum(dZ), dZ @ W.T)), "one number for the whole layer")
    says(check_layer_backward(lambda dZ, A, W: (A.T @ dZ, dZ.sum(axis=0, keepdims=True), dZ @ W.T)), "keepdims")
    says(check_layer_backward(lambda dZ, A, W: (A.T @ dZ, dZ.sum(axis=1), dZ @ W.T)), "axis=0")
    says(check_layer_backward(lambda dZ, A, W: (A.T @ dZ, dZ.sum(axis=0), W @ dZ.T)), "its transpose")
    says(check_layer_backward(lambda dZ, A, W: (dZ.sum(axis=0), A.T @ dZ, dZ @ W.T)), "in another order")
    says(check_layer_backward(lambda dZ, A, W: (A.T @ dZ, dZ.sum(axis=0))), "Return three arrays")
    says(check_layer_backward(lambda dZ, A, W: (A @ dZ, dZ.sum(axis=0), dZ @ W.T)),
         "Your function raised ValueError", "dW must come out (3, 2)")
    says(check_layer_backward(raises), "Your function raised ZeroDivisionError")
    says(check_layer_backward(layer_backward(np.ones((2, 2)), np.ones((2, 2)), np.ones((2, 2)))),
         "Give layer_backward itself")
    assert repr(check_layer_backward(lambda dZ, A, W: ...)).startswith("⏳")
    never_raises(check_layer_backward, 1)


def mlp_backward(dZ, Zs, As, weights, f_prime, mistake=None):
    """The lesson's solution; with a mistake, one a learner makes."""
    L = len(weights)
    dWs, dbs = [None] * L, [None] * L
    for l in reversed(range(L)):
        dWs[l], dbs[l], dA_prev = layer_backward(dZ, As[l], weights[l])
        if l > 0:
            dZ = dA_prev * {None: f_prime(Zs[l - 1]), "no f_prime": 1.0, "As": f_prime(As[l]),
                            "tanh": 1 - As[l] ** 2}[mistake]
    return dWs, dbs


def with_mistake(mistake):
    return lambda *args: mlp_backward(*args, mistake=mistake)


def test_mlp_backward_passes_in_well_under_a_second():
    start = time.perf_counter()
    verdict = check_mlp_backward(mlp_backward)
    assert verdict and "gradient check" in repr(verdict) and "MLP.gradients" in repr(verdict)
    assert time.perf_counter() - start < 1.0


def test_mlp_backward_names_the_layer_where_it_first_goes_wrong_and_why():
    says(check_mlp_backward(with_mistake("no f_prime")), "Layer 3 matches; layer 2, dWs[1] and dbs[1], is the first",
         "multiply it by f_prime")
    says(check_mlp_backward(with_mistake("As")), "layer 2", "f_prime is a function of the weighted sum", "Zs")
    says(check_mlp_backward(with_mistake("tanh")), "layer 2", "tanh's slope", "sigmoid",
         "use the f_prime you are given")

    def output_too(dZ, Zs, As, weights, f_prime):
        return mlp_backward(dZ * f_prime(Zs[-1]), Zs, As, weights, f_prime)

    says(check_mlp_backward(output_too), "Layer 3 (the output layer)", "already dL/dZ of the output layer")

    def appended(dZ, Zs, As, weights, f_prime):  # off by one in the lists: the output layer's gradients first
        dWs, dbs = mlp_backward(dZ, Zs, As, weights, f_prime)
        return dWs[::-1], dbs[::-1]

    says(check_mlp_backward(appended), "reverse order", "dWs[l]")

    def stops_early(dZ, Zs, As, weights, f_prime):
        dWs, dbs = mlp_backward(dZ, Zs, As, weights, f_prime)
        return dWs[1:], dbs[1:]

    says(check_mlp_backward(stops_early), "has 2 arrays", "3 layers")

    def off_by_one(dZ, Zs, As, weights, f_prime):  # f_prime(Zs[l]): shapes that do not fit
        dWs, dbs = [None] * 3, [None] * 3
        for l in reversed(range(3)):
            dWs[l], dbs[l], dA_prev = layer_backward(dZ, As[l], weights[l])
            if l > 0:
                dZ = dA_prev * f_prime(Zs[l])
        return dWs, dbs

    says(check_mlp_backward(off_by_one), "Your function raised ValueError", "off by one", "As[l + 1] = f(Zs[l])")

    def input_off_by_one(dZ, Zs, As, weights, f_prime):  # As[l + 1], the layer's output, as its input
        dWs, dbs = mlp_backward(dZ, Zs, As, weights, f_prime)
        return [As[l + 1].T @ np.ones((6, W.shape[1])) for l, W in enumerate(weights)], dbs

    says(check_mlp_backward(input_off_by_one), "it should be (3, 5)", "As[l]")

    def mean_db(dZ, Zs, As, weights, f_prime):
        dWs, dbs = mlp_backward(dZ, Zs, As, weights, f_prime)
        return dWs, [db / len(dZ) for db in dbs]

    says(check_mlp_backward(mean_db), "Layer 3 (the output layer)", "n times too small")


def test_mlp_backward_odd_answers_and_errors_become_feedback():
    says(check_mlp_backward(raises), "Your function raised ZeroDivisionError")
    says(check_mlp_backward(lambda *a: a[0]), "Return two lists")
    says(check_mlp_backward(lambda *a: ([None] * 3, [None] * 3)), "dWs[0] is None")
    says(check_mlp_backward(lambda dZ, Zs, As, W, f: ([np.full(w.shape, np.nan) for w in W], [0] * 3)),
         "finite numbers")
    says(check_mlp_backward(lambda dZ, Zs, As, W, f: ([np.ones(w.shape) for w in W],
                                                      [np.zeros(w.shape[1]) for w in W])), "Layer 3")
    assert repr(check_mlp_backward(lambda *a: ...)).startswith("⏳")
    assert repr(check_mlp_backward(lambda *a: (..., ...))).startswith("⏳")
    says(check_mlp_backward("mlp_backward"), "Give mlp_backward itself")
    never_raises(check_mlp_backward, 1)


# ----- exercise 4: the article's bias gradient, fixed -------------------------------------------------------------
def test_bias_gradient_names_the_axis_and_the_column_without_giving_the_answer():
    right = check_bias_gradient(lambda dZ, m: 1 / m * np.sum(dZ, axis=1, keepdims=True))
    assert right
    says(check_bias_gradient(lambda dZ, m: 1 / m * np.sum(dZ, axis=1)), "shape (2,)", "Keep the column",
         "keepdims=True")
    for summed_over_units in (lambda dZ, m: 1 / m * np.sum(dZ, axis=0, keepdims=True),
                              lambda dZ, m: 1 / m * np.sum(dZ, axis=0)):
        says(check_bias_gradient(summed_over_units), "you summed over the units (axis=0)",
             "sum over the samples, axis=1")
    says(check_bias_gradient(lambda dZ, m: 1 / m * np.sum(dZ)), "the digit-recognizer article's bug")
    says(check_bias_gradient(lambda dZ, m: np.sum(dZ, axis=1, keepdims=True)), "divide by m")
    says(check_bias_gradient(lambda dZ, m: np.ones((4, 4))), "shape (2, 1)")
    says(check_bias_gradient(lambda dZ, m: "db"), "Return an array")
    says(check_bias_gradient(raises), "Your function raised ZeroDivisionError")
    assert repr(check_bias_gradient(lambda dZ, m: ...)).startswith("⏳")
    for wrong in (lambda dZ, m: np.ones((2, 1)), lambda dZ, m: np.sum(dZ, axis=1, keepdims=True)):
        assert "keepdims=True) / m" not in repr(check_bias_gradient(wrong))  # the hint never writes the answer
    never_raises(check_bias_gradient, 1)


def test_the_fixed_bias_gradient_is_not_shown_above_exercise_4(cells):
    exercise = next(i for i, c in enumerate(cells) if "def bias_gradient" in c.source and c.cell_type == "code")
    above = "\n".join(c.source + "".join(o.get("text", "") for o in c.get("outputs", [])) for c in cells[:exercise])
    assert "axis=1, keepdims=True" not in above and "db2_fixed" not in above
    fixed = next(i for i, c in enumerate(cells) if "db2_fixed = " in c.source)
    assert fixed > exercise + 1  # the worked fix comes after exercise 4's solution
    assert any("exercise 4 asks you to write it" in c.source for c in cells[:exercise])


# ----- derive and predict -------------------------------------------------------------------------------------
def test_two_deltas_by_hand():
    assert check_two_layer_deltas(-0.65183, [0.23304, 0.27916])  # the lesson's printed values
    x, y, z1, a1, W2, a2 = lesson04.two_two_one_values()
    back = ((a2 - y) @ W2.T)[0]
    says(check_two_layer_deltas(0.65183, [0.23304, 0.27916]), "y - a2")
    says(check_two_layer_deltas(-0.65183, back), "multiply by tanh'(z1) = 1 - a1²")
    says(check_two_layer_deltas(-0.65183, back * a1[0] * (1 - a1[0])), "the sigmoid's slope")
    says(check_two_layer_deltas(-0.65183, back * (1 - z1[0] ** 2)), "not 1 - z1²")
    says(check_two_layer_deltas(-0.65183, [0.3, 0.1]), "Hint")
    says(check_two_layer_deltas(-0.65183, [1, 2, 3]), "two in all")
    assert repr(check_two_layer_deltas(..., [0.2, 0.3])).startswith("⏳")
    never_raises(check_two_layer_deltas, 2)


def test_gradient_sizes_prediction_and_the_prose_about_it():
    sizes, tanh = deep_gradient_sizes(), deep_gradient_sizes("tanh")
    assert np.argmax(sizes) == 4 and np.argmin(sizes) == 0
    assert all(a < b for a, b in zip(sizes, sizes[1:]))  # "it shrinks" on its way back, layer after layer
    assert 150 < sizes[4] / sizes[0] < 250  # "about 200 times smaller"
    assert max(tanh) / min(tanh) < 2  # "within a factor of 2 of each other"
    assert check_gradient_sizes(5, 1)
    says(check_gradient_sizes(1, 5), "at most 0.25")
    says(check_gradient_sizes(5, 2), "The largest, yes")
    says(check_gradient_sizes(6, 1), "from 1")
    says(check_gradient_sizes("5", 1), "without quotes")
    never_raises(check_gradient_sizes, 2)


# ----- the explorers' questions ---------------------------------------------------------------------------------
def test_the_stepper_question():
    answer = {"step": 100, "stage": 4, "lr": 0.5, "sample": 11}
    verdict = check_largest_hidden_error(answer)
    assert verdict, repr(verdict)
    net, X, y = stepper_network(100, 0.5)
    assert net.accuracy(X, y) == 25 / 30  # "still gets 5 of the 30 points wrong"
    output = np.abs(net.forward(X)[:, 0] - y)
    assert [round(output[i], 2) for i in (11, 2, 20)] == [0.70, 0.86, 0.86]  # the solution's numbers
    a1 = net.forward_all(X)[1][1]
    assert round(1 - a1[2, 0] ** 2, 2) == round(1 - a1[20, 0] ** 2, 2) == 0.42 and 1 - a1[11, 0] ** 2 > 0.99
    assert round(a1[2, 0], 2) == round(a1[20, 0], 2) == 0.76  # "partly saturated (a = 0.76, tanh' = 0.42)"
    for words in ("partly saturated (a = 0.76, tanh' = 0.42: it passes back less than half)", "sample 11",
                  "(tanh' = 1.00)"):
        assert words in repr(verdict)
    assert "near saturation" not in repr(verdict)
    says(check_largest_hidden_error({**answer, "sample": 20}), "largest output error", "saturating")
    says(check_largest_hidden_error({**answer, "sample": 0}), "at one sample they reach 1.26")
    says(check_largest_hidden_error({**answer, "stage": 5}), "backward stage of layer 1")
    says(check_largest_hidden_error({**answer, "step": 3}), "step 100")
    says(check_largest_hidden_error({**answer, "sample": 30}), "samples 0 to 29")
    says(check_largest_hidden_error({"step": 100}), "missing")
    says(check_largest_hidden_error([1, 2]), "stepper.state")
    assert repr(check_largest_hidden_error(...)).startswith("⏳")
    never_raises(check_largest_hidden_error, 1)


def test_the_learning_rate_question():
    assert check_zigzag_race({"lr": 0.5, "steps": 21})
    fast, slow = rate_losses(1.0, 10), rate_losses(0.5, 21)
    assert f"{fast[-1]:.4f}" == "0.1996" and f"{slow[20]:.4f}" == "0.2070" and f"{slow[21]:.4f}" == "0.1895"
    says(check_zigzag_race({"lr": 0.5, "steps": 20}), "still above 0.1996", "more steps")
    says(check_zigzag_race({"lr": 0.5, "steps": 30}), "fewest")
    says(check_zigzag_race({"lr": 1.0, "steps": 10}), "Set lr to 0.5")
    says(check_zigzag_race({"lr": 0.5, "steps": -2}), "whole number")
    says(check_zigzag_race({"steps": 3}), "missing")
    never_raises(check_zigzag_race, 1)


def test_the_questions_to_go_further():
    assert check_most_changed_neuron(1)
    says(check_most_changed_neuron(2), "Not that one")
    says(check_most_changed_neuron(7), "1, 2, 3")
    never_raises(check_most_changed_neuron, 1)
    assert check_rates_for_correlation(0.5, 1.376, 1.057) and check_rates_for_correlation(0.99, 1.071, 1.065)
    says(check_rates_for_correlation(0.5, 1.1, 1.05), "2 / lam_max")
    says(check_rates_for_correlation(0.5, 0.688, 1.057), "1/λmax, where the zig-zag starts", "converges up to 2/λmax")
    assert "diverges above 2/λmax = 1.376" in repr(check_rates_for_correlation(0.5, 1.376, 1.057))
    says(check_rates_for_correlation(2, 1, 1), "between -1 and 1")
    never_raises(check_rates_for_correlation, 3)


# ----- the lesson itself -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cells():
    return nbformat.read(NOTEBOOK, as_version=4).cells


def test_lesson_has_the_build_it_exercises_and_no_answer_above_its_exercise(cells):
    exercises = [i for i, c in enumerate(cells) if "exercise" in c.metadata.get("tags", [])]
    tags = [set(cells[i].metadata["tags"]) for i in exercises]
    assert len(exercises) >= 5 and sum(bool(t & {"predict", "derive"}) for t in tags) >= 2
    source = [c.source for c in cells]
    layer = next(i for i in exercises if "def layer_backward" in source[i])
    mlp = next(i for i in exercises if "def mlp_backward" in source[i])
    printed = next(i for i, s in enumerate(source) if "getsource(nnlib.dense_backward)" in s)
    assert printed > layer + 1, "nnlib's dense_backward is printed above the exercise that asks for it"
    above = "\n".join(source[:layer])
    assert "A_prev.T @ dZ" not in above and "dZ @ W.T" not in above
    above = "\n".join(source[:mlp])
    assert "def mlp_backward" not in above and "Zs[l - 1]" not in above and "reversed(range(" not in above
    assert not any("_loss_and_gradients" in s or "backpropagate" in s for s in source)
    deltas = next(i for i in exercises if "check_two_layer_deltas" in source[i])
    assert "delta1" not in "\n".join(source[:deltas]) and "0.23304" not in "\n".join(source[:deltas])
    outputs = "\n".join(o.get("text", "") for c in cells[:deltas] if c.cell_type == "code" for o in c.outputs)
    assert "0.23304" not in outputs and "delta" not in outputs


def test_the_paste_cell_holds_a_working_mlp_forward(cells):
    paste = next(c for c in cells if c.cell_type == "code" and "def mlp_forward" in c.source)
    assert "Paste your mlp_forward from lesson 02" in paste.source
    assert "the same as nnlib's forward pass: True" in paste.outputs[0]["text"]
    lesson02 = nbformat.read(lesson_cells.NOTEBOOKS / "02_forward_pass.ipynb", as_version=4).cells
    published = next(m.group(1) for c in lesson02 if c.cell_type == "markdown"
                     for m in [SOLUTION.search(c.source)] if m and "def mlp_forward" in m.group(1))
    assert published.split("\ncheck_")[0].strip() in paste.source  # lesson 02's solution, as published


def solution_of(cells, name):
    """Return the namespace of the published solution that defines `name` (a function)."""
    namespace = {"np": np}
    for cell in cells:
        match = SOLUTION.search(cell.source) if cell.cell_type == "markdown" else None
        if match and f"def {name}" in match.group(1):
            exec(match.group(1).split("\ncheck_")[0], namespace)
            return namespace[name]
    raise AssertionError(f"no solution defines {name}")


@pytest.fixture(scope="module")
def explorers():
    """The lesson's stepper and learning-rate explorer, rebuilt from its own cells."""
    return lesson_cells.explorers_of("04_backprop.ipynb", ("BackpropStepper(", "LearningRateExplorer("))


@pytest.fixture(scope="module")
def stepper(explorers):
    return explorers[0]


def test_the_stepper_runs_the_learners_backward_pass(cells, stepper):
    """The lesson's use() cell: the solution matches nnlib's; a bug shows in the picture and the readout."""
    backward = solution_of(cells, "mlp_backward")
    namespace = {"np": np, "activations": activations}
    exec(next(c.source for c in cells if c.cell_type == "code" and "def mlp_forward" in c.source).split("\nZs, As")[0],
         namespace)
    forward = namespace["mlp_forward"]
    assert "stepper.use(forward=mlp_forward, backward=mlp_backward)" in [c.source for c in cells]
    stepper.state = {"step": 100, "stage": 5, "lr": 0.5, "sample": 0}
    reference = stepper.png
    stepper.use(forward=forward, backward=backward)
    assert "your mlp_backward: matches nnlib" in stepper.readout.value and stepper.png == reference

    def no_f_prime(dZ, Zs, As, weights, f_prime):
        return mlp_backward(dZ, Zs, As, weights, f_prime, mistake="no f_prime")

    stepper.use(backward=no_f_prime)
    assert "your no_f_prime: differs from nnlib" in stepper.readout.value and stepper.png != reference
    stepper.use(forward=None, backward=None)
    assert stepper.png == reference


def test_the_explorers_answers_are_not_presets(explorers):
    stepper, rate = explorers
    for explorer, answer in [(stepper, {"step": 100, "stage": 4, "lr": 0.5, "sample": 11}),
                             (rate, {"lr": 0.5, "steps": 21})]:
        for preset in explorer.presets.values():
            assert {k: answer[k] for k in preset} != preset
        explorer.state = answer  # the answer can be set on the lesson's own explorer
        assert explorer.state == answer


def test_the_answers_to_go_further_are_true():
    ratios = []
    for correlation in (0.5, 0.9, 0.99):
        X, _ = datasets.correlated_regression(100, correlation=correlation, seed=0)
        lam = np.linalg.eigvalsh(X.T @ X / len(X))
        ratios.append(lam[-1] / lam[0])
    assert ratios == sorted(ratios)  # 0.99 has the narrowest valley
    net = MLP([2, 3, 1], activation="tanh", output="sigmoid", seed=5)  # section 5's network and data
    X, y = datasets.moons(8, noise=0.1, seed=1)
    errors = {eps: check_gradients(net, X, y, eps=eps).max_error for eps in (1e-2, 1e-5, 1e-10)}
    assert errors[1e-5] < errors[1e-2] and errors[1e-5] < errors[1e-10]  # the error grows both ways


def test_the_sources_page_cites_sections_and_exercises_that_exist():
    """docs/sources.md says where each claim is covered ("04, section 8", "04, exercise 4"): every one exists."""
    text = (lesson_cells.NOTEBOOKS.parent / "docs" / "sources.md").read_text()
    cited = re.findall(r"\b0([1-5]), (sections?|exercise) (\d+)(?:–(\d+))?", text)
    assert len(cited) > 20
    for lesson, kind, first, last in cited:
        path = next(lesson_cells.NOTEBOOKS.glob(f"0{lesson}_*.ipynb"))
        markdown = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
        for number in range(int(first), int(last or first) + 1):
            if kind == "exercise":
                further = markdown.split("To go further:", 1)[-1]
                assert re.search(rf"^### Exercise {number} —", markdown, re.M) or \
                    re.search(rf"^{number}\. ", further, re.M), f"0{lesson}, exercise {number}"
            else:
                assert re.search(rf"^## {number}\. ", markdown, re.M), f"0{lesson}, section {number}"
