"""Every exercise's published solution passes its own check; the blank and wrong answers do not."""

import ast
import contextlib
import functools
import io
import re
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from nnlib import activations
from nnlib.course.lesson01 import check_gate, check_learning_rate, check_sigmoid_derivative, check_weighted_sum

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
SOLUTION = re.compile(r"<details><summary>Solution.*?```python\n(.*?)```", re.S)


def exercises():
    """Yield (notebook path, cell index) for every exercise."""
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            if "exercise" in cell.metadata.get("tags", []):
                yield pytest.param(path, i, id=f"{path.stem}-cell{i}")


def run(source, namespace):
    """Run a cell's source (IPython syntax too) in namespace; return the value of its last line."""
    tree = ast.parse(TransformerManager().transform_cell(source))
    *body, last = tree.body
    exec(compile(ast.Module(body, []), "<cell>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)


@functools.cache
def verdicts(path):
    """Run a notebook's code cells once, in order; at each exercise, the blank cell and (in a copy of the
    namespace, so the lesson goes on as a learner's would) the published solution. Return
    {cell index: (blank's verdict, solution's verdict)}."""
    nb, namespace, found = nbformat.read(path, as_version=4), {"__name__": "__lesson__"}, {}
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if "exercise" not in cell.metadata.get("tags", []):
                exec(compile(TransformerManager().transform_cell(cell.source), "<cell>", "exec"), namespace)
                continue
            solution = SOLUTION.search(nb.cells[i + 1].source)
            assert solution, f"{path.name}: the exercise in cell {i} has no solution after it"
            solved = run(solution.group(1), dict(namespace))
            found[i] = (run(cell.source, namespace), solved)
    return found


@pytest.mark.parametrize(("path", "i"), list(exercises()))
def test_solution_passes_and_blank_asks_for_an_answer(path, i):
    unanswered, verdict = verdicts(path)[i]
    assert verdict, repr(verdict)
    assert repr(verdict).startswith("✅")
    assert not unanswered and repr(unanswered).startswith("⏳"), repr(unanswered)


def tags_of(path):
    tags = [c.metadata.get("tags", []) for c in nbformat.read(path, 4).cells]
    return [t for t in tags if "exercise" in t]


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name[:2] in ("01", "02", "03", "04", "05")],
                         ids=lambda p: p.stem)
def test_every_lesson_has_five_exercises_two_of_them_predictions_or_derivations(path):
    tags = tags_of(path)
    thinking = [t for t in tags if "predict" in t or "derive" in t]
    assert len(tags) >= 5 and len(thinking) >= 2, (len(tags), len(thinking))


def code_lines(source):
    """The statements of a solution, without comments, blank lines, def lines and the check call."""
    lines = [line.split("#")[0].strip() for line in source.splitlines()]
    return [line for line in lines if line and not line.startswith(("def ", "check_", "return ", "import ", "from "))
            and len(line) > 12]


@pytest.mark.parametrize(("before_cells", "solution", "name"), [
    pytest.param(cells, solution, name, id=name) for cells, solution, name in (
        (nb.cells[:i], SOLUTION.search(nb.cells[i + 1].source).group(1), f"{path.stem}-cell{i}")
        for path in NOTEBOOKS for nb in [nbformat.read(path, 4)] for i, c in enumerate(nb.cells)
        if "exercise" in c.metadata.get("tags", []))])
def test_no_solution_is_printed_above_its_exercise(before_cells, solution, name):
    """An exercise whose solution's lines all appear above it (in a cell or its output) gives its answer away."""
    lines = code_lines(solution)
    if len(lines) < 2:
        return  # a one-line answer (a number, a call): the lessons' own tests pin those
    for cell in before_cells:
        text = cell.source + "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                                     for o in cell.get("outputs", []))
        shown = {line.split("#")[0].strip() for line in text.splitlines()}
        assert not all(line in shown for line in lines), f"{name}: its solution is shown in an earlier cell"


def test_wrong_answers_get_hints():
    assert "Hint" in repr(check_weighted_sum(lambda x, w, b: np.dot(x, w)))
    verdict = check_gate("or", 1.0, 1.0, 0.5)
    assert not verdict and "(0, 0)" in repr(verdict)
    output_bug = check_sigmoid_derivative(lambda z: activations.sigmoid_derivative(activations.sigmoid(z)))
    assert not output_bug and "ml_zero_to_hero" in repr(output_bug)
    assert "too small" in repr(check_learning_rate(0.01))
    assert "below 1000" in repr(check_learning_rate(1e300))


def test_a_learners_error_becomes_feedback_not_a_traceback():
    verdict = check_sigmoid_derivative(lambda z: z @ np.ones((2, 2)))
    assert not verdict and "Your function raised ValueError" in repr(verdict)
    assert "Your function raised" in repr(check_weighted_sum(lambda x, w, b: undefined_name))  # noqa: F821
