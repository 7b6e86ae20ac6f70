"""What the committed lessons must say and how they must be stored."""

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def outputs_text(nb):
    return "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                     for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_committed_executed_top_to_bottom_without_errors(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), "re-run scripts/execute_notebooks.py"
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    assert "application/vnd.jupyter.widget-state+json" in nb.metadata.get("widgets", {}), \
        "widget state is missing: execute with scripts/execute_notebooks.py so sliders show without a kernel"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_live_figure_has_a_stored_picture(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        kinds = [list(o.get("data", {})) for o in cell.get("outputs", [])]
        if any("application/vnd.jupyter.widget-view+json" in k for k in kinds):
            assert any("image/png" in k for k in kinds), f"a widget without a picture in: {cell.source[:60]}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_shape(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "By the end of this lesson you can" in nb.cells[0].source
    assert "## Summary" in text and "## Exercises" in text


def test_lesson01_reproduces_seed004():
    out = outputs_text(nbformat.read(NOTEBOOKS / "01_single_neuron.ipynb", as_version=4))
    for number in ["-0.50362183", "8.92257347", "-4.08058729", "0.99217042"]:
        assert number in out
    assert "textbook  weights [-0.2778   6.45798]  bias -2.95826  prediction for [0, 1] 0.97068" in out
    assert "best accuracy of any single neuron over 68921 settings: 75%" in out
