"""Every exercise's published solution passes its own check; the blank and wrong answers do not."""

import ast
import contextlib
import io
import re
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest

from nnlib import activations
from nnlib.course.lesson01 import check_gate, check_learning_rate, check_sigmoid_derivative, check_weighted_sum

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
SOLUTION = re.compile(r"<details><summary>Solution.*?```python\n(.*?)```", re.S)


def exercises():
    """Yield (the code cells before it, exercise cell source, solution source) for every exercise."""
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            if "exercise" in cell.metadata.get("tags", []):
                solution = SOLUTION.search(nb.cells[i + 1].source)
                assert solution, f"{path.name}: the exercise in cell {i} has no solution after it"
                before = "\n".join(c.source for c in nb.cells[:i] if c.cell_type == "code")
                yield pytest.param(before, cell.source, solution.group(1), id=f"{path.stem}-cell{i}")


def run(before, source):
    """Run a cell's source after the notebook's earlier cells; return the value of its last line."""
    namespace = {"__name__": "__lesson__"}
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(before, "<lesson>", "exec"), namespace)
        tree = ast.parse(source)
        *body, last = tree.body
        exec(compile(ast.Module(body, []), "<cell>", "exec"), namespace)
        return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)


@pytest.mark.parametrize(("imports", "blank", "solution"), list(exercises()))
def test_solution_passes_and_blank_asks_for_an_answer(imports, blank, solution):
    verdict = run(imports, solution)
    assert verdict, repr(verdict)
    assert repr(verdict).startswith("✅")
    unanswered = run(imports, blank)
    assert not unanswered and repr(unanswered).startswith("⏳")


def test_every_lesson_with_exercises_has_at_least_three():
    counts = {p.name: sum("exercise" in c.metadata.get("tags", []) for c in nbformat.read(p, 4).cells)
              for p in NOTEBOOKS if p.name[:2].isdigit() and p.name[:2] != "00"}
    assert counts and all(n >= 3 for n in counts.values()), counts


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
