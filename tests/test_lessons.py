"""What the committed lessons must say and how they must be stored."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from nnlib.explorers.base import CONTROLS_NOTE

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
ALL = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))  # the index and the lessons
LESSONS = [p for p in ALL if not p.name.startswith("00")]
EXPLORERS = ("NeuronExplorer(", "NeuronTrainer(", "HiddenLayerExplorer(", "LossExplorer(", "BackpropStepper(",
             "LearningRateExplorer(", "Playground(")


def outputs_text(nb):
    return "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                     for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_committed_executed_top_to_bottom_without_errors(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), "re-run scripts/execute_notebooks.py"
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not [c for c in nb.cells if "execution" in c.metadata], "run timestamps are stored: re-execute"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_every_explorer_is_stored_as_a_picture_and_a_note_not_dead_controls(path):
    """Without a kernel (GitHub, nbviewer, an HTML export) controls cannot work: none are stored.

    Each explorer's output is the note saying to run the cell, then its picture; and a
    re-execution rewrites no widget ids, since there are none.
    """
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata
    explorers = 0
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        assert not [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
        notes = [i for i, o in enumerate(outputs) if o.get("data", {}).get("text/plain") == CONTROLS_NOTE]
        for i in notes:
            assert "image/png" in outputs[i + 1].get("data", {}), f"a note without a picture: {cell.source[:60]}"
        explorers += len(notes)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    if any(name in code for name in EXPLORERS):
        assert explorers > 0, "explorers are built but none is stored with its note and picture"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_shape(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    first = next(c for c in nb.cells if not c.source.startswith("<!-- navigation"))
    assert "By the end of this lesson you can" in first.source
    assert "## Summary" in text and "## Exercises" in text


def test_lesson01_reproduces_the_published_run():
    out = outputs_text(nbformat.read(NOTEBOOKS / "01_single_neuron.ipynb", as_version=4))
    for number in ["-0.50362183", "8.92257347", "-4.08058729", "0.99217042"]:
        assert number in out
    assert "textbook  weights [-0.2778   6.45798]  bias -2.95826  prediction for [0, 1] 0.97068" in out
    assert "best accuracy of any single neuron over 68921 settings: 75%" in out


def test_navigation_bars_are_current():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "navigation.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    first = nbformat.read(NOTEBOOKS / "03_loss.ipynb", as_version=4)
    bar = first.cells[0].source
    assert bar == first.cells[-1].source
    assert "[← Lesson 02 — The forward pass](02_forward_pass.ipynb)" in bar
    assert "[Index](00_index.ipynb)" in bar and "(04_backprop.ipynb)" in bar


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_every_explorer_has_presets_for_a_demo(path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and any(name in cell.source for name in EXPLORERS) \
                and "import" not in cell.source.splitlines()[0]:
            assert "presets=" in cell.source, f"{path.name}: an explorer without presets: {cell.source[:80]}"


def test_index_links_every_lesson_and_binder_opens_it():
    index = "\n".join(c.source for c in nbformat.read(NOTEBOOKS / "00_index.ipynb", as_version=4).cells)
    for lesson in LESSONS:
        assert f"]({lesson.name})" in index
    readme = (ROOT / "README.md").read_text()
    badge = re.search(r"\(https://mybinder.org/v2/gh/[^)]*\)", readme).group(0)
    assert "urlpath=lab/tree/notebooks/00_index.ipynb" in badge


def test_teacher_guide_names_only_real_presets():
    guide = (ROOT / "docs" / "teaching.md").read_text()
    named = re.findall(r'\*\*"([^"]+)"\*\*', guide)
    sources = "\n".join(c.source for p in ALL for c in nbformat.read(p, as_version=4).cells if c.cell_type == "code")
    assert len(named) > 20
    missing = [name for name in named if f'"{name}"' not in sources]
    assert not missing, f"the teacher guide names presets that do not exist: {missing}"
    for lesson in LESSONS:
        assert lesson.stem.split("_")[0] in guide  # every lesson has its section


def test_every_notebook_opens_in_colab_and_installs_nnlib_only_there():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "colab.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        install = next(c for c in cells if c.cell_type == "code")
        assert 'if "google.colab" in sys.modules:' in install.source and not install.get("outputs")
        assert any("[Open in Colab](https://colab.research.google.com/github/" in c.source for c in cells)
